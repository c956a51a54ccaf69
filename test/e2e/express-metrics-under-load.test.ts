// Tried as a user would: an express app under concurrent load, metrics
// exported over OTLP and served to Prometheus at once. Both show one request-duration histogram
// per route (the template, never the raw path) with every request counted, plus runtime metrics.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { freePort } from '../support/free-port.js';
import { GrpcReceiver } from '../support/otlp-receiver.js';
import { FIXTURES, httpGet, startCli } from '../support/run-cli.js';

const ROUTES: Array<[path: (i: number) => string, route: string, count: number]> = [
  [(i) => `/api/users/${i}`, '/api/users/:id', 240],
  [(i) => `/api/items/sku-${i}`, '/api/items/:itemId', 120],
  [() => '/v1/status', '/v1/status', 60],
];

/** `total` requests, `concurrency` at a time. */
async function load(port: number): Promise<void> {
  const paths: string[] = [];
  for (const [path, , count] of ROUTES) for (let i = 0; i < count; i++) paths.push(path(i));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < paths.length) {
      const path = paths[next++]!;
      const { status } = await httpGet(`http://127.0.0.1:${port}${path}`);
      assert.equal(status, 200, path);
    }
  };
  await Promise.all(Array.from({ length: 20 }, worker));
}

test('an express app under load: per-route duration histograms at the OTLP receiver and on /metrics, with runtime metrics', async () => {
  const receiver = await GrpcReceiver.start();
  const promPort = await freePort();
  const app = startCli(['--metrics_exporter', 'otlp,prometheus', 'node', join(FIXTURES, 'express', 'app.js')], {
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_EXPORTER_PROMETHEUS_PORT: String(promPort),
    OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
    OTEL_METRIC_EXPORT_INTERVAL: '1000',
  });
  try {
    const port = Number((await app.waitForLine(/listening (\d+)/))[1]);
    await load(port);

    // Prometheus text, read the way a scraper does. The event-loop delay series exist once the delay
    // monitor has a sample, which a loaded machine can hold back: scrape again until they do (5 s).
    let { status, body } = await httpGet(`http://127.0.0.1:${promPort}/metrics`);
    for (const deadline = Date.now() + 5000; !/^nodejs_eventloop_delay_p99_seconds\{/m.test(body) && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      ({ status, body } = await httpGet(`http://127.0.0.1:${promPort}/metrics`));
    }
    assert.equal(status, 200);
    for (const [, route, count] of ROUTES) {
      const line = body.split('\n').find((l) => l.startsWith('http_server_request_duration_seconds_count{') && l.includes(`http_route="${route}"`));
      assert.ok(line, `a count series for ${route}`);
      assert.equal(Number(line.slice(line.lastIndexOf(' ') + 1)), count, line);
      assert.match(body, new RegExp(`http_server_request_duration_seconds_bucket\\{[^}]*http_route="${route.replace(/[/:]/g, '\\$&')}"[^}]*le="\\+Inf"\\} ${count}\\n`));
    }
    assert.doesNotMatch(body, /\/api\/users\/1[0-9]*"/, 'no raw paths as labels');
    assert.match(body, /^v8js_memory_heap_used_bytes\{/m);
    assert.match(body, /^nodejs_eventloop_delay_p99_seconds\{/m);

    // OTLP: the periodic export (cumulative) catches up with every request.
    const metrics = await receiver.waitForMetrics((all) => {
      const latest = [...all].reverse().find((m) => m.name === 'http.server.request.duration');
      const total = latest?.points.reduce((n, p) => n + Number(p.count), 0) ?? 0;
      return total >= 420;
    }, 10_000);
    const latest = [...metrics].reverse().find((m) => m.name === 'http.server.request.duration')!;
    for (const [, route, count] of ROUTES) {
      const point = latest.points.find((p) => p.attributes['http.route'] === route)!;
      assert.ok(point, `an OTLP point for ${route}`);
      assert.equal(Number(point.count), count);
      assert.equal(point.bucketCounts!.reduce((a: number, b) => a + Number(b), 0), count);
      assert.ok(Number(point.sum) > 0 && Number(point.min) > 0 && Number(point.max) >= Number(point.min));
    }
    // For the record (issue notes quote it).
    console.log(`otlp point: ${JSON.stringify(latest.points.find((p) => p.attributes['http.route'] === '/api/users/:id'))}`);
    const names = new Set(metrics.map((m) => m.name));
    for (const name of ['nodejs.eventloop.delay.p99', 'v8js.memory.heap.used', 'process.cpu.time', 'process.memory.usage']) {
      assert.ok(names.has(name), `${name} arrived (got ${[...names].join(', ')})`);
    }
  } finally {
    app.child.kill('SIGTERM');
    await app.exited();
    await receiver.close();
  }
});
