// The app's end under the launcher, with a collector that is slow or black-holed (issue 21, defects 2
// and 3; before the fix, 5 spans arrived as 10 and the launcher took the whole export timeout, 10 s,
// against a black hole): what the app had pending reaches a real receiver exactly once (an export already on the wire
// when the app ends is not sent again); the app ends as soon as it would uninstrumented, whatever the
// collector does; the launcher delivers the rest within OTEL_NODE_EXIT_EXPORT_TIMEOUT of the app's
// end (2 s by default), then ends with the app's exit code or signal.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as net from 'node:net';
import { join } from 'node:path';
import { GrpcReceiver, HttpReceiver } from '../support/otlp-receiver.js';
import { FIXTURES, ROOT, startCli, startProcess, waitFor, type Exit, type Running } from '../support/run-cli.js';

const APP = join(FIXTURES, 'spans-at-exit.js');
/** Only spans, exported 50 ms after they end: the test decides what is in flight and what is queued. */
const TRACES_ONLY = { OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none', OTEL_BSP_SCHEDULE_DELAY: '50' };
const DEFAULT_BOUND_MS = 2000;

/** Resolves with the time `pid` is gone (reaped, or a zombie: it runs no more). */
async function ended(pid: number): Promise<number> {
  for (;;) {
    let state: string | undefined;
    try {
      // "pid (comm) S ...": the state follows the last ')'.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    } catch {
      state = undefined;
    }
    if (state === undefined || state === 'Z' || state === 'X') return Date.now();
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

interface Ending {
  readonly exit: Exit;
  /** From the signal (or the app's last line, when it drains) to the app's end. */
  readonly appMs: number;
  /** From the app's end to the launcher's (0 without it). */
  readonly afterAppMs: number;
}

/** Starts the fixture (under the launcher or not), runs `before` with it up, then ends it by `signal` or by draining. */
async function runToTheEnd(launcher: boolean, env: NodeJS.ProcessEnv, before: (app: Running, pid: number) => Promise<void>, signal?: NodeJS.Signals): Promise<Ending> {
  const app = launcher ? startCli(['node', APP], env) : startProcess(process.execPath, [APP], env);
  const pid = Number((await app.waitForLine(/pid (\d+)/))[1]);
  const gone = ended(pid);
  await before(app, pid);
  let from: number;
  if (signal === undefined) {
    await app.waitForLine(/^done$/m);
    from = Date.now();
  } else {
    from = Date.now();
    app.child.kill(signal);
  }
  const appEnd = await gone;
  const exit = await app.exited();
  return { exit, appMs: appEnd - from, afterAppMs: launcher ? Math.max(0, Date.now() - appEnd) : 0 };
}

function assertOnce(receiver: GrpcReceiver | HttpReceiver, expected: number): void {
  const ids = receiver.spans().map((span) => span.spanId);
  const names = receiver.spans().map((span) => span.name).sort();
  assert.equal(new Set(ids).size, expected, `distinct spans: ${names.join(', ')}`);
  assert.equal(ids.length, expected, `every span once, none twice: ${names.join(', ')}`);
}

for (const protocol of ['grpc', 'http/protobuf'] as const) {
  test(`${protocol}: a collector answering in 2 s at SIGTERM: the export on the wire and the spans queued behind it arrive exactly once`, async () => {
    const receiver = protocol === 'grpc' ? await GrpcReceiver.start() : await HttpReceiver.start();
    // The first export is answered after 2 s; every later one at once.
    receiver.respond({ delayMs: 2000 });
    try {
      const env = { ...TRACES_ONLY, OTEL_EXPORTER_OTLP_PROTOCOL: protocol, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url };
      const plain = await runToTheEnd(false, {}, async () => undefined, 'SIGTERM');
      const run = await runToTheEnd(true, env, async (app, pid) => {
        // The first 5 spans are with the collector, unanswered; 5 more are queued behind them.
        await receiver.waitForSpans(5);
        process.kill(pid, 'SIGUSR2');
        await app.waitForLine(/more 10/);
      }, 'SIGTERM');
      assert.equal(run.exit.signal, plain.exit.signal);
      assert.equal(run.exit.code, plain.exit.code);
      // Whatever anyone sent has arrived by now: both processes are gone.
      await receiver.waitForSpans(10);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assertOnce(receiver, 10);
      assert.ok(run.afterAppMs < DEFAULT_BOUND_MS + 300, `the launcher ended ${run.afterAppMs} ms after the app`);
    } finally {
      await receiver.close();
    }
  });
}

for (const protocol of ['grpc', 'http/protobuf'] as const) {
  test(`${protocol}: SIGTERM at random moments of a steady stream of spans, collector answering in 50 ms: none twice, none missing`, async () => {
    for (let run = 0; run < 3; run++) {
      const receiver = protocol === 'grpc' ? await GrpcReceiver.start() : await HttpReceiver.start();
      receiver.answerOtherwise({ delayMs: 50 });
      try {
        // 20 spans every 2 ms, exported every 20 ms: an export is on the wire most of the time.
        const env = { ...TRACES_ONLY, OTEL_BSP_SCHEDULE_DELAY: '20', SPANS: '20', EVERY_MS: '2', OTEL_EXPORTER_OTLP_PROTOCOL: protocol, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url };
        const app = startCli(['node', APP], env);
        await app.waitForLine(/pid (\d+)/);
        await waitFor(() => receiver.spans().length >= 200, 'a stream of spans at the receiver');
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 300));
        app.child.kill('SIGTERM');
        const exit = await app.exited();
        assert.equal(exit.signal, 'SIGTERM');
        await new Promise((resolve) => setTimeout(resolve, 200));
        // Spans are named `work <n>` in the order they ended: every number up to the last arrived, once.
        const numbers = receiver.spans().map((span) => Number(span.name.slice('work '.length)));
        const last = Math.max(...numbers);
        const missing = Array.from({ length: last + 1 }, (_, n) => n).filter((n) => !numbers.includes(n));
        assert.deepEqual(missing, [], `run ${run}: missing spans`);
        assertOnce(receiver, last + 1);
      } finally {
        await receiver.close();
      }
    }
  });
}

/** A collector that takes connections and bytes and never answers. */
async function blackHole(): Promise<{ readonly url: string; readonly bytes: () => number; close(): void }> {
  const sockets = new Set<net.Socket>();
  let bytes = 0;
  const hole = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => (bytes += chunk.length));
  });
  await new Promise<void>((resolve) => hole.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(hole.address() as net.AddressInfo).port}`,
    bytes: () => bytes,
    close() {
      for (const socket of sockets) socket.destroy();
      hole.close();
    },
  };
}

/** The app's end may be late by this much under the launcher: scheduling noise on a shared machine. */
const APP_MARGIN_MS = 100;

for (const protocol of ['grpc', 'http/protobuf'] as const) {
  test(`${protocol}: a black-holed collector: the app ends on SIGTERM and by draining as fast as uninstrumented; the launcher within the bound, with the app's signal and code`, async () => {
    const hole = await blackHole();
    try {
      const env = { ...TRACES_ONLY, OTEL_EXPORTER_OTLP_PROTOCOL: protocol, OTEL_EXPORTER_OTLP_ENDPOINT: hole.url };
      // An export is on its way into the hole before the end.
      const inTheHole = async (app: Running, pid: number): Promise<void> => {
        await waitFor(() => hole.bytes() > 0, 'bytes in the hole');
        process.kill(pid, 'SIGUSR2');
        await app.waitForLine(/more 10/);
      };
      const plainTerm = await runToTheEnd(false, {}, async () => undefined, 'SIGTERM');
      const term = await runToTheEnd(true, env, inTheHole, 'SIGTERM');
      assert.equal(term.exit.signal, plainTerm.exit.signal);
      assert.equal(term.exit.code, plainTerm.exit.code);
      assert.ok(term.appMs < plainTerm.appMs + APP_MARGIN_MS, `SIGTERM to the app's end: ${term.appMs} ms (uninstrumented ${plainTerm.appMs} ms)`);
      assert.ok(term.afterAppMs < DEFAULT_BOUND_MS + 300, `the launcher ended ${term.afterAppMs} ms after the app`);

      // A script that ends by itself with exit code 5, its export still waiting for the hole.
      const drainEnv = { MODE: 'drain', EXIT_CODE: '5' };
      const plainDrain = await runToTheEnd(false, drainEnv, async () => undefined);
      const drain = await runToTheEnd(true, { ...env, ...drainEnv }, async () => {
        await waitFor(() => hole.bytes() > 0, 'bytes in the hole');
      });
      assert.equal(drain.exit.code, 5);
      assert.equal(drain.exit.signal, null);
      assert.ok(drain.appMs < plainDrain.appMs + APP_MARGIN_MS, `the last line to the app's end: ${drain.appMs} ms (uninstrumented ${plainDrain.appMs} ms)`);
      assert.ok(drain.afterAppMs < DEFAULT_BOUND_MS + 300, `the launcher ended ${drain.afterAppMs} ms after the app`);
    } finally {
      hole.close();
    }
  });
}

