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

test('forceFlush on an empty queue resolves at once and shutdown is idempotent', async () => {
  const { exporter, batches } = recordingExporter();
  const queue = new BatchQueue(exporter, config, 'items');
  await queue.forceFlush(10);
  await queue.shutdown(10);
  await queue.shutdown(10);
  queue.add(1);
  assert.deepEqual(batches, []);
});
