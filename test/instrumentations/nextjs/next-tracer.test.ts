// Next's real tracer module (the installed Next 16), patched through the module hooks, in this process:
// what the patch does to the spans Next starts and the route Next names, for a request that http
// traces, and that a fault of ours inside it turns the instrumentation off without reaching the caller.
// The request is put in the context by hand here, as base-server.ts does it for Next (the e2e tests
// run the whole of Next).

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { registerApiGlobals } from '../../../src/bootstrap/api-globals.js';
import { activeContext, contextManager, runWithContext } from '../../../src/context/als-context-manager.js';
import { traceContextPropagator } from '../../../src/context/propagation/tracecontext.js';
import { SpanKind } from '../../../src/otel-api/enums.js';
import type { ReadableSpan } from '../../../src/trace/span-data.js';
import { httpServerRequest, type HttpServerRequest } from '../../../instrumentations/http/framework-api.js';
import { NextRequest, contextWithRequest, guard } from '../../../instrumentations/nextjs/request-scope.js';
import { instrumentInProcess, recordingTracerProvider, waitForSpans } from '../../support/in-process-instrumentation.js';

const recorded = instrumentInProcess(['http', 'nextjs']);
// Required after the hooks are in place, so that http patches it.
const { createServer } = require('node:http') as typeof import('node:http');
// Next's spans go to the global provider, as under the launcher.
const nextSpans: ReadableSpan[] = [];
registerApiGlobals({ context: contextManager, propagation: traceContextPropagator, trace: recordingTracerProvider((span) => nextSpans.push(span)) });

interface NextTracer {
  trace(type: string, options: object, fn: () => unknown): unknown;
  setRootSpanAttribute(key: string, value: unknown): void;
}
const nextTracer = (require('next/dist/server/lib/trace/tracer') as { getTracer(): NextTracer }).getTracer();

/** What Next's BaseServer.handleRequest does for a request, in short: its span, and the route named twice (the error page's last). */
function asNext(server: HttpServerRequest, res: ServerResponse): unknown {
  return nextTracer.trace('BaseServer.handleRequest', { spanName: 'GET', kind: SpanKind.SERVER, attributes: { 'http.method': 'GET' } }, () => {
    nextTracer.setRootSpanAttribute('next.route', '/products/[id]');
    nextTracer.setRootSpanAttribute('next.route', '/_error');
    res.end('rendered');
  });
}

let makeServerState: (server: HttpServerRequest) => HttpServerRequest = (server) => server;
const app: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
  const server = httpServerRequest(req)!;
  runWithContext(contextWithRequest(activeContext(), new NextRequest(makeServerState(server))), asNext, server, res);
});
after(() => app.close());

async function get(path: string): Promise<string> {
  if (!app.listening) await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  const answer = await fetch(`http://127.0.0.1:${(app.address() as AddressInfo).port}${path}`);
  return answer.text();
}

test('inside a request http traces, Next\'s request span starts INTERNAL, and the first route Next names is the server span\'s', async () => {
  assert.equal(await get('/products/42'), 'rendered');
  await waitForSpans(recorded.spans, 1);
  await waitForSpans(nextSpans, 1);
  const [server] = recorded.spans;
  assert.equal(server!.name, 'GET /products/[id]');
  assert.equal(server!.attributes['http.route'], '/products/[id]');
  const [nextRequest] = nextSpans;
  assert.equal(nextRequest!.kind, SpanKind.INTERNAL);
  assert.equal(nextRequest!.parentSpanId, server!.spanId);
  assert.equal(nextRequest!.traceId, server!.traceId);
  assert.equal(nextRequest!.attributes['next.span_type'], 'BaseServer.handleRequest');
});

test('outside a request of ours (no http span state), Next\'s request span stays SERVER', async () => {
  nextSpans.length = 0;
  nextTracer.trace('BaseServer.handleRequest', { spanName: 'GET', kind: SpanKind.SERVER }, () => undefined);
  await waitForSpans(nextSpans, 1);
  assert.equal(nextSpans[0]!.kind, SpanKind.SERVER);
});

test('a fault of ours (here: the server request state rejects the route) never reaches Next: the call returns, nextjs turns itself off, http goes on', async () => {
  recorded.clear();
  nextSpans.length = 0;
  makeServerState = (server) => Object.freeze(Object.create(server) as HttpServerRequest);
  assert.equal(await get('/products/1'), 'rendered');
  assert.equal(guard.enabled, false);
  makeServerState = (server) => server;
  // From now on Next's calls pass through untouched: its span is SERVER, the route is not http's.
  assert.equal(await get('/products/2'), 'rendered');
  await waitForSpans(recorded.spans, 2);
  assert.deepEqual(recorded.spans.map((s) => s.name), ['GET', 'GET']);
  await waitForSpans(nextSpans, 2);
  assert.deepEqual(nextSpans.map((s) => s.kind), [SpanKind.INTERNAL, SpanKind.SERVER]);
});
