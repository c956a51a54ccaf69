// http.server.request.duration and http.client.request.duration, as a real receiver gets them:
// spec units, buckets and attributes, counted for unsampled requests too, with express routes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { GrpcReceiver, type FlatMetric } from '../support/otlp-receiver.js';
import { FIXTURES, httpGet, startCli } from '../support/run-cli.js';

const SPEC_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

async function run(app: string[], args: string[], calls: (port: number) => Promise<void>, env: NodeJS.ProcessEnv = {}) {
  const receiver = await GrpcReceiver.start();
  const child = startCli([...args, ...app], { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, ...env });
  try {
    const port = Number((await child.waitForLine(/listening (\d+)/))[1]);
    await calls(port);
  } finally {
    child.child.kill('SIGTERM');
    await child.exited();
  }
  try {
    const metrics = await receiver.waitForMetrics((all: FlatMetric[]) => all.some((m) => m.name === 'http.server.request.duration'));
    return new Map(metrics.map((m) => [m.name, m]));
  } finally {
    await receiver.close();
  }
}

const SERVICE = ['node', join(FIXTURES, 'http-service.js')];

test('server and client request durations are histograms in seconds with the spec buckets and attributes', async () => {
  const metrics = await run(SERVICE, [], async (port) => {
    await httpGet(`http://127.0.0.1:${port}/hello`);
    await httpGet(`http://127.0.0.1:${port}/fail`);
    await httpGet(`http://127.0.0.1:${port}/front`);
  });
  const server = metrics.get('http.server.request.duration')!;
  assert.equal(server.kind, 'histogram');
  assert.equal(server.unit, 's');
  assert.equal(server.temporality, 2);
  const points = server.points;
  assert.deepEqual(points[0]!.explicitBounds, SPEC_BUCKETS);
  // /hello, /front and /back answer 200; /fail answers 500.
  const ok = points.find((p) => p.attributes['http.response.status_code'] === 200)!;
  assert.equal(Number(ok.count), 3);
  assert.deepEqual(ok.attributes, {
    'http.request.method': 'GET',
    'url.scheme': 'http',
    'http.response.status_code': 200,
    'network.protocol.version': '1.1',
  });
  assert.ok(ok.sum! > 0 && ok.sum! < 5, String(ok.sum));
  const failed = points.find((p) => p.attributes['http.response.status_code'] === 500)!;
  assert.equal(failed.attributes['error.type'], '500');
  assert.equal(Number(failed.count), 1);

  const client = metrics.get('http.client.request.duration')!;
  assert.equal(client.unit, 's');
  const call = client.points[0]!;
  assert.equal(Number(call.count), 1);
  assert.equal(call.attributes['http.request.method'], 'GET');
  assert.equal(call.attributes['server.address'], '127.0.0.1');
  assert.equal(typeof call.attributes['server.port'], 'number');
  assert.equal(call.attributes['http.response.status_code'], 200);

  // Runtime metrics come along by default.
  const heap = metrics.get('v8js.memory.heap.used')!;
  assert.equal(heap.unit, 'By');
  assert.ok(heap.points.some((p) => p.attributes['v8js.heap.space.name'] === 'new_space'), JSON.stringify(heap.points.map((p) => p.attributes)));
  const cpu = metrics.get('process.cpu.time')!;
  assert.deepEqual(cpu.points.map((p) => p.attributes['cpu.mode']).sort(), ['system', 'user']);
  assert.ok(metrics.has('nodejs.eventloop.utilization'));
});

test('requests that are not sampled are still counted', async () => {
  const metrics = await run(SERVICE, ['--traces_sampler', 'always_off'], async (port) => {
    await httpGet(`http://127.0.0.1:${port}/hello`);
    await httpGet(`http://127.0.0.1:${port}/hello`);
  });
  const points = metrics.get('http.server.request.duration')!.points;
  assert.equal(points.reduce((n, p) => n + Number(p.count), 0), 2);
});

test('express requests carry the route template, never the raw path', async () => {
  const metrics = await run(['node', join(FIXTURES, 'express', 'app.js')], [], async (port) => {
    await httpGet(`http://127.0.0.1:${port}/api/users/1`);
    await httpGet(`http://127.0.0.1:${port}/api/users/2`);
  });
  const points = metrics.get('http.server.request.duration')!.points;
  const routed = points.find((p) => p.attributes['http.route'] === '/api/users/:id')!;
  assert.equal(Number(routed.count), 2);
  assert.ok(!JSON.stringify(points).includes('/api/users/1'));
});

test('fetch calls are counted in http.client.request.duration like http.request ones', async () => {
  const metrics = await run(['node', join(FIXTURES, 'fetch', 'fetch-app.js')], [], async (port) => {
    await httpGet(`http://127.0.0.1:${port}/fetch`);
    await httpGet(`http://127.0.0.1:${port}/fetch`);
  });
  const client = metrics.get('http.client.request.duration')!;
  const ok = client.points.filter((p) => p.attributes['http.response.status_code'] === 200);
  assert.equal(ok.reduce((n, p) => n + Number(p.count), 0), 2, JSON.stringify(client.points.map((p) => p.attributes)));
  assert.equal(ok[0]!.attributes['http.request.method'], 'GET');
  assert.equal(ok[0]!.attributes['server.address'], '127.0.0.1');
  assert.equal(ok[0]!.attributes['network.protocol.version'], '1.1');
});