test('OTEL_NODE_EXIT_EXPORT_TIMEOUT bounds the launcher after the app: 300 ms against a black hole', async () => {
  const hole = await blackHole();
  try {
    const env = { ...TRACES_ONLY, OTEL_EXPORTER_OTLP_ENDPOINT: hole.url, OTEL_NODE_EXIT_EXPORT_TIMEOUT: '300' };
    const run = await runToTheEnd(true, env, async (app, pid) => {
      await waitFor(() => hole.bytes() > 0, 'bytes in the hole');
      process.kill(pid, 'SIGUSR2');
      await app.waitForLine(/more 10/);
    }, 'SIGINT');
    assert.equal(run.exit.signal, 'SIGINT');
    assert.ok(run.afterAppMs < 300 + 250, `the launcher ended ${run.afterAppMs} ms after the app`);
  } finally {
    hole.close();
  }
});

test("the app's own shutdown() under the launcher still waits for its export, though an export in flight no longer holds the app", async () => {
  const receiver = await GrpcReceiver.start();
  receiver.answerOtherwise({ delayMs: 300 });
  try {
    const exit = await startCli(['node', join(FIXTURES, 'programmatic', 'app.js')], {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
    }).exited();
    assert.equal(exit.code, 0, exit.stderr);
    // Printed once shutdown() resolved: the process lived until then.
    assert.match(exit.stdout, /^shut down$/m);
    assertOnce(receiver, 2); // the server and the client span of its one request
  } finally {
    await receiver.close();
  }
});

