// The launcher's rule for passing signals on: each reaches the app once, whether it was sent to the
// launcher only or to the app as well (which the app reports over the link).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REPORT_MATCH_MS, SignalForwarding } from '../../src/cli/signal-forwarding.js';

function forwarding(interactive = false) {
  let now = 1_000_000;
  const delivered: string[] = [];
  const syncs: number[] = [];
  const forwarder = new SignalForwarding({
    interactive,
    deliver: (signal) => delivered.push(signal),
    requestSync: (n) => syncs.push(n),
    now: () => now,
  });
  return { forwarder, delivered, syncs, advance: (ms: number) => (now += ms) };
}

/** The app linked and listens to every signal (its own handlers, or the SDK's flush at exit). */
function listening(forwarder: SignalForwarding): void {
  forwarder.linked();
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const) forwarder.listens(signal, true);
}

test('before the app links, every signal is forwarded at once, except the keyboard ones on a terminal', () => {
  const off = forwarding(false);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const) off.forwarder.received(signal);
  assert.deepEqual(off.delivered, ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT']);
  const tty = forwarding(true);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const) tty.forwarder.received(signal);
  assert.deepEqual(tty.delivered, ['SIGTERM', 'SIGHUP']);
  assert.deepEqual([...off.syncs, ...tty.syncs], []);
});

test('a signal the app does not listen to is forwarded at once: it ends the app, however often it comes', () => {
  const { forwarder, delivered, syncs } = forwarding(true);
  forwarder.linked();
  forwarder.listens('SIGTERM', true);
  forwarder.listens('SIGTERM', false);
  forwarder.received('SIGTERM');
  forwarder.received('SIGINT');
  assert.deepEqual(delivered, ['SIGTERM', 'SIGINT']);
  assert.deepEqual(syncs, []);
});

test('a signal the app reported a moment before is not forwarded again', () => {
  const { forwarder, delivered, syncs, advance } = forwarding(true);
  listening(forwarder);
  forwarder.reported('SIGINT');
  advance(50);
  forwarder.received('SIGINT');
  assert.deepEqual(delivered, []);
  assert.deepEqual(syncs, []);
});

test('a signal only the launcher received is forwarded once the app has synced, on a terminal too', () => {
  const { forwarder, delivered, syncs } = forwarding(true);
  listening(forwarder);
  forwarder.received('SIGINT');
  assert.deepEqual(delivered, []);
  assert.deepEqual(syncs, [1]);
  forwarder.synced(1);
  forwarder.synced(1);
  assert.deepEqual(delivered, ['SIGINT']);
});

test('a report that comes after the launcher received the signal, before the sync answer, cancels the forward', () => {
  const { forwarder, delivered } = forwarding();
  listening(forwarder);
  forwarder.received('SIGTERM');
  forwarder.reported('SIGTERM');
  forwarder.synced(1);
  assert.deepEqual(delivered, []);
});

test('a report of another signal, or an old one, does not count', () => {
  const { forwarder, delivered, advance } = forwarding();
  listening(forwarder);
  forwarder.reported('SIGINT');
  forwarder.reported('SIGTERM');
  advance(REPORT_MATCH_MS + 1);
  forwarder.received('SIGTERM');
  forwarder.reported('SIGINT');
  forwarder.synced(1);
  assert.deepEqual(delivered, ['SIGTERM']);
});

test("the app's report of a forwarded signal is not taken for one it received itself", () => {
  const { forwarder, delivered } = forwarding();
  listening(forwarder);
  forwarder.received('SIGHUP');
  forwarder.synced(1);
  forwarder.reported('SIGHUP'); // the forwarded one arriving
  forwarder.received('SIGHUP');
  forwarder.synced(2);
  assert.deepEqual(delivered, ['SIGHUP', 'SIGHUP']);
});

test('each of two signals received together is matched or forwarded on its own', () => {
  const { forwarder, delivered, syncs } = forwarding();
  listening(forwarder);
  forwarder.received('SIGINT');
  forwarder.received('SIGINT');
  forwarder.reported('SIGINT');
  forwarder.synced(syncs.at(-1)!);
  assert.deepEqual(delivered, ['SIGINT']);
});

test('nothing is forwarded once the app has ended', () => {
  const { forwarder, delivered } = forwarding();
  listening(forwarder);
  forwarder.received('SIGTERM');
  forwarder.childGone();
  forwarder.synced(1);
  forwarder.received('SIGTERM');
  assert.deepEqual(delivered, []);
});
