import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BatchQueue, type PreparingExporter } from '../../src/core/batch-queue.js';
import type { ExportResult } from '../../src/core/export-result.js';
import { EncodedItem, releaseEncoded } from '../../src/export/otlp/encode-protobuf/envelope.js';
import { freeChunkCount } from '../../src/export/otlp/encode-protobuf/encoded-chunks.js';
import { encodeLogRecordAhead, encodeLogsRequest } from '../../src/export/otlp/encode-protobuf/logs.js';
import { encodeSpanAhead, encodeTraceRequest, type TraceItem } from '../../src/export/otlp/encode-protobuf/trace.js';
import type { ReadableLogRecord } from '../../src/logs/log-record-data.js';
import type { InstrumentationScope, Resource } from '../../src/core/types.js';
import type { ReadableSpan } from '../../src/trace/span-data.js';
import { decodeProtobuf, flattenSpans, makeTestSpan, TEST_RESOURCE, TEST_SCOPE } from '../support/otlp-receiver.js';

const OTHER_RESOURCE: Resource = Object.freeze({ attributes: Object.freeze({ 'service.name': 'other' }), schemaUrl: 'https://example.com/r' });
const OTHER_SCOPE: InstrumentationScope = Object.freeze({ name: 'other-scope', schemaUrl: 'https://example.com/s' });

function variedSpans(n: number): ReadableSpan[] {
  const spans: ReadableSpan[] = [];
  for (let i = 0; i < n; i++) {
    spans.push(
      makeTestSpan({
        kind: i % 5,
        resource: i % 7 === 3 ? OTHER_RESOURCE : TEST_RESOURCE,
        scope: i % 4 === 1 ? OTHER_SCOPE : TEST_SCOPE,
        parentSpanId: i % 2 === 0 ? '00f067aa0ba902b7' : undefined,
        parentIsRemote: i % 3 === 0,
        traceState: i % 5 === 0 ? 'a=b' : undefined,
        attributes: { 'http.request.method': 'GET', 'server.port': 8080 + i, long: 'x'.repeat(i * 97), list: ['a', 'é'], ok: true, ratio: 0.5 },
        events: i % 6 === 0 ? [{ name: 'exception', time: [1_700_000_000, 5], attributes: { 'exception.message': 'boom' }, droppedAttributesCount: 1 }] : [],
        links: i % 9 === 0 ? [{ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1, traceState: undefined, attributes: {}, droppedAttributesCount: 0 }] : [],
        status: i % 8 === 0 ? { code: 2, message: 'failed' } : { code: 0 },
        droppedAttributesCount: i % 10 === 0 ? 2 : 0,
      }),
    );
  }
  return spans;
}

test('spans encoded ahead give the same request bytes as the spans themselves', () => {
  // Long attributes make some spans grow the shared writer's buffer.
  const spans = variedSpans(600);
  const expected = Buffer.from(encodeTraceRequest(spans));
  const ahead = spans.map(encodeSpanAhead);
  assert.ok(ahead.every((item) => item instanceof EncodedItem));
  assert.deepEqual(Buffer.from(encodeTraceRequest(ahead)), expected);
  // A mix, as when a batch leaves before every item was prepared, and halves of it, as the exporter sends on a 413.
  const mixed: TraceItem[] = spans.map((span, i) => (i % 3 === 0 ? ahead[i]! : span));
  assert.deepEqual(Buffer.from(encodeTraceRequest(mixed)), expected);
  assert.deepEqual(Buffer.from(encodeTraceRequest(ahead.slice(0, 300))), Buffer.from(encodeTraceRequest(spans.slice(0, 300))));
  assert.deepEqual(Buffer.from(encodeTraceRequest(ahead.slice(300))), Buffer.from(encodeTraceRequest(spans.slice(300))));
});

test('a span encoded ahead decodes with the official schema to the same span', () => {
  const span = variedSpans(1)[0]!;
  const body = decodeProtobuf('traces', Buffer.from(encodeTraceRequest([encodeSpanAhead(span)])));
  assert.deepEqual(flattenSpans(body), flattenSpans(decodeProtobuf('traces', Buffer.from(encodeTraceRequest([span])))));
  assert.equal(flattenSpans(body)[0]!.spanId, span.spanId);
});

test('log records encoded ahead give the same request bytes as the records themselves', () => {
  const scope = { name: 'otel-instrument/console', version: '1.0.0' };
  const records: ReadableLogRecord[] = [];
  for (let i = 0; i < 300; i++) {
    records.push({
      timestamp: i % 4 === 0 ? undefined : [1_700_000_123, i],
      observedTimestamp: [1_700_000_124, 5],
      severityNumber: 9 + (i % 9),
      severityText: i % 2 ? 'INFO' : undefined,
      body: i % 3 === 0 ? `user ${i} requested \u00e9 ${'y'.repeat(i)}` : { message: 'payment failed', code: i, tags: ['a', 1], raw: new Uint8Array([1, 2]) },
      attributes: { 'http.route': '/pay', nested: { k: ['v'] }, n: 2 ** 60 },
      droppedAttributesCount: i % 5,
      eventName: i % 7 === 0 ? 'checkout' : undefined,
      traceId: i % 2 ? '0af7651916cd43dd8448eb211c80319c' : undefined,
      spanId: i % 2 ? 'b7ad6b7169203331' : undefined,
      traceFlags: i % 2,
      resource: i % 11 === 0 ? OTHER_RESOURCE : TEST_RESOURCE,
      scope: i % 6 === 0 ? TEST_SCOPE : scope,
    });
  }
  const ahead = records.map(encodeLogRecordAhead);
  assert.ok(ahead.every((item) => item instanceof EncodedItem));
  assert.deepEqual(Buffer.from(encodeLogsRequest(ahead)), Buffer.from(encodeLogsRequest(records)));
});

