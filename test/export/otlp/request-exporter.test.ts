// The launcher's exporter of requests its app encoded (createOtlpRequestExporter, used by
// src/exit/launcher-export.ts): the app's rules on bytes. A 413 is answered by halves cut from the
// encoded request (request-halves.ts) with the resource and scope kept; several requests go as one; a
// retryable failure is retried; and the weighed batch queue in front of it counts spans, not requests.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BatchQueue } from '../../../src/core/batch-queue.js';
import { droppedSoFar } from '../../../src/core/dropped-counts.js';
import type { ExportResult, Exporter } from '../../../src/core/export-result.js';
import { createOtlpRequestExporter } from '../../../src/export/otlp/otlp-exporter.js';
import { encodeTraceRequest } from '../../../src/export/otlp/encode-protobuf/trace.js';
import { requestHalves, type EncodedRequest } from '../../../src/export/otlp/exporter/request-halves.js';
import { FAST_BACKOFF, otlpConfig, withDiag, withHttpReceiver as withReceiver } from '../../support/exporter-helpers.js';
import { decodeProtobuf, flattenSpans, makeTestSpan } from '../../support/otlp-receiver.js';

function exportRequests(exporter: Exporter<EncodedRequest>, requests: EncodedRequest[]): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(requests, resolve));
}

function request(names: readonly string[]): EncodedRequest {
  return { body: encodeTraceRequest(names.map((name) => makeTestSpan({ name }))), items: names.length };
}

const names = (from: number, to: number): string[] => Array.from({ length: to - from }, (_, i) => `s${from + i}`);

test('requestHalves: two valid requests, first half and second half of the spans, resource and scope kept, items shared', () => {
  const whole = request(names(0, 7));
  const halves = requestHalves('traces', false, whole);
  assert.ok(halves !== undefined);
  const [first, second] = halves.map((half) => decodeProtobuf('traces', Buffer.from(half.body)));
  assert.deepEqual(flattenSpans(first).map((s) => s.name), names(0, 3));
  assert.deepEqual(flattenSpans(second).map((s) => s.name), names(3, 7));
  const original = decodeProtobuf('traces', Buffer.from(whole.body));
  for (const half of [first, second]) {
    assert.deepEqual(half.resourceSpans[0].resource, original.resourceSpans[0].resource);
    assert.deepEqual(half.resourceSpans[0].scopeSpans[0].scope, original.resourceSpans[0].scopeSpans[0].scope);
  }
  assert.deepEqual(halves.map((h) => h.items), [3, 4]);
  assert.equal(requestHalves('traces', false, request(['only'])), undefined, 'one span cannot be cut');
});

test('requestHalves across resources and scopes: a cut inside one keeps it in both halves, one with no span left is left out', () => {
  // Three requests joined as the wire format merges them: three resource_spans, of 2, 3 and 2 spans, the
  // second's in two scopes (1 and 2 spans); names long enough that every length is a two-byte varint.
  const long = (from: number, to: number): string[] => names(from, to).map((name) => name.padEnd(150, '.'));
  const scoped = (spanNames: string[], scopeOf: (i: number) => string): EncodedRequest => ({
    body: encodeTraceRequest(spanNames.map((name, i) => makeTestSpan({ name, scope: { name: scopeOf(i) } }))),
    items: spanNames.length,
  });
  const parts = [request(long(0, 2)), scoped(long(2, 5), (i) => (i === 0 ? 'x' : 'y')), request(long(5, 7))];
  const whole = { body: Buffer.concat(parts.map((part) => part.body)), items: 7 };
  const halves = requestHalves('traces', false, whole);
  assert.ok(halves !== undefined);
  const [first, second] = halves.map((half) => decodeProtobuf('traces', Buffer.from(half.body)));
  assert.deepEqual(flattenSpans(first).map((s) => s.name), long(0, 3));
  assert.deepEqual(flattenSpans(second).map((s) => s.name), long(3, 7));
  assert.deepEqual([first.resourceSpans.length, second.resourceSpans.length], [2, 2]);
  const original = decodeProtobuf('traces', whole.body);
  assert.deepEqual(first.resourceSpans[1].resource, original.resourceSpans[1].resource);
  assert.deepEqual(second.resourceSpans[0].resource, original.resourceSpans[1].resource);
  assert.deepEqual(first.resourceSpans[1].scopeSpans.map((s: any) => s.scope.name), ['x']);
  assert.deepEqual(second.resourceSpans[0].scopeSpans.map((s: any) => s.scope.name), ['y']);
});

