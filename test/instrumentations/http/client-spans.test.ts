// The http client instrumentation in this process: http.get and http.request, patched through the
// module hook, against a real local server (whose own server spans are recorded too).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { ClientRequest, IncomingMessage, Server } from 'node:http';
import { SpanKind, SpanStatusCode } from '../../../src/otel-api/enums.js';
import { PACKAGE_VERSION } from '../../../src/package-info.js';
import type { ReadableSpan } from '../../../src/trace/span-data.js';
import { instrumentInProcess, waitForSpans } from '../../support/in-process-instrumentation.js';

const recorded = instrumentInProcess(['http']);
const http = require('node:http') as typeof import('node:http');

let server: Server;
let port: number;

before(async () => {
  server = http.createServer((req, res) => {
    res.statusCode = req.url?.startsWith('/missing') === true ? 404 : 200;
    res.end(req.headers.traceparent ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

after(() => {
  server.closeAllConnections();
  server.close();
});

/** Ends when the answer was read; the body is what the server saw as traceparent. */
function get(url: string): Promise<{ res: IncomingMessage; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ res, body }));
      })
      .on('error', reject);
  });
}

function onlyClientSpan(): ReadableSpan {
  const clients = recorded.spans.filter((s) => s.kind === SpanKind.CLIENT);
  assert.equal(clients.length, 1);
  return clients[0]!;
}

test('http.get makes a CLIENT span with the stable attributes, and the server span is its child through traceparent', async () => {
  recorded.clear();
  const { body } = await get(`http://127.0.0.1:${port}/items?page=2`);
  await waitForSpans(recorded.spans, 2);
  const client = onlyClientSpan();
  assert.equal(client.name, 'GET');
  assert.deepEqual(client.scope, { name: 'otel-instrument/http', version: PACKAGE_VERSION, schemaUrl: undefined });
  const a = client.attributes;
  assert.deepEqual(
    [a['http.request.method'], a['server.address'], a['server.port'], a['url.full'], a['http.response.status_code'], a['network.protocol.version']],
    ['GET', '127.0.0.1', port, `http://127.0.0.1:${port}/items?page=2`, 200, '1.1'],
  );
  assert.equal(client.status.code, SpanStatusCode.UNSET);
  assert.equal(body, `00-${client.traceId}-${client.spanId}-01`);
  const serverSpan = recorded.spans.find((s) => s.kind === SpanKind.SERVER)!;
  assert.equal(serverSpan.parentSpanId, client.spanId);
  const duration = recorded.measurements.find((m) => m.instrument === 'http.client.request.duration')!;
  assert.equal(duration.scope, 'otel-instrument/http');
  assert.deepEqual(duration.attributes, {
    'http.request.method': 'GET',
    'server.address': '127.0.0.1',
    'server.port': port,
    'http.response.status_code': 200,
    'network.protocol.version': '1.1',
  });
});

test('a 4xx answer is a client error named by its status code', async () => {
  recorded.clear();
  await get(`http://127.0.0.1:${port}/missing`);
  await waitForSpans(recorded.spans, 2);
  const client = onlyClientSpan();
  assert.equal(client.attributes['error.type'], '404');
  assert.equal(client.status.code, SpanStatusCode.ERROR);
});

test('credentials and the conventions\' sensitive query values never reach url.full', async () => {
  recorded.clear();
  await get(`http://user:secret@127.0.0.1:${port}/p?sig=abc&x=1`);
  await waitForSpans(recorded.spans, 2);
  assert.equal(onlyClientSpan().attributes['url.full'], `http://REDACTED:REDACTED@127.0.0.1:${port}/p?sig=REDACTED&x=1`);
});

test('a refused connection ends the span as an error with error.type ECONNREFUSED and the exception', async () => {
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const deadPort = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  recorded.clear();
  const error = await get(`http://127.0.0.1:${deadPort}/`).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.equal((error as { code?: string }).code, 'ECONNREFUSED');
  await waitForSpans(recorded.spans, 1);
  const client = onlyClientSpan();
  assert.equal(client.attributes['error.type'], 'ECONNREFUSED');
  assert.equal(client.status.code, SpanStatusCode.ERROR);
  assert.equal(client.events.find((e) => e.name === 'exception')?.attributes['exception.message'], (error as Error).message);
});

test('an error Node throws from http.request still reaches the app, and the span records it', () => {
  recorded.clear();
  let thrown: unknown;
  let req: ClientRequest | undefined;
  try {
    req = http.request({ host: '127.0.0.1', port, headers: { 'x-bad': 'a\nb' } });
  } catch (error) {
    thrown = error;
  }
  assert.equal(req, undefined);
  assert.equal((thrown as { code?: string }).code, 'ERR_INVALID_CHAR');
  const client = onlyClientSpan();
  assert.equal(client.attributes['error.type'], 'ERR_INVALID_CHAR');
  assert.equal(client.status.code, SpanStatusCode.ERROR);
});
