// Two services, each under the launcher, one trace: front server -> client -> back server,
// joined by traceparent, with baggage carried along, as a real gRPC receiver sees it.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { GrpcReceiver } from '../support/otlp-receiver.js';
import { FIXTURES, httpGet, startCli, type Running } from '../support/run-cli.js';

let receiver: GrpcReceiver;
let back: Running;
let front: Running;
let frontPort: number;

before(async () => {
  receiver = await GrpcReceiver.start();
  const endpoint = `http://127.0.0.1:${receiver.port}`;
  back = startCli(['--service_name', 'back', '--exporter_otlp_endpoint', endpoint, 'node', join(FIXTURES, 'http-service.js')]);
  const backPort = Number((await back.waitForLine(/listening (\d+)/))[1]);
  front = startCli(['--service-name=front', 'node', join(FIXTURES, 'http-service.js')], {
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    DOWNSTREAM_URL: `http://127.0.0.1:${backPort}`,
  });
  frontPort = Number((await front.waitForLine(/listening (\d+)/))[1]);
});

after(async () => {
  front?.child.kill('SIGKILL');
  back?.child.kill('SIGKILL');
  await receiver?.close();
});

test('a request through two instrumented services is one trace with correct parent links and baggage', async () => {
  const incomingTraceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const answer = await httpGet(`http://127.0.0.1:${frontPort}/front`, {
    traceparent: `00-${incomingTraceId}-00f067aa0ba902b7-01`,
    baggage: 'user=alice',
  });
  assert.equal(answer.status, 200);
  const echoed = JSON.parse(answer.body) as { traceparent: string; baggage: string };
  assert.match(echoed.traceparent, new RegExp(`^00-${incomingTraceId}-[0-9a-f]{16}-01$`));
  assert.equal(echoed.baggage, 'user=alice');

  // SIGTERM makes both flush now instead of after the batch delay; unhandled, it still kills them.
  front.child.kill('SIGTERM');
  back.child.kill('SIGTERM');
  const [frontExit, backExit] = await Promise.all([front.exited(), back.exited()]);
  assert.equal(frontExit.signal, 'SIGTERM');
  assert.equal(backExit.signal, 'SIGTERM');

  const spans = await receiver.waitForSpans(3);
  const frontServer = spans.find((s) => s.kind === 2 && s.resource['service.name'] === 'front');
  const client = spans.find((s) => s.kind === 3);
  const backServer = spans.find((s) => s.kind === 2 && s.resource['service.name'] === 'back');
  assert.ok(frontServer && client && backServer, JSON.stringify(spans.map((s) => [s.name, s.kind])));

  for (const span of [frontServer, client, backServer]) {
    assert.equal(span.traceId, incomingTraceId);
    assert.match(span.spanId, /^[0-9a-f]{16}$/);
  }
  assert.equal(frontServer.parentSpanId, '00f067aa0ba902b7');
  assert.equal(client.parentSpanId, frontServer.spanId);
  assert.equal(backServer.parentSpanId, client.spanId);
  assert.equal(echoed.traceparent.split('-')[2], client.spanId);

  assert.equal(frontServer.name, 'GET');
  assert.equal(frontServer.attributes['http.request.method'], 'GET');
  assert.equal(frontServer.attributes['url.path'], '/front');
  assert.equal(frontServer.attributes['url.scheme'], 'http');
  assert.equal(frontServer.attributes['http.response.status_code'], 200);
  assert.equal(frontServer.attributes['server.address'], '127.0.0.1');
  assert.equal(frontServer.attributes['server.port'], frontPort);
  assert.equal(frontServer.attributes['network.protocol.version'], '1.1');
  assert.equal(frontServer.attributes['client.address'], '127.0.0.1');
  assert.equal(typeof frontServer.attributes['network.peer.port'], 'number');

  assert.equal(client.name, 'GET');
  assert.equal(client.attributes['http.request.method'], 'GET');
  assert.equal(client.attributes['server.address'], '127.0.0.1');
  assert.match(String(client.attributes['url.full']), /^http:\/\/127\.0\.0\.1:\d+\/back$/);
  assert.equal(client.attributes['http.response.status_code'], 200);
  assert.equal(client.status.code, 0);

  assert.equal(frontServer.resource['telemetry.sdk.name'], 'otel-instrument');
  assert.equal(frontServer.resource['telemetry.sdk.language'], 'nodejs');
  assert.equal(frontServer.resource['process.runtime.name'], 'nodejs');
  assert.equal(typeof frontServer.resource['process.pid'], 'number');
  assert.equal(typeof frontServer.resource['host.name'], 'string');
  assert.equal(frontServer.resource['os.type'], 'linux');
  assert.equal(frontServer.scope.name, 'otel-instrument/http');
});
