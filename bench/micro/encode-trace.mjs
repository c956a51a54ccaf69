// Microbenchmark: encode a 512-span batch of realistic HTTP server spans (10 attributes, 1 event each).
// Ours (protobuf + JSON) vs the official @opentelemetry/otlp-transformer@0.57.2 serializers.
// Run after `npx tsc -p tsconfig.json`:  node bench/micro/encode-trace.mjs [trials=7] [ms-per-trial=1000]
// Then, in a child process, heap bytes allocated per encoded span (measureAllocation below).

import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { resource, resourceAttributes, ROUTES, scope } from './fixture-data.mjs';
import { inAllocationChild, measureAllocation, measureBatches, runAllocationChild } from './measure.mjs';

const require = createRequire(import.meta.url);
const { encodeSpanAhead, encodeTraceRequest } = require('../../dist/src/export/otlp/encode-protobuf/trace.js');
const { releaseEncoded } = require('../../dist/src/export/otlp/encode-protobuf/envelope.js');
const { encodeTraceRequestJson } = require('../../dist/src/export/otlp/encode-json/trace.js');
let official;
try {
  official = require('@opentelemetry/otlp-transformer');
} catch {
  official = undefined;
}

const BATCH = 512;
const trials = Number(process.argv[2] ?? 7);
const trialMs = Number(process.argv[3] ?? 1000);


function makeSpans() {
  const spans = [];
  const base = 1_700_000_000;
  for (let i = 0; i < BATCH; i++) {
    const route = ROUTES[i % ROUTES.length];
    const startNs = (i * 7_919_113) % 1e9;
    spans.push({
      name: `GET ${route}`,
      kind: 1,
      traceId: randomBytes(16).toString('hex'),
      spanId: randomBytes(8).toString('hex'),
      traceFlags: 1,
      traceState: undefined,
      parentSpanId: i % 2 ? randomBytes(8).toString('hex') : undefined,
      parentIsRemote: i % 2 === 1,
      startTime: [base + i, startNs],
      endTime: [base + i, Math.min(startNs + 3_456_789, 999_999_999)],
      attributes: {
        'http.request.method': 'GET',
        'url.path': route.replace(':id', String(1000 + i)),
        'url.scheme': 'http',
        'http.route': route,
        'http.response.status_code': i % 50 === 0 ? 500 : 200,
        'server.address': 'checkout.internal',
        'server.port': 8080,
        'network.protocol.version': '1.1',
        'user_agent.original': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36',
        'client.address': `10.0.${i % 256}.${(i * 7) % 256}`,
      },
      droppedAttributesCount: 0,
      events: [{ name: 'request.received', time: [base + i, startNs], attributes: { 'bytes.read': 512 + i }, droppedAttributesCount: 0 }],
      droppedEventsCount: 0,
      links: [],
      droppedLinksCount: 0,
      status: i % 50 === 0 ? { code: 2, message: 'Internal Server Error' } : { code: 0 },
      scope,
      resource,
    });
  }
  return spans;
}

/** The same spans in the shape sdk-trace-base 1.x ReadableSpan has (what the official serializer reads). */
function toOfficialShape(spans) {
  const officialResource = { attributes: resourceAttributes, merge() { return this; } };
  return spans.map((s) => ({
    name: s.name,
    kind: s.kind,
    spanContext: () => ({ traceId: s.traceId, spanId: s.spanId, traceFlags: s.traceFlags, traceState: undefined }),
    parentSpanId: s.parentSpanId,
    startTime: s.startTime,
    endTime: s.endTime,
    status: s.status,
    attributes: s.attributes,
    links: [],
    events: s.events.map((e) => ({ name: e.name, time: e.time, attributes: e.attributes, droppedAttributesCount: 0 })),
    duration: [0, 3_456_789],
    ended: true,
    resource: officialResource,
    instrumentationLibrary: scope,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  }));
}

function measure(name, fn) {
  return measureBatches({ name, fn, trials, trialMs, perBatch: BATCH, unit: 'spans', warmup: 50, width: 38 });
}

const ALLOCATION_BATCHES = 20;
// Allocation: heap growth while encoding, in a child with --expose-gc and a young generation big enough that
// no scavenge runs meanwhile. Throughput above keeps the default GC settings, where garbage costs time.

const spans = makeSpans();
if (inAllocationChild()) {
  measureAllocation({ name: 'ours protobuf', batches: ALLOCATION_BATCHES, fn: () => encodeTraceRequest(spans), perBatch: BATCH, unit: 'span', width: 34 });
  if (official) {
    const officialSpans = toOfficialShape(spans);
    measureAllocation({ name: 'official ProtobufTraceSerializer', batches: ALLOCATION_BATCHES, fn: () => official.ProtobufTraceSerializer.serializeRequest(officialSpans), perBatch: BATCH, unit: 'span', width: 34 });
  }
  process.exit(0);
}
console.log(`node ${process.version}, batch ${BATCH} spans, ${trials} trials x ${trialMs} ms\n`);
const oursPb = measure('ours protobuf', () => encodeTraceRequest(spans));
// What the batch queue does with OTLP protobuf: each span encoded ahead as it waits (in slices, off the
// request path, into reused off-heap chunks freed once its batch's export is over), then the batch is
// mostly a copy. The two parts are timed apart: the second is the one-go cost on the event loop when a
// batch leaves.
measure('  of which: each span encoded ahead', () => {
  const items = spans.map(encodeSpanAhead);
  releaseEncoded(items);
  return items;
});
const ahead = spans.map(encodeSpanAhead);
measure('  of which: batch of encoded spans', () => encodeTraceRequest(ahead));
let theirsPb;
let theirsJson;
if (official) {
  const officialSpans = toOfficialShape(spans);
  theirsPb = measure('official ProtobufTraceSerializer', () => official.ProtobufTraceSerializer.serializeRequest(officialSpans));
}
const oursJson = measure('ours JSON', () => encodeTraceRequestJson(spans));
if (official) {
  const officialSpans = toOfficialShape(spans);
  theirsJson = measure('official JsonTraceSerializer', () => official.JsonTraceSerializer.serializeRequest(officialSpans));
  console.log(`\nprotobuf: ours / official = ${(oursPb / theirsPb).toFixed(2)}x`);
  console.log(`json:     ours / official = ${(oursJson / theirsJson).toFixed(2)}x`);
} else {
  console.log('\n@opentelemetry/otlp-transformer not installed: official serializers skipped');
}

console.log('');
runAllocationChild(import.meta.url);
