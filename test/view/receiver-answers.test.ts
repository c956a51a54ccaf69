// The viewer's receivers answer as a collector does (otlp/docs/specification.md): success bodies in the
// request's encoding, 400 / INVALID_ARGUMENT for what does not decode, 415 for another content type or
// encoding, 404 / UNIMPLEMENTED elsewhere; and a taken port means another one, not a failure.

import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { connect, constants } from 'node:http2';
import { createServer } from 'node:net';
import { gzipSync } from 'node:zlib';
import { otlpSchema } from '../../src/view/otlp-schema.js';
import { startViewer, type Viewer } from '../../src/view/viewer.js';

let viewer: Viewer;
before(async () => {
  viewer = await startViewer({ grpcPort: 0, httpPort: 0, pagePort: 0 });
});
after(() => viewer.close());

const SPAN_JSON = {
  resourceSpans: [{
    resource: { attributes: [{ key: 'service.name', value: { stringValue: 'json-by-hand' } }] },
    scopeSpans: [{ scope: { name: 's' }, spans: [{
      traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', name: 'GET /hand',
      kind: 2, startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000000012500000',
      attributes: [{ key: 'n', value: { intValue: '7' } }],
    }] }],
  }],
};

test('OTLP/JSON written by hand (hex ids, int64 as strings) is stored with its exact duration, and answered with {}', async () => {
  const res = await fetch(`${viewer.httpEndpoint}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(SPAN_JSON) });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/json');
  assert.deepEqual(await res.json(), {});
  const [span] = viewer.store.traces.spans('5b8efff798038103d269b633813fc60c')!;
  assert.equal(span!.durationMs, 12.5);
  assert.equal(span!.startMs, 1_700_000_000_000);
  assert.deepEqual(span!.attributes, { n: 7 });
});

test('http: a body that does not decode is 400, another content type or encoding 415, another path 404, GET 405', async () => {
  const post = (path: string, headers: Record<string, string>, body: any) => fetch(`${viewer.httpEndpoint}${path}`, { method: 'POST', headers, body });
  assert.equal((await post('/v1/logs', { 'content-type': 'application/x-protobuf' }, new Uint8Array([0xff, 0xff, 0xff]))).status, 400);
  assert.equal((await post('/v1/logs', { 'content-type': 'application/json' }, '[1]')).status, 400);
  assert.equal((await post('/v1/logs', { 'content-type': 'text/plain' }, 'hi')).status, 415);
  assert.equal((await post('/v1/logs', { 'content-type': 'application/json', 'content-encoding': 'br' }, '{}')).status, 415);
  assert.equal((await post('/v1/other', { 'content-type': 'application/json' }, '{}')).status, 404);
  assert.equal((await fetch(`${viewer.httpEndpoint}/v1/traces`)).status, 405);
  const gz = await post('/v1/metrics', { 'content-type': 'application/json', 'content-encoding': 'gzip' }, gzipSync('{"resourceMetrics":[]}'));
  assert.equal(gz.status, 200);
});

function grpcCall(path: string, body: Buffer): Promise<{ status: string; message?: string; data: Buffer }> {
  return new Promise((resolve, reject) => {
    const session = connect(viewer.grpcEndpoint);
    session.on('error', reject);
    const req = session.request({ [constants.HTTP2_HEADER_METHOD]: 'POST', [constants.HTTP2_HEADER_PATH]: path, 'content-type': 'application/grpc', te: 'trailers' });
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('trailers', (t) => {
      req.on('close', () => {
        session.close();
        resolve({ status: String(t['grpc-status']), message: t['grpc-message'] as string | undefined, data: Buffer.concat(chunks) });
      });
    });
    req.end(body);
  });
}

function framed(message: Uint8Array, compressed = false): Buffer {
  const head = Buffer.alloc(5);
  head[0] = compressed ? 1 : 0;
  head.writeUInt32BE(message.length, 1);
  return Buffer.concat([head, message]);
}

test('grpc: an Export answers grpc-status 0 with an empty response message; garbage is 3, another method 12', async () => {
  const { request, grpcPath } = otlpSchema().logs;
  const message = request.encode(request.fromObject({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: { stringValue: 'by hand over grpc' }, severityNumber: 9 }] }] }] })).finish();
  const ok = await grpcCall(grpcPath, framed(message));
  assert.equal(ok.status, '0');
  assert.deepEqual([...ok.data], [0, 0, 0, 0, 0]);
  assert.equal(viewer.store.logs.list({ text: 'by hand over grpc' }).length, 1);
  const bad = await grpcCall(grpcPath, framed(Buffer.from([0xff, 0xff, 0xff])));
  assert.equal(bad.status, '3');
  assert.match(decodeURIComponent(bad.message ?? ''), /cannot decode the logs request/);
  const unknown = await grpcCall('/opentelemetry.proto.collector.profiles.v1development.ProfilesService/Export', framed(Buffer.alloc(0)));
  assert.equal(unknown.status, '12');
});

test('taken ports: the receivers move to free ones, the page to the next port', async () => {
  const blockers = await Promise.all([0, 0, 0].map(() => new Promise<ReturnType<typeof createServer>>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => resolve(s));
  })));
  const [g, h, p] = blockers.map((s) => (s.address() as { port: number }).port);
  const moved = await startViewer({ grpcPort: g, httpPort: h, pagePort: p });
  try {
    assert.notEqual(new URL(moved.grpcEndpoint).port, String(g));
    assert.notEqual(new URL(moved.httpEndpoint).port, String(h));
    assert.notEqual(new URL(moved.pageUrl).port, String(p));
    assert.equal((await fetch(`${moved.pageUrl}api/summary`)).status, 200);
  } finally {
    await moved.close();
    for (const s of blockers) s.close();
  }
});

test('the receiver lets a browser SDK post across origins; the page API answers only to loopback names', async () => {
  const pre = await fetch(`${viewer.httpEndpoint}/v1/traces`, { method: 'OPTIONS', headers: { origin: 'http://app.local', 'access-control-request-method': 'POST' } });
  assert.equal(pre.status, 204);
  assert.equal(pre.headers.get('access-control-allow-origin'), '*');
  const port = new URL(viewer.pageUrl).port;
  assert.equal((await fetch(`http://localhost:${port}/api/summary`)).status, 200);
  const rebound = await new Promise<number>((resolve, reject) => {
    // fetch() will not send a foreign Host header: node:http does.
    require('node:http').get({ host: '127.0.0.1', port, path: '/api/summary', headers: { host: `evil.example:${port}` } }, (res: any) => {
      res.resume();
      resolve(res.statusCode);
    }).on('error', reject);
  });
  assert.equal(rebound, 421);
  assert.equal((await fetch(`${viewer.pageUrl}api/summary`)).headers.get('access-control-allow-origin'), null);
});
