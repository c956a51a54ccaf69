// The http server instrumentation in this process: a real node:http server, patched through the
// module hook, recording into memory. Requests come from the global fetch, which the http
// instrumentation does not see, so the only spans are the server's.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { SpanKind, SpanStatusCode } from '../../../src/otel-api/enums.js';
import { PACKAGE_VERSION } from '../../../src/package-info.js';
import type { ReadableSpan } from '../../../src/trace/span-data.js';
import { httpServerRequest, recordHandlerError, routeOf, setRoute } from '../../../instrumentations/http/framework-api.js';
import { instrumentInProcess, waitForSpans } from '../../support/in-process-instrumentation.js';

const recorded = instrumentInProcess(['http']);
const http = require('node:http') as typeof import('node:http');

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
const handlers = new Map<string, Handler>();
let server: Server;
let port: number;

before(async () => {
  server = http.createServer((req, res) => {
    const handler = handlers.get(new URL(req.url ?? '/', 'http://x').pathname);
    if (handler === undefined) {
      res.statusCode = 404;
      res.end();
    } else handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

after(() => {
  server.closeAllConnections();
  server.close();
});

/** One request, and the server span it made. */
async function serve(path: string, handler: Handler | undefined, init: RequestInit = {}): Promise<ReadableSpan> {
  recorded.clear();
  if (handler !== undefined) handlers.set(new URL(path, 'http://x').pathname, handler);
  const answer = await fetch(`http://127.0.0.1:${port}${path}`, init);
  await answer.arrayBuffer();
  await waitForSpans(recorded.spans, 1);
  assert.equal(recorded.spans.length, 1);
  return recorded.spans[0]!;
}

function durationOf(): Record<string, unknown> {
  const durations = recorded.measurements.filter((m) => m.instrument === 'http.server.request.duration');
  assert.equal(durations.length, 1);
  return durations[0]!.attributes;
}

test('a request gets one SERVER span named by its method, with the stable HTTP attributes and the http scope', async () => {
  const span = await serve('/hello?page=2', (_req, res) => res.end('hi'), { headers: { 'user-agent': 'tester/1' } });
  assert.equal(span.name, 'GET');
  assert.equal(span.kind, SpanKind.SERVER);
  assert.deepEqual(span.scope, { name: 'otel-instrument/http', version: PACKAGE_VERSION, schemaUrl: undefined });
  const a = span.attributes;
  assert.deepEqual(
    [a['http.request.method'], a['url.path'], a['url.query'], a['url.scheme'], a['server.address'], a['server.port']],
    ['GET', '/hello', 'page=2', 'http', '127.0.0.1', port],
  );
  assert.deepEqual([a['http.response.status_code'], a['network.protocol.version'], a['user_agent.original'], a['client.address']], [200, '1.1', 'tester/1', '127.0.0.1']);
  assert.equal(a['error.type'], undefined);
  assert.equal(span.status.code, SpanStatusCode.UNSET);
  assert.equal(durationOf()['http.response.status_code'], 200);
});

test('an incoming traceparent makes the server span its child', async () => {
  const span = await serve('/child', (_req, res) => res.end(), {
    headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
  });
  assert.equal(span.traceId, '0af7651916cd43dd8448eb211c80319c');
  assert.equal(span.parentSpanId, 'b7ad6b7169203331');
});

test('a 5xx answer is an error named by its status code; a 4xx is not a server error', async () => {
  const failed = await serve('/broken', (_req, res) => {
    res.statusCode = 503;
    res.end();
  });
  assert.equal(failed.attributes['error.type'], '503');
  assert.equal(failed.status.code, SpanStatusCode.ERROR);
  assert.equal(durationOf()['error.type'], '503');

  const missing = await serve('/nothing-here', undefined);
  assert.equal(missing.attributes['http.response.status_code'], 404);
  assert.equal(missing.attributes['error.type'], undefined);
  assert.equal(missing.status.code, SpanStatusCode.UNSET);
});

test('the conventions\' sensitive query values are redacted in url.query', async () => {
  const span = await serve('/signed?X-Amz-Signature=secret&page=1', (_req, res) => res.end());
  assert.equal(span.attributes['url.query'], 'X-Amz-Signature=REDACTED&page=1');
});

test('a response cut off before it completed is error.type aborted', async () => {
  const controller = new AbortController();
  handlers.set('/slow', (_req, res) => {
    res.writeHead(200);
    res.write('part');
  });
  recorded.clear();
  const answer = await fetch(`http://127.0.0.1:${port}/slow`, { signal: controller.signal });
  const reader = answer.body!.getReader();
  await reader.read();
  controller.abort();
  await reader.read().catch(() => undefined);
  await waitForSpans(recorded.spans, 1);
  const span = recorded.spans[0]!;
  assert.equal(span.attributes['error.type'], 'aborted');
  assert.equal(span.status.code, SpanStatusCode.ERROR);
});

test('a route set through the framework API names the span and is the http.route of the span and of the duration metric', async () => {
  const span = await serve('/users/7', (req, res) => {
    const request = httpServerRequest(req)!;
    setRoute(request, '/users/:id');
    assert.equal(routeOf(request), '/users/:id');
    res.end();
  });
  assert.equal(span.name, 'GET /users/:id');
  assert.equal(span.attributes['http.route'], '/users/:id');
  assert.equal(durationOf()['http.route'], '/users/:id');
});

test('a route cleared again through the framework API leaves the span named by its method', async () => {
  const span = await serve('/passed', (req, res) => {
    const request = httpServerRequest(req)!;
    setRoute(request, '/passed');
    setRoute(request, undefined);
    res.end();
  });
  assert.equal(span.name, 'GET');
  assert.equal(span.attributes['http.route'], undefined);
  assert.equal(durationOf()['http.route'], undefined);
});

test('a handler error answered with a 5xx gives error.type the error\'s class and one exception event per error object', async () => {
  const span = await serve('/fails', (req, res) => {
    const request = httpServerRequest(req)!;
    const error = new RangeError('out of range');
    recordHandlerError(request, error);
    recordHandlerError(request, error);
    res.statusCode = 500;
    res.end();
  });
  assert.equal(span.attributes['error.type'], 'RangeError');
  assert.deepEqual(span.status, { code: SpanStatusCode.ERROR, message: 'out of range' });
  const events = span.events.filter((e) => e.name === 'exception');
  assert.equal(events.length, 1);
  assert.equal(events[0]!.attributes['exception.type'], 'RangeError');
  assert.equal(durationOf()['error.type'], 'RangeError');
});

test('a handler error the app answered without a 5xx is an exception event only', async () => {
  const span = await serve('/recovers', (req, res) => {
    recordHandlerError(httpServerRequest(req)!, new TypeError('handled'));
    res.statusCode = 400;
    res.end();
  });
  assert.equal(span.attributes['error.type'], undefined);
  assert.equal(span.status.code, SpanStatusCode.UNSET);
  assert.equal(span.events.filter((e) => e.name === 'exception').length, 1);
});
