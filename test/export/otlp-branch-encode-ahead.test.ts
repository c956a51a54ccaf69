import { test } from 'node:test';
import assert from 'node:assert/strict';
import { otlpBranch } from '../../src/bootstrap/batch-pipeline.js';
import type { OtlpSignalConfig } from '../../src/config/types.js';
import type { ExportResult, Exporter } from '../../src/core/export-result.js';
import { EncodedItem } from '../../src/export/otlp/encode-protobuf/envelope.js';
import { encodeTraceRequest, spanEncodeAhead, type TraceItem } from '../../src/export/otlp/encode-protobuf/trace.js';
import type { ReadableSpan } from '../../src/trace/span-data.js';
import { makeTestSpan } from '../support/otlp-receiver.js';

function recorder(): { exporter: Exporter<TraceItem>; batches: TraceItem[][] } {
  const batches: TraceItem[][] = [];
  return {
    batches,
    exporter: {
      export(batch, done) {
        batches.push([...batch]);
        done({ ok: true });
      },
      shutdown: async () => undefined,
    },
  };
}

// The loader start-tracing passes: an encoded span stands in for the span.
const encodeSpanAheadLoader = () => spanEncodeAhead;

const config = (protocol: OtlpSignalConfig['protocol']) => ({ protocol }) as OtlpSignalConfig;

test('an OTLP protobuf traces branch encodes spans ahead once its exporter has loaded, not before', () => {
  const { exporter, batches } = recorder();
  const branch = otlpBranch<ReadableSpan, EncodedItem>('traces', config('grpc'), () => exporter, () => new Uint8Array(), encodeSpanAheadLoader);
  const prepare = branch.exporter.prepare!;
  const span = makeTestSpan();
  // Before the first export the OTLP modules are not loaded: items stay as they are.
  assert.equal(prepare(span), span);
  branch.exporter.export([span], () => undefined);
  assert.deepEqual(batches, [[span]]);
  assert.ok(prepare(makeTestSpan()) instanceof EncodedItem);
});

test('an OTLP/JSON branch never encodes ahead: the JSON encoder needs the items themselves', () => {
  const { exporter } = recorder();
  const branch = otlpBranch<ReadableSpan, EncodedItem>('traces', config('http/json'), () => exporter, () => new Uint8Array(), encodeSpanAheadLoader);
  assert.equal(branch.exporter.prepare, undefined);
});

test('a batch encoded ahead is released when the exporter calls back, not before, so a 413 half can still be encoded', () => {
  let finish: ((result: ExportResult) => void) | undefined;
  let seen: TraceItem[] = [];
  const exporter: Exporter<TraceItem> = {
    export(batch, done) {
      seen = [...batch];
      finish = done;
    },
    shutdown: async () => undefined,
  };
  const branch = otlpBranch<ReadableSpan, EncodedItem>('traces', config('grpc'), () => exporter, () => new Uint8Array(), encodeSpanAheadLoader);
  const prepare = branch.exporter.prepare!;
  branch.exporter.export([], () => undefined); // loads the encoder
  finish!({ ok: true });
  const spans = [makeTestSpan({ name: 'a' }), makeTestSpan({ name: 'b' })];
  const batch = spans.map((span) => prepare(span));
  let results = 0;
  branch.exporter.export(batch, () => results++);
  const items = seen.filter((item) => item instanceof EncodedItem);
  assert.equal(items.length, seen.length);
  assert.ok(items.every((item) => !item.released));
  // While the exporter holds the batch its bytes stay readable (a 413 makes it encode halves).
  assert.deepEqual(Buffer.from(encodeTraceRequest(items.slice(1))), Buffer.from(encodeTraceRequest(spans.slice(1))));
  finish!({ ok: false, retryable: false, error: new Error('gave up') });
  assert.equal(results, 1);
  assert.ok(items.every((item) => item.released));
  // Reading a released item is refused loudly, never sent as whatever its chunk holds now.
  assert.throws(() => encodeTraceRequest(items), /read after its release/);
});

test('a batch whose export failed with a retryable answer keeps its bytes: the queue exports it again', () => {
  let finish: ((result: ExportResult) => void) | undefined;
  let seen: TraceItem[] = [];
  const exporter: Exporter<TraceItem> = {
    export(batch, done) {
      seen = [...batch];
      finish = done;
    },
    shutdown: async () => undefined,
  };
  const branch = otlpBranch<ReadableSpan, EncodedItem>('traces', config('grpc'), () => exporter, () => new Uint8Array(), encodeSpanAheadLoader);
  branch.exporter.export([], () => undefined); // loads the encoder
  finish!({ ok: true });
  const spans = [makeTestSpan({ name: 'a' }), makeTestSpan({ name: 'b' })];
  const batch = spans.map((span) => branch.exporter.prepare!(span));
  branch.exporter.export(batch, () => undefined);
  finish!({ ok: false, retryable: true, error: new Error('UNAVAILABLE') });
  const items = seen.filter((item) => item instanceof EncodedItem);
  assert.equal(items.length, 2);
  assert.ok(items.every((item) => !item.released));
  // Items encoded ahead since then take other bytes, never these.
  for (let i = 0; i < 50; i++) branch.exporter.prepare!(makeTestSpan({ name: `later ${i}` }));
  assert.deepEqual(Buffer.from(encodeTraceRequest(items)), Buffer.from(encodeTraceRequest(spans)));
  branch.exporter.export(items, () => undefined);
  finish!({ ok: true });
  assert.ok(items.every((item) => item.released));
});
