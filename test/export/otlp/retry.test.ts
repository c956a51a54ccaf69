import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EXPORT_OK, type ExportResult } from '../../../src/core/export-result.js';
import { DEFAULT_BACKOFF, RetryingTransport } from '../../../src/export/otlp/transport/retry.js';
import type { Transport } from '../../../src/export/otlp/transport/types.js';

const retryable = (retryAfterMs?: number): ExportResult =>
  retryAfterMs === undefined
    ? { ok: false, retryable: true, error: new Error('unavailable') }
    : { ok: false, retryable: true, error: new Error('throttled'), retryAfterMs };
const fatal: ExportResult = { ok: false, retryable: false, error: new Error('invalid') };

/** A transport answering from a list, recording when each attempt happened. */
function scripted(results: ExportResult[]): Transport & { attempts: number[]; shutdowns: number } {
  const t = {
    attempts: [] as number[],
    shutdowns: 0,
    send(_body: Uint8Array, _deadline: number, done: (r: ExportResult) => void) {
      t.attempts.push(Date.now());
      const r = results.shift() ?? EXPORT_OK;
      setImmediate(done, r);
    },
    async shutdown() {
      t.shutdowns++;
    },
  };
  return t;
}

/** Retry timers are unref'd by design, so the test holds the event loop open itself while it waits. */
function send(transport: Transport, deadlineMs = Infinity): Promise<ExportResult> {
  const hold = setInterval(() => undefined, 60_000);
  return new Promise<ExportResult>((resolve) => transport.send(new Uint8Array(1), deadlineMs, resolve)).finally(() =>
    clearInterval(hold),
  );
}

test('the default backoff is the spec reference: 1 s, x1.5, 5 s cap, 20 % jitter, 5 retries', () => {
  assert.deepEqual({ ...DEFAULT_BACKOFF }, { initialMs: 1000, multiplier: 1.5, maxMs: 5000, jitter: 0.2, maxRetries: 5 });
});

test('retryable failures are retried until success', async () => {
  const inner = scripted([retryable(), retryable()]);
  const result = await send(new RetryingTransport(inner, { initialMs: 5 }));
  assert.deepEqual(result, EXPORT_OK);
  assert.equal(inner.attempts.length, 3);
});

test('non-retryable failures are returned at once', async () => {
  const inner = scripted([fatal]);
  const result = await send(new RetryingTransport(inner, { initialMs: 5 }));
  assert.equal(result, fatal);
  assert.equal(inner.attempts.length, 1);
});

test('retries stop after maxRetries and return the last failure', async () => {
  const inner = scripted(Array.from({ length: 10 }, () => retryable()));
  const result = await send(new RetryingTransport(inner, { initialMs: 1, maxRetries: 3 }));
  assert.equal(result.ok, false);
  assert.equal(inner.attempts.length, 4);
});

test('delays grow exponentially with jitter inside +-20 %', async () => {
  const delays: number[] = [];
  const realSetTimeout = globalThis.setTimeout;
  // Observe the requested delays without waiting for them.
  globalThis.setTimeout = ((fn: () => void, ms: number) => {
    delays.push(ms);
    return realSetTimeout(fn, 0);
  }) as typeof setTimeout;
  try {
    const inner = scripted(Array.from({ length: 5 }, () => retryable()));
    let r = 0;
    const randoms = [0, 1, 0.5, 0, 1];
    await send(new RetryingTransport(inner, {}, () => randoms[r++]));
  } finally {
    globalThis.setTimeout = realSetTimeout;
  }
  assert.deepEqual(delays, [800, 1800, 2250, 2700, 6000]);
});

test('retryAfterMs is honoured as a minimum wait', async () => {
  const inner = scripted([retryable(120)]);
  const result = await send(new RetryingTransport(inner, { initialMs: 1, jitter: 0 }));
  assert.deepEqual(result, EXPORT_OK);
  assert.ok(inner.attempts[1] - inner.attempts[0] >= 115, `waited ${inner.attempts[1] - inner.attempts[0]} ms`);
});

test('no retry is scheduled past the deadline', async () => {
  const inner = scripted([retryable(10_000)]);
  const started = Date.now();
  const result = await send(new RetryingTransport(inner, { initialMs: 1 }), Date.now() + 500);
  assert.equal(result.ok, false);
  assert.equal(inner.attempts.length, 1);
  assert.ok(Date.now() - started < 400);
});

test('shutdown makes pending retries give up promptly with a non-retryable result', async () => {
  const inner = scripted([retryable()]);
  const transport = new RetryingTransport(inner, { initialMs: 60_000 });
  const pending = send(transport);
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
  const started = Date.now();
  await transport.shutdown();
  const result = await pending;
  assert.equal(result.ok, false);
  assert.equal(!result.ok && result.retryable, false);
  assert.ok(Date.now() - started < 100);
  assert.equal(inner.shutdowns, 1);
});

test('on the way out a waiting retry is made at once and a failed last attempt is not retried', async () => {
  const { beginLeaving, endLeaving } = await import('../../../src/export/leaving.js');
  const inner = scripted([retryable(), retryable(), retryable()]);
  const transport = new RetryingTransport(inner, { initialMs: 60_000 });
  const started = Date.now();
  const pending = send(transport);
  await new Promise((resolve) => setImmediate(resolve));
  try {
    beginLeaving();
    const result = await pending;
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.retryable, false, 'final: the batch queue must not keep it for after the exit');
    assert.equal(inner.attempts.length, 2);
    assert.ok(Date.now() - started < 5_000);
  } finally {
    endLeaving();
  }
});

test('a failure of an export made on the way out is final, even when it comes after the exit flush stopped waiting', async () => {
  const { beginLeaving, endLeaving } = await import('../../../src/export/leaving.js');
  let answer: ((result: ExportResult) => void) | undefined;
  const inner: Transport = {
    send: (_body, _deadline, done) => {
      answer = done;
    },
    shutdown: async () => undefined,
  };
  const transport = new RetryingTransport(inner, { initialMs: 10 });
  beginLeaving();
  let pending: Promise<ExportResult>;
  try {
    pending = send(transport);
  } finally {
    endLeaving();
  }
  answer!(retryable());
  const result = await pending;
  assert.equal(!result.ok && result.retryable, false);
});
