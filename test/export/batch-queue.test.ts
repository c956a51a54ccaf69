import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BatchQueue } from '../../src/core/batch-queue.js';
import type { ExportResult, Exporter } from '../../src/core/export-result.js';

function recordingExporter(answer: (batch: readonly number[], done: (r: ExportResult) => void) => void = (_, done) => setImmediate(() => done({ ok: true }))) {
  const batches: number[][] = [];
  let concurrent = 0;
  let maxConcurrent = 0;
  const exporter: Exporter<number> = {
    export(batch, done) {
      batches.push([...batch]);
      concurrent++;
      maxConcurrent = Math.max(maxConcurrent, concurrent);
      answer(batch, (r) => {
        concurrent--;
        done(r);
      });
    },
    shutdown: async () => undefined,
  };
  return { exporter, batches, maxConcurrent: () => maxConcurrent };
}

const config = { scheduleDelayMs: 60_000, exportTimeoutMs: 1000, maxQueueSize: 10, maxExportBatchSize: 4 };

test('a full batch is exported without waiting for the delay, one export at a time', async () => {
  const { exporter, batches, maxConcurrent } = recordingExporter();
  const queue = new BatchQueue(exporter, config, 'items');
  for (let i = 0; i < 9; i++) queue.add(i);
  await queue.forceFlush(1000);
  assert.deepEqual(batches, [[0, 1, 2, 3], [4, 5, 6, 7], [8]]);
  assert.equal(maxConcurrent(), 1);
});

test('items beyond the queue size are dropped and counted', async () => {
  const { exporter, batches } = recordingExporter((_, done) => setTimeout(() => done({ ok: true }), 20));
  const queue = new BatchQueue(exporter, { ...config, maxExportBatchSize: 100 }, 'items');
  for (let i = 0; i < 15; i++) queue.add(i);
  assert.equal(queue.dropped, 5);
  await queue.forceFlush(1000);
  assert.equal(batches.flat().length, 10);
});

test('a partial batch is exported after the schedule delay', async () => {
  const { exporter, batches } = recordingExporter();
  const queue = new BatchQueue(exporter, { ...config, scheduleDelayMs: 20 }, 'items');
  queue.add(1);
  const started = Date.now();
  while (batches.length === 0 && Date.now() - started < 2000) await new Promise((r) => setTimeout(r, 5));
  assert.deepEqual(batches, [[1]]);
});

test('an exporter that never answers is cut off by the export timeout', async () => {
  const { exporter } = recordingExporter(() => undefined);
  const queue = new BatchQueue(exporter, { ...config, exportTimeoutMs: 30 }, 'items');
  queue.add(1);
  await queue.forceFlush(2000);
  assert.equal(queue.hasPending(), false);
  assert.equal(queue.dropped, 1);
});

test('takeAll returns what is queued and in flight, and empties the queue', () => {
  const { exporter } = recordingExporter(() => undefined);
  const queue = new BatchQueue(exporter, config, 'items');
  for (let i = 0; i < 6; i++) queue.add(i);
  void queue.forceFlush(10);
  assert.deepEqual(queue.takeAll().sort(), [0, 1, 2, 3, 4, 5]);
  assert.equal(queue.hasPending(), false);
});

test('takeAll leaves out the export in flight once its request is on the wire: the collector gets it without a second send', () => {
  const { exporter } = recordingExporter(() => undefined);
  let onTheWire = false;
  const queue = new BatchQueue({ ...exporter, onTheWire: () => onTheWire }, config, 'items');
  for (let i = 0; i < 6; i++) queue.add(i);
  void queue.forceFlush(10); // 0..3 in flight, 4 and 5 queued
  onTheWire = true;
  assert.deepEqual(queue.takeAll(), [4, 5]);
  assert.equal(queue.hasPending(), false);
  assert.equal(queue.dropped, 0);
});

test('forceFlush on an empty queue resolves at once and shutdown is idempotent', async () => {
  const { exporter, batches } = recordingExporter();
  const queue = new BatchQueue(exporter, config, 'items');
  await queue.forceFlush(10);
  await queue.shutdown(10);
  await queue.shutdown(10);
  queue.add(1);
  assert.deepEqual(batches, []);
});