test('encoding ahead never throws: a span it cannot write stays a span', () => {
  const broken = { ...makeTestSpan(), events: null } as unknown as ReadableSpan;
  assert.equal(encodeSpanAhead(broken), broken);
  // The next span still encodes ahead correctly after the failure.
  const span = makeTestSpan();
  assert.deepEqual(Buffer.from(encodeTraceRequest([encodeSpanAhead(span)])), Buffer.from(encodeTraceRequest([span])));
});

/** A queue whose exporter records each batch and prepares an item by prefixing it. */
function recordingQueue(prefix: string, maxExportBatchSize: number): { queue: BatchQueue<string>; batches: string[][] } {
  const batches: string[][] = [];
  const exporter: PreparingExporter<string> = {
    export(batch, done: (r: ExportResult) => void) {
      batches.push([...batch]);
      setImmediate(() => done({ ok: true }));
    },
    shutdown: async () => undefined,
    prepare: (item) => `${prefix}${item}`,
  };
  const queue = new BatchQueue(exporter, { scheduleDelayMs: 60_000, exportTimeoutMs: 1000, maxQueueSize: 1000, maxExportBatchSize }, 'items');
  return { queue, batches };
}

test('the batch queue hands queued items to prepare() in later turns and exports what it returned', async () => {
  const { queue, batches } = recordingQueue('prepared ', 500);
  for (let i = 0; i < 200; i++) queue.add(String(i));
  // Not in the turn that added them...
  assert.equal(queue.takeAll().some((item) => item.startsWith('prepared')), false);
  for (let i = 0; i < 256; i++) queue.add(String(i));
  // ...but within a few turns, in slices (a few items below a slice's worth may wait for the export).
  for (let turn = 0; turn < 10; turn++) await new Promise((resolve) => setImmediate(resolve));
  await queue.forceFlush(1000);
  assert.deepEqual(batches, [Array.from({ length: 256 }, (_, i) => `prepared ${i}`)]);
});

test('items the slices did not reach are prepared as their batch leaves (it is held until the export ends), none lost or repeated', async () => {
  const { queue, batches } = recordingQueue('p', 50);
  for (let i = 0; i < 120; i++) queue.add(String(i));
  // No turn passes for the slices: forceFlush takes the first batch at once.
  await queue.forceFlush(1000);
  assert.ok(batches.flat().every((item) => /^p\d+$/.test(item)), JSON.stringify(batches));
  const exported = batches.flat().map((item) => Number(item.slice(1)));
  assert.deepEqual(exported, Array.from({ length: 120 }, (_, i) => i));
  assert.ok(batches.every((batch) => batch.length <= 50));
});

test('chunks of released items are reused, and items still held keep their bytes while others are reused', () => {
  // ~1.3 KB per span: 600 of them fill more than two 256 KiB chunks.
  const spans = Array.from({ length: 600 }, (_, i) => makeTestSpan({ name: `op ${i}`, attributes: { pad: 'p'.repeat(1200), i } }));
  const first = spans.map(encodeSpanAhead) as EncodedItem[];
  const kept = first.slice(-10); // the last chunk's tail, still queued
  const keptBytes = Buffer.from(encodeTraceRequest(kept));
  releaseEncoded(first.slice(0, -10));
  const freeBefore = freeChunkCount();
  assert.ok(freeBefore >= 2, `full chunks whose items were all released are free (${freeBefore})`);
  // New items take the freed chunks and write over the released bytes...
  const second = spans.map(encodeSpanAhead) as EncodedItem[];
  assert.ok(freeChunkCount() < freeBefore);
  assert.ok(second.some((item) => first.some((old) => old.chunk === item.chunk)));
  // ...never over the ones still held, and both generations encode to the spans' own bytes.
  assert.deepEqual(Buffer.from(encodeTraceRequest(kept)), keptBytes);
  assert.deepEqual(Buffer.from(encodeTraceRequest(second)), Buffer.from(encodeTraceRequest(spans)));
  // Releasing twice changes nothing: a chunk's count cannot run ahead of what it holds.
  releaseEncoded(first.slice(0, -10));
  assert.deepEqual(Buffer.from(encodeTraceRequest(second)), Buffer.from(encodeTraceRequest(spans)));
  releaseEncoded(second);
  releaseEncoded(kept);
});

test('an item larger than a chunk gets a buffer of its own', () => {
  const span = makeTestSpan({ attributes: { big: 'b'.repeat(300 * 1024) } });
  const item = encodeSpanAhead(span) as EncodedItem;
  assert.ok(item instanceof EncodedItem);
  assert.equal(item.chunk.pooled, false);
  assert.deepEqual(Buffer.from(encodeTraceRequest([item])), Buffer.from(encodeTraceRequest([span])));
  releaseEncoded([item]);
});