test('requestHalves on OTLP/JSON bodies', () => {
  const body = Buffer.from(JSON.stringify({ resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: 'x' }, spans: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] }] }] }));
  const halves = requestHalves('traces', true, { body, items: 3 });
  assert.ok(halves !== undefined);
  const parsed = halves.map((h) => JSON.parse(Buffer.from(h.body).toString()));
  assert.deepEqual(parsed[0].resourceSpans[0].scopeSpans[0].spans, [{ name: 'a' }]);
  assert.deepEqual(parsed[1].resourceSpans[0].scopeSpans[0].spans, [{ name: 'b' }, { name: 'c' }]);
  assert.deepEqual(parsed[1].resourceSpans[0].scopeSpans[0].scope, { name: 'x' });
});

test('HTTP 413 to an encoded request: sent again in halves cut from its bytes, until it fits, nothing lost', () =>
  withDiag(async (log) =>
    withReceiver(async (receiver) => {
      const tooLarge = { httpStatus: 413, message: 'request entity too large' };
      receiver.respond(tooLarge, tooLarge);
      const exporter = createOtlpRequestExporter('traces', otlpConfig('http/protobuf', receiver.signalUrl()));
      const result = await exportRequests(exporter, [request(names(0, 10))]);
      await exporter.shutdown();
      assert.equal(result.ok, true);
      // 10 refused, 5 refused, then 2 + 3 + 5 accepted: the app's own rule (http-exporter.test.ts).
      assert.deepEqual(receiver.requests.map((r) => r.body.resourceSpans[0].scopeSpans[0].spans.length), [10, 5, 2, 3, 5]);
      assert.deepEqual(receiver.requests.slice(2).flatMap((r) => flattenSpans(r.body).map((s) => s.name)), names(0, 10));
      assert.deepEqual(log.warn, []);
    }),
  ));

test('several requests in one export go as one request; a retryable failure is retried', () =>
  withDiag(async () =>
    withReceiver(async (receiver) => {
      receiver.failNext(1, { httpStatus: 503 });
      const exporter = createOtlpRequestExporter('traces', otlpConfig('http/protobuf', receiver.signalUrl()), { backoff: FAST_BACKOFF });
      const result = await exportRequests(exporter, [request(names(0, 2)), request(names(2, 5))]);
      await exporter.shutdown();
      assert.equal(result.ok, true);
      assert.equal(receiver.requests.length, 2, 'one failed attempt, one retry');
      assert.deepEqual(flattenSpans(receiver.requests[1]!.body).map((s) => s.name), names(0, 5));
    }),
  ));

test('a weighed batch queue bounds and drops by items (spans), and batches requests up to maxExportBatchSize items', () =>
  withDiag(async () =>
    withReceiver(async (receiver) => {
      const exporter = createOtlpRequestExporter('traces', otlpConfig('http/protobuf', receiver.signalUrl()));
      const queue = new BatchQueue<EncodedRequest>(exporter, { scheduleDelayMs: 1000, exportTimeoutMs: 5000, maxQueueSize: 10, maxExportBatchSize: 6 }, 'spans', 'traces', (r) => r.items);
      const droppedBefore = droppedSoFar('traces');
      for (const [from, to] of [[0, 3], [3, 6], [6, 9], [9, 13]] as const) queue.add(request(names(from, to)));
      assert.equal(queue.dropped, 4, 'the last request (4 spans) would pass the bound of 10 spans');
      assert.equal(droppedSoFar('traces') - droppedBefore, 4);
      await queue.forceFlush(5000);
      await queue.shutdown(5000);
      assert.deepEqual(receiver.requests.map((r) => flattenSpans(r.body).length), [6, 3], 'two requests of 3 joined, then the third');
    }),
  ));
