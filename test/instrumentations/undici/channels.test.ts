// The channel subscribers in this process, against real requests: the global fetch of the Node
// running the tests and the undici package. Subscribing is once per process, so the test that
// breaks the tracer on purpose (which turns the instrumentation off) runs last.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { request as undiciRequest } from 'undici';
import type { Config } from '../../../src/config/types.js';
import { runWithContext } from '../../../src/context/als-context-manager.js';
import { ROOT_CONTEXT } from '../../../src/context/context.js';
import { traceContextPropagator } from '../../../src/context/propagation/tracecontext.js';
import { suppressed } from '../../../src/context/suppress.js';
import type { SdkSpan } from '../../../src/trace/span.js';
import { recordingTracerProvider } from '../../support/in-process-instrumentation.js';
import { undici } from '../../../instrumentations/undici/index.js';

const ended: SdkSpan[] = [];
const provider = recordingTracerProvider((span) => ended.push(span));
const realTracer = provider.getTracer('test');
let tracerThrows = false;
const tracer = {
  startSpan(...args: Parameters<Tracer['startSpan']>) {
    if (tracerThrows) throw new Error('tracer broke');
    return realTracer.startSpan(...args);
  },
  startActiveSpan: realTracer.startActiveSpan.bind(realTracer),
} as Tracer;

let server: Server;
let base: string;

before(async () => {
  server = createServer((req, res) => {
    res.statusCode = req.url === '/teapot' ? 418 : 200;
    res.end(JSON.stringify({ traceparent: req.headers.traceparent ?? null }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  undici.subscribe!({ tracer, meter: undefined, logger: undefined, propagator: traceContextPropagator, config: {} as Config });
});

after(() => {
  server.closeAllConnections();
  server.close();
});

async function globalFetch(url: string): Promise<{ status: number; traceparent: string | null }> {
  const res = await fetch(url);
  return { status: res.status, ...((await res.json()) as { traceparent: string | null }) };
}

async function npmRequest(url: string): Promise<{ status: number; traceparent: string | null }> {
  const res = await undiciRequest(url);
  return { status: res.statusCode, ...((await res.body.json()) as { traceparent: string | null }) };
}

test('a request under an active span makes one client child span and sends it as traceparent', async () => {
  for (const send of [globalFetch, npmRequest]) {
    ended.length = 0;
    const parent = realTracer.startSpan('parent');
    const answer = await runWithContext(trace.setSpan(ROOT_CONTEXT, parent), send, `${base}/ok?sig=s`);
    parent.end();
    const clients = ended.filter((s) => s.kind === SpanKind.CLIENT);
    assert.equal(clients.length, 1, send.name);
    const client = clients[0]!;
    assert.equal(client.parentSpanId, parent.spanContext().spanId);
    assert.equal(client.traceId, parent.spanContext().traceId);
    assert.equal(answer.traceparent, `00-${client.traceId}-${client.spanId}-01`);
    assert.equal(client.name, 'GET');
    assert.equal(client.attributes['url.full'], `${base}/ok?sig=REDACTED`);
    assert.equal(client.attributes['http.response.status_code'], 200);
    assert.equal(client.status.code, SpanStatusCode.UNSET);
  }
});

test('a 418 answer sets error.type 418 and an error status', async () => {
  ended.length = 0;
  assert.equal((await globalFetch(`${base}/teapot`)).status, 418);
  const [client] = ended;
  assert.equal(client?.attributes['error.type'], '418');
  assert.equal(client?.status.code, SpanStatusCode.ERROR);
});

test('subscribing a second time still makes one span per request', async () => {
  undici.subscribe!({ tracer, meter: undefined, logger: undefined, propagator: traceContextPropagator, config: {} as Config });
  ended.length = 0;
  await globalFetch(`${base}/ok`);
  assert.equal(ended.length, 1);
});

test('a request in a suppressed context makes no span and sends no traceparent', async () => {
  ended.length = 0;
  const answer = await runWithContext(suppressed(ROOT_CONTEXT), globalFetch, `${base}/ok`);
  assert.equal(answer.traceparent, null);
  assert.equal(ended.length, 0);
});

test('a tracer that throws turns the instrumentation off and the request still succeeds', async () => {
  tracerThrows = true;
  ended.length = 0;
  assert.deepEqual(await globalFetch(`${base}/ok`), { status: 200, traceparent: null });
  tracerThrows = false;
  // Off for good: no span even with a working tracer again.
  assert.deepEqual(await globalFetch(`${base}/ok`), { status: 200, traceparent: null });
  assert.equal(ended.length, 0);
});