test('a collector that is down: said once by the app while it runs, not again by the launcher that tries what was left at exit', async () => {
  const closed = net.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const app = startCli(['node', APP], { ...TRACES_ONLY, OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`, OTEL_LOG_LEVEL: 'debug' });
  await app.waitForLine(/pid (\d+)/);
  await waitFor(() => /warn: cannot reach the OTLP collector/.test(app.stderr()), "the app's outage warning");
  app.child.kill('SIGTERM');
  const exit = await app.exited();
  assert.equal(exit.signal, 'SIGTERM');
  // The launcher did try: the spans kept for a retry were handed over.
  assert.match(exit.stderr, /launcher: could not deliver all of the traces the app handed over at exit/);
  const said = exit.stderr.split('\n').filter((line) => line.includes('warn: cannot reach the OTLP collector'));
  assert.equal(said.length, 1, exit.stderr);
});

test('without the launcher (--require), OTEL_NODE_EXIT_EXPORT_TIMEOUT bounds the sender process the app waits for at exit', async () => {
  const hole = await blackHole();
  try {
    const env = { ...TRACES_ONLY, OTEL_EXPORTER_OTLP_ENDPOINT: hole.url, OTEL_NODE_EXIT_EXPORT_TIMEOUT: '300' };
    const app = startProcess(process.execPath, ['--require', join(ROOT, 'dist', 'src', 'bootstrap', 'register.js'), APP], env);
    const pid = Number((await app.waitForLine(/pid (\d+)/))[1]);
    await waitFor(() => hole.bytes() > 0, 'bytes in the hole');
    process.kill(pid, 'SIGUSR2');
    await app.waitForLine(/more 10/);
    const stopping = Date.now();
    app.child.kill('SIGTERM');
    const exit = await app.exited();
    const took = Date.now() - stopping;
    assert.equal(exit.signal, 'SIGTERM');
    // The bound, plus starting the sender process (a node) on a busy machine; the export timeout is 10 s.
    assert.ok(took < 300 + 1500, `SIGTERM to exit: ${took} ms`);
  } finally {
    hole.close();
  }
});
