// --metrics_exporter prometheus, end to end: a real Prometheus server scrapes the app's /metrics
// and answers queries; the endpoint itself is read for exact lines. The `prometheus` binary must
// be on PATH (Debian package `prometheus`; .ci/run installs it): without it these tests fail.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findOnPath, skipWithout } from '../support/debian-program.js';
import { freePort } from '../support/free-port.js';
import { GrpcReceiver } from '../support/otlp-receiver.js';
import { FIXTURES, httpGet, ROOT, startCli, waitFor, type Running } from '../support/run-cli.js';

const APP = ['node', join(FIXTURES, 'prometheus', 'shop-service.js')];
/** Our metrics carry their instrumentation's scope and our version. */
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

async function poll<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last === undefined ? '' : `: ${String(last)}`}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** A Prometheus server of our own (temp config and storage) scraping one target every second. */
class PrometheusProcess {
  readonly url: string;
  readonly #child: ChildProcess;
  readonly #dir: string;
  #log = '';

  private constructor(child: ChildProcess, dir: string, url: string) {
    this.#child = child;
    this.#dir = dir;
    this.url = url;
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.#log = (this.#log + chunk).slice(-4000)));
  }

  static async start(target: string): Promise<PrometheusProcess> {
    const binary = findOnPath('prometheus');
    if (binary === undefined) {
      throw new Error('the `prometheus` binary is not on PATH: install it (apt-get install -y --no-install-recommends prometheus, as .ci/run does) to run the Prometheus e2e tests');
    }
    const dir = mkdtempSync(join(tmpdir(), 'otel-instrument-prometheus-'));
    const config = join(dir, 'prometheus.yml');
    writeFileSync(
      config,
      ['global:', '  scrape_interval: 1s', '  scrape_timeout: 1s', 'scrape_configs:', '  - job_name: otel-app', '    static_configs:', `      - targets: ['${target}']`, ''].join('\n'),
    );
    const port = await freePort();
    const child = spawn(
      binary,
      [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    const prometheus = new PrometheusProcess(child, dir, `http://127.0.0.1:${port}`);
    await poll('prometheus to be ready', async () => ((await httpGet(`${prometheus.url}/-/ready`)).status === 200 ? true : undefined)).catch((error: Error) => {
      throw new Error(`${error.message}; prometheus said: ${prometheus.#log}`);
    });
    return prometheus;
  }

  /** Instant-query result vector (metric labels and value). */
  async query(promql: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
    const response = await httpGet(`${this.url}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = JSON.parse(response.body) as { status: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
    assert.equal(body.status, 'success', response.body);
    return body.data.result;
  }

  /** Polls `promql` until it returns at least one series matching `accept`. */
  waitForSeries(promql: string, accept: (r: { metric: Record<string, string>; value: [number, string] }) => boolean = () => true) {
    return poll(`prometheus to have ${promql}`, async () => {
      const result = await this.query(promql);
      return result.some(accept) ? result : undefined;
    });
  }

  async stop(): Promise<void> {
    if (this.#child.exitCode === null && this.#child.signalCode === null) {
      const exited = new Promise((resolve) => this.#child.once('exit', resolve));
      this.#child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.#dir, { recursive: true, force: true });
  }
}

async function stopApp(app: Running): Promise<void> {
  app.child.kill('SIGTERM');
  await app.exited();
}

async function scrape(port: number): Promise<string> {
  const response = await httpGet(`http://127.0.0.1:${port}/metrics`);
  assert.equal(response.status, 200);
  return response.body;
}

function lines(text: string): string[] {
  return text.split('\n');
}

describe('prometheus exporter, scraped by a real Prometheus', { skip: skipWithout('prometheus') }, () => {
  let receiver: GrpcReceiver;
  let app: Running;
  let prometheus: PrometheusProcess;
  let metricsPort: number;

  before(async () => {
    receiver = await GrpcReceiver.start();
    metricsPort = await freePort();
    app = startCli(['--metrics_exporter', 'prometheus', '--service_name', 'prom-e2e', ...APP], {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_LOGS_EXPORTER: 'none',
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
      OTEL_BSP_SCHEDULE_DELAY: '100',
    });
    const [, port] = await app.waitForLine(/listening (\d+)/);
    prometheus = await PrometheusProcess.start(`127.0.0.1:${metricsPort}`);
    for (const path of ['/hello', '/hello', '/order', '/order']) await httpGet(`http://127.0.0.1:${port}${path}`);
  });

  after(async () => {
    await prometheus?.stop();
    if (app !== undefined) await stopApp(app);
    await receiver?.close();
  });

  it('serves spec-named families with HELP and TYPE lines at /metrics', async () => {
    const scope = `otel_scope_name="otel-instrument/http",otel_scope_version="${VERSION}"`;
    const ok = `http_request_method="GET",http_response_status_code="200",network_protocol_version="1.1",url_scheme="http",${scope}`;
    // The server records a request's duration when its response closes: poll until all four are in.
    const text = await poll('four requests at /metrics', async () => {
      const body = await scrape(metricsPort);
      return lines(body).includes(`http_server_request_duration_seconds_count{${ok}} 4`) ? body : undefined;
    });
    const all = lines(text);
    for (const line of [
      '# HELP http_server_request_duration_seconds Duration of HTTP server requests.',
      '# TYPE http_server_request_duration_seconds histogram',
      `http_server_request_duration_seconds_bucket{${ok},le="+Inf"} 4`,
      '# HELP shop_orders_total Orders placed.',
      '# TYPE shop_orders_total counter',
      'shop_orders_total{order_kind="book",otel_scope_name="shop",otel_scope_version="1.0.0"} 2',
      '# TYPE process_cpu_time_seconds_total counter',
      '# TYPE process_memory_usage_bytes gauge',
      '# TYPE nodejs_eventloop_utilization_ratio gauge',
      '# TYPE target_info gauge',
    ]) {
      assert.ok(all.includes(line), `missing line ${JSON.stringify(line)} in:\n${text}`);
    }
    assert.match(text, /^target_info\{.*service_name="prom-e2e".*\} 1$/m);
    assert.ok(
      all.some((l) => l.startsWith(`process_cpu_time_seconds_total{cpu_mode="user",otel_scope_name="otel-instrument/runtime",otel_scope_version="${VERSION}"} `)),
      text,
    );
    assert.equal(all.filter((l) => l.startsWith('# TYPE ')).length, new Set(all.filter((l) => l.startsWith('# TYPE '))).size, 'one TYPE per family');
    assert.equal((await httpGet(`http://127.0.0.1:${metricsPort}/`)).status, 404);
  });

  it('is scraped by Prometheus: the request histogram buckets and runtime metrics can be queried', async () => {
    const buckets = await prometheus.waitForSeries('http_server_request_duration_seconds_bucket', (r) => r.metric.le === '+Inf' && r.value[1] === '4');
    const inf = buckets.find((r) => r.metric.le === '+Inf')!;
    assert.equal(inf.metric.job, 'otel-app');
    assert.equal(inf.metric.instance, `127.0.0.1:${metricsPort}`);
    assert.equal(inf.metric.http_request_method, 'GET');
    assert.equal(inf.metric.otel_scope_name, 'otel-instrument/http');
    assert.ok(buckets.length >= 15, `one series per bucket bound plus +Inf, got ${buckets.length}`);

    const up = await prometheus.query('up{job="otel-app"}');
    assert.equal(up[0]?.value[1], '1', 'the scrape parses');
    const cpu = await prometheus.waitForSeries('process_cpu_time_seconds_total');
    assert.deepEqual(cpu.map((r) => r.metric.cpu_mode).sort(), ['system', 'user']);
    const loop = await prometheus.waitForSeries('nodejs_eventloop_utilization_ratio');
    assert.ok(Number(loop[0]!.value[1]) >= 0 && Number(loop[0]!.value[1]) <= 1, JSON.stringify(loop));
    const heap = await prometheus.waitForSeries('v8js_memory_heap_used_bytes');
    assert.ok(heap.some((r) => r.metric.v8js_heap_space_name === 'old_space'));
    const orders = await prometheus.waitForSeries('shop_orders_total');
    assert.deepEqual([orders[0]!.metric.order_kind, orders[0]!.value[1]], ['book', '2']);

    // The resource: target_info, to which Prometheus adds the target's job and instance.
    const target = await prometheus.waitForSeries('target_info');
    assert.equal(target.length, 1);
    assert.equal(target[0]!.metric.service_name, 'prom-e2e');
    assert.equal(target[0]!.metric.telemetry_sdk_name, 'otel-instrument');
    assert.deepEqual([target[0]!.metric.job, target[0]!.metric.instance], ['otel-app', `127.0.0.1:${metricsPort}`]);
  });

  it('does not trace or count its own scrapes', async () => {
    // Prometheus has scraped many times by now; the app served four requests.
    const count = await prometheus.query('sum(http_server_request_duration_seconds_count)');
    assert.equal(count[0]?.value[1], '4');
    const spans = await receiver.waitForSpans(4);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const paths = receiver.spans().map((s) => s.attributes['url.path']);
    assert.deepEqual(paths.filter((p) => p === '/metrics'), []);
    assert.equal(spans.filter((s) => s.kind === 2).length >= 4, true);
  });
});

describe('prometheus exporter beside otlp', () => {
  it('scrapes leave OTLP its data: the final export is cumulative and complete, with one warning for a delta preference', async () => {
    const receiver = await GrpcReceiver.start();
    const metricsPort = await freePort();
    const app = startCli(['--metrics_exporter', 'otlp,prometheus', '--traces_exporter', 'none', ...APP], {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_LOGS_EXPORTER: 'none',
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
      OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'delta',
      // No periodic export during the test: only the one at exit, after the scrapes.
      OTEL_METRIC_EXPORT_INTERVAL: '600000',
    });
    try {
      const [, port] = await app.waitForLine(/listening (\d+)/);
      await httpGet(`http://127.0.0.1:${port}/order`);
      await httpGet(`http://127.0.0.1:${port}/order`);
      await poll('both orders at /metrics', async () => (lines(await scrape(metricsPort)).some((l) => l.startsWith('shop_orders_total{') && l.endsWith(' 2')) ? true : undefined));
      await scrape(metricsPort);
    } finally {
      await stopApp(app);
    }
    try {
      const metrics = await receiver.waitForMetrics((all) => all.some((m) => m.name === 'shop.orders'));
      const orders = metrics.find((m) => m.name === 'shop.orders')!;
      assert.equal(orders.temporality, 2, 'cumulative');
      assert.equal(Number(orders.points[0]!.value), 2);
      const http = metrics.find((m) => m.name === 'http.server.request.duration')!;
      assert.equal(Number(http.points[0]!.count), 2);
    } finally {
      await receiver.close();
    }
    const warnings = app.stderr().split('\n').filter((l) => l.includes('TEMPORALITY_PREFERENCE'));
    assert.deepEqual(warnings, [
      'otel-instrument: warn: OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE=delta is not applied: with OTEL_METRICS_EXPORTER=prometheus every exporter gets cumulative data',
    ]);
  });
});

describe('prometheus exporter on a taken port', () => {
  it('warns once, naming OTEL_EXPORTER_PROMETHEUS_PORT and its value, and the app runs on', async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    const app = startCli(['--metrics_exporter', 'prometheus', '--traces_exporter', 'none', ...APP], {
      OTEL_LOGS_EXPORTER: 'none',
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(port),
    });
    try {
      const [, appPort] = await app.waitForLine(/listening (\d+)/);
      assert.equal((await httpGet(`http://127.0.0.1:${appPort}/hello`)).body, 'ok');
      await waitFor(() => app.stderr().includes('\n'), 'the warning');
    } finally {
      await stopApp(app);
      taken.close();
    }
    const stderr = app.stderr().split('\n').filter((l) => l !== '');
    assert.equal(stderr.length, 1, app.stderr());
    assert.match(stderr[0]!, new RegExp(`^otel-instrument: warn: prometheus: cannot serve /metrics on 127\\.0\\.0\\.1:${port} .*OTEL_EXPORTER_PROMETHEUS_PORT=${port}\\).*address already in use`));
  });
});
