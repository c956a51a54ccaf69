import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ROOT_CONTEXT } from '../../src/context/context.js';
import { clockNs, clockSec, compareHr, hrFromClock, hrNow, toHrTime } from '../../src/core/time.js';
import { encodeSpanAhead, encodeTraceRequest } from '../../src/export/otlp/encode-protobuf/trace.js';
import { releaseEncoded } from '../../src/export/otlp/encode-protobuf/envelope.js';
import type { SdkSpan } from '../../src/trace/span.js';
import type { ReadableSpan } from '../../src/trace/span-data.js';
import { decodeProtobuf, flattenSpans } from '../support/otlp-receiver.js';
import { recordingTracerProvider } from '../support/in-process-instrumentation.js';

// Spans keep performance.now() readings (startClockMs, endClockMs) and make their HrTime arrays only when
// asked; the protobuf encoder writes the readings as they are. Both must give what the arrays give.

function setup() {
  const ended: SdkSpan[] = [];
  return { tracer: recordingTracerProvider((span) => ended.push(span)).getTracer('test'), ended };
}

/** The span as plain data, with startTime and endTime as arrays and no clock readings. */
function asArrays(span: ReadableSpan): ReadableSpan {
  return {
    name: span.name,
    kind: span.kind,
    traceId: span.traceId,
    spanId: span.spanId,
    traceFlags: span.traceFlags,
    traceState: span.traceState,
    parentSpanId: span.parentSpanId,
    parentIsRemote: span.parentIsRemote,
    startTime: [span.startTime[0], span.startTime[1]],
    endTime: [span.endTime[0], span.endTime[1]],
    attributes: span.attributes,
    droppedAttributesCount: span.droppedAttributesCount,
    events: span.events,
    droppedEventsCount: span.droppedEventsCount,
    links: span.links,
    droppedLinksCount: span.droppedLinksCount,
    status: span.status,
    scope: span.scope,
    resource: span.resource,
  };
}

test('clockSec and clockNs are hrFromClock split, and hrFromClock is what hrNow and toHrTime make of a reading', () => {
  const readings = [0, 0.0004, 999.9999996, 1000, 1234.5678912, 86_400_000.123456, performance.now(), -5.25];
  for (let i = 0; i < 2000; i++) readings.push(Math.random() * 1e7);
  for (const ms of readings) {
    const hr = hrFromClock(ms);
    assert.deepEqual([clockSec(ms), clockNs(ms)], hr, `reading ${ms}`);
    assert.deepEqual(toHrTime(ms), hr, `reading ${ms}`);
    assert.ok(hr[1] >= 0 && hr[1] < 1e9);
  }
  // Later readings never convert to an earlier time (the span's end relies on it).
  const sorted = [...readings].sort((a, b) => a - b);
  for (let i = 1; i < sorted.length; i++) assert.ok(compareHr(hrFromClock(sorted[i - 1]!), hrFromClock(sorted[i]!)) <= 0);
  const before = hrNow();
  const now = hrFromClock(performance.now());
  assert.ok(compareHr(before, now) <= 0);
});

test('span times from the clock, from readings given, and from other times encode as their startTime and endTime', () => {
  const { tracer, ended } = setup();
  const reading = performance.now() - 5;
  tracer.startSpan('clock').end();
  tracer.startSpan('reading given', { startTime: reading }).end(reading + 2.000_0005);
  tracer.startSpan('end before start', { startTime: reading }).end(reading - 1);
  tracer.startSpan('epoch ms', { startTime: Date.now() - 3 }).end();
  tracer.startSpan('date and hrtime', { startTime: new Date(Date.now() - 10) }).end([Math.floor(Date.now() / 1000) + 1, 5]);
  tracer.startSpan('hrtime start, reading end', { startTime: [Math.floor(Date.now() / 1000) - 1, 999_999_999] }).end(performance.now());
  tracer.startSpan('reading start, epoch end', { startTime: reading }).end(Date.now() + 1);
  assert.equal(ended.length, 7);

  const [clock, given, backwards, epoch] = ended;
  assert.ok(!Number.isNaN(clock!.startClockMs) && !Number.isNaN(clock!.endClockMs));
  assert.equal(given!.startClockMs, reading);
  assert.deepEqual(given!.startTime, toHrTime(reading));
  assert.deepEqual(given!.endTime, toHrTime(reading + 2.000_0005));
  assert.deepEqual(backwards!.endTime, backwards!.startTime, 'an end before the start is the start');
  assert.ok(Number.isNaN(epoch!.startClockMs));
  for (const span of ended) assert.ok(compareHr(span.startTime, span.endTime) <= 0, span.name);

  const expected = Buffer.from(encodeTraceRequest(ended.map(asArrays)));
  assert.deepEqual(Buffer.from(encodeTraceRequest(ended)), expected);
  const ahead = ended.map(encodeSpanAhead);
  assert.deepEqual(Buffer.from(encodeTraceRequest(ahead)), expected);
  releaseEncoded(ahead);
  const decoded = flattenSpans(decodeProtobuf('traces', expected));
  assert.equal(decoded.length, 7);
});

test('a span without attributes shares one empty set until its first attribute', () => {
  const { tracer, ended } = setup();
  const a = tracer.startSpan('a', {}, ROOT_CONTEXT);
  const b = tracer.startSpan('b', {}, ROOT_CONTEXT);
  a.setAttribute('k', 'v');
  a.end();
  b.end();
  assert.deepEqual(ended[0]!.attributes, { k: 'v' });
  assert.deepEqual(ended[1]!.attributes, {});
  const c = tracer.startSpan('c', {}, ROOT_CONTEXT);
  assert.deepEqual(c.setAttributes({}).setAttribute('x', 1), c);
  c.end();
  assert.deepEqual(ended[2]!.attributes, { x: 1 });
  assert.deepEqual(ended[1]!.attributes, {});
});