const unavailable = (): ExportResult => ({ ok: false, retryable: true, error: new Error('UNAVAILABLE') });
const rejected = (): ExportResult => ({ ok: false, retryable: false, error: new Error('INVALID_ARGUMENT') });

/** An exporter that answers each export with the next of `answers` (a success once they run out). */
function scriptedExporter(answers: ExportResult[]) {
  return recordingExporter((_, done) => setImmediate(() => done(answers.shift() ?? { ok: true })));
}

test('a batch whose export failed with a retryable answer goes back to the head of the queue, oldest first, and nothing is dropped', async () => {
  const { exporter, batches } = scriptedExporter([unavailable(), unavailable()]);
  const queue = new BatchQueue(exporter, { ...config, maxExportBatchSize: 3 }, 'items');
  for (let i = 0; i < 3; i++) queue.add(i);
  await queue.forceFlush(1000); // ends at the failure: the batch stays queued
  assert.equal(queue.hasPending(), true);
  queue.add(3);
  queue.add(4);
  await queue.forceFlush(1000); // fails again
  await queue.forceFlush(1000);
  assert.deepEqual(batches, [[0, 1, 2], [0, 1, 2], [0, 1, 2], [3, 4]]);
  assert.equal(queue.dropped, 0);
  assert.equal(queue.hasPending(), false);
});

test('a batch refused with a non-retryable answer is dropped and counted', async () => {
  const { exporter, batches } = scriptedExporter([rejected()]);
  const queue = new BatchQueue(exporter, config, 'items');
  queue.add(1);
  queue.add(2);
  await queue.forceFlush(1000);
  assert.equal(queue.dropped, 2);
  assert.equal(queue.hasPending(), false);
  queue.add(3);
  await queue.forceFlush(1000);
  assert.deepEqual(batches, [[1, 2], [3]]);
});

test('the queue bound counts the batch in flight, so a failed batch always has its place back and only overflow is dropped', async () => {
  let fail!: () => void;
  const { exporter, batches } = recordingExporter((_, done) => {
    if (batches.length === 1) fail = () => done(unavailable());
    else setImmediate(() => done({ ok: true }));
  });
  const queue = new BatchQueue(exporter, config, 'items'); // maxQueueSize 10, batches of 4
  for (let i = 0; i < 4; i++) queue.add(i);
  const flushed = queue.forceFlush(1000);
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(batches, [[0, 1, 2, 3]]);
  for (let i = 4; i < 12; i++) queue.add(i); // 4 in flight + 6 queued fill the queue; 10 and 11 overflow
  assert.equal(queue.dropped, 2);
  fail();
  await flushed;
  assert.equal(queue.dropped, 2, 'the failed batch came back without dropping anything');
  await queue.forceFlush(1000);
  assert.deepEqual(batches.slice(1).flat(), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

test('a kept batch is exported again by itself after a backoff, not at once, and what came after it waits behind it', async () => {
  const { exporter, batches } = scriptedExporter([unavailable()]);
  const queue = new BatchQueue(exporter, { ...config, scheduleDelayMs: 10 }, 'items');
  queue.add(0);
  while (batches.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  const failedAt = Date.now();
  for (let i = 1; i < 9; i++) queue.add(i); // two full batches: they wait for the kept one
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.equal(batches.length, 1, 'nothing is exported during the backoff');
  while (batches.length < 4 && Date.now() - failedAt < 3000) await new Promise((resolve) => setTimeout(resolve, 10));
  // The first retry waits 1 s, +-20 % jitter (the spec's backoff).
  assert.ok(Date.now() - failedAt >= 750, `retried after ${Date.now() - failedAt} ms`);
  assert.deepEqual(batches, [[0], [0, 1, 2, 3], [4, 5, 6, 7], [8]]);
  assert.equal(queue.dropped, 0);
});

test('a flush against a collector that stays down makes one attempt and ends; the batch stays for later', async () => {
  const { exporter, batches } = recordingExporter((_, done) => setImmediate(() => done(unavailable())));
  const queue = new BatchQueue(exporter, config, 'items');
  queue.add(1);
  const started = Date.now();
  await queue.forceFlush(5000);
  assert.ok(Date.now() - started < 500, `the flush took ${Date.now() - started} ms`);
  assert.deepEqual(batches, [[1]]);
  assert.deepEqual(queue.takeAll(), [1], 'the exit path still gets it');
});
