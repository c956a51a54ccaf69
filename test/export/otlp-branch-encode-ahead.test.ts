import { test } from 'node:test';
import assert from 'node:assert/strict';
import { otlpBranch } from '../../src/bootstrap/batch-pipeline.js';
import type { PreparingExporter } from '../../src/export/batch-queue.js';
import type { OtlpSignalConfig } from '../../src/config/types.js';
import type { Exporter } from '../../src/export/export-result.js';
import { EncodedItem } from '../../src/export/otlp/encode-protobuf/envelope.js';
import { encodeSpanAhead } from '../../src/export/otlp/encode-protobuf/trace.js';
import type { ReadableSpan } from '../../src/trace/span-data.js';
import { makeTestSpan } from '../support/otlp-receiver.js';

function recorder(): { exporter: Exporter<ReadableSpan>; batches: ReadableSpan[][] } {
  const batches: ReadableSpan[][] = [];
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
const encodeSpanAheadLoader = () => encodeSpanAhead as unknown as (span: ReadableSpan) => ReadableSpan;

const config = (protocol: OtlpSignalConfig['protocol']) => ({ protocol }) as OtlpSignalConfig;

test('an OTLP protobuf traces branch encodes spans ahead once its exporter has loaded, not before', () => {
  const { exporter, batches } = recorder();
  const branch = otlpBranch<ReadableSpan>('traces', config('grpc'), () => exporter, () => new Uint8Array(), encodeSpanAheadLoader);
  const prepare = (branch.exporter as PreparingExporter<ReadableSpan>).prepare!;
  const span = makeTestSpan();
  // Before the first export the OTLP modules are not loaded: items stay as they are.
  assert.equal(prepare(span), span);
  branch.exporter.export([span], () => undefined);
  assert.deepEqual(batches, [[span]]);
  assert.ok(prepare(makeTestSpan()) instanceof EncodedItem);
});

test('an OTLP/JSON branch never encodes ahead: the JSON encoder needs the items themselves', () => {
  const { exporter } = recorder();
  const branch = otlpBranch<ReadableSpan>('traces', config('http/json'), () => exporter, () => new Uint8Array(), encodeSpanAheadLoader);
  assert.equal((branch.exporter as PreparingExporter<ReadableSpan>).prepare, undefined);
});
