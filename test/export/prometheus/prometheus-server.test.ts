// The /metrics endpoint: what it answers, and that it never holds the process or fails it.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { request, Agent } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { PrometheusServer } from '../../../src/export/prometheus/prometheus-server.js';
import type { ResourceMetrics } from '../../../src/metrics/metric-data.js';

const SERVER_MODULE = join(__dirname, '..', '..', '..', 'src', 'export', 'prometheus', 'prometheus-server.js');

const COLLECTION: ResourceMetrics = {
  resource: { attributes: { 'service.name': 'svc' } },
  scopeMetrics: [{ scope: { name: 'lib' }, metrics: [{ kind: 'gauge', name: 'g', description: 'A gauge.', unit: 'By', valueType: 'int', points: [{ attributes: {}, startTime: [0, 0], time: [0, 0], value: 5, exemplars: [] }] }] }],
};

function fetchText(port: number, path: string, method = 'GET', agent?: Agent): Promise<{ status: number; type: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body }));
    });
    req.on('error', reject).end();
  });
}

async function bound(server: PrometheusServer): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const address = server.address();
    if (address !== undefined) return address.port;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('the server never listened');
}

/** Runs `code` in a fresh node (diag writes to fd 2); resolves with its exit and output. */
function runNode(code: string, onStdout?: (line: string) => void): Promise<{ code: number | null; stderr: string; ms: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, ['-e', code], { env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => onStdout?.(chunk));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr, ms: Date.now() - started })));
}

describe('prometheus endpoint', () => {
  it('answers GET /metrics with a fresh collection in the text format, 404 elsewhere, 405 for other methods', async () => {
    let scrapes = 0;
    const server = new PrometheusServer({ host: '127.0.0.1', port: 0, collect: async () => (scrapes++, COLLECTION) });
    try {
      const port = await bound(server);
      const ok = await fetchText(port, '/metrics');
      assert.equal(ok.status, 200);
      assert.equal(ok.type, 'text/plain; version=0.0.4; charset=utf-8');
      assert.equal(
        ok.body,
        '# HELP target_info Target metadata\n# TYPE target_info gauge\ntarget_info{service_name="svc"} 1\n' +
          '# HELP g_bytes A gauge.\n# TYPE g_bytes gauge\ng_bytes{otel_scope_name="lib",otel_scope_version=""} 5\n',
      );
      assert.equal((await fetchText(port, '/metrics?x=1')).status, 200);
      assert.equal(scrapes, 2);
      assert.equal((await fetchText(port, '/')).status, 404);
      assert.equal((await fetchText(port, '/metrics/x')).status, 404);
      assert.equal((await fetchText(port, '/metrics', 'POST')).status, 405);
      const head = await fetchText(port, '/metrics', 'HEAD');
      assert.deepEqual([head.status, head.body], [200, '']);
      assert.equal(scrapes, 3);
    } finally {
      await server.close();
    }
  });

  it('answers 500 when the collection fails, and keeps serving', async () => {
    let fail = true;
    const server = new PrometheusServer({ host: '127.0.0.1', port: 0, collect: async () => (fail ? Promise.reject(new Error('boom')) : COLLECTION) });
    try {
      const port = await bound(server);
      assert.equal((await fetchText(port, '/metrics')).status, 500);
      fail = false;
      assert.equal((await fetchText(port, '/metrics')).status, 200);
    } finally {
      await server.close();
    }
  });

  it('does not bind before the first turn of the event loop', () => {
    const server = new PrometheusServer({ host: '127.0.0.1', port: 0, collect: async () => COLLECTION });
    assert.equal(server.address(), undefined);
    return server.close();
  });

  it('warns in one line naming OTEL_EXPORTER_PROMETHEUS_PORT when the port is taken, and the process goes on', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    try {
      const code = `
        const { PrometheusServer } = require(${JSON.stringify(SERVER_MODULE)});
        new PrometheusServer({ host: '127.0.0.1', port: ${port}, collect: async () => { throw new Error('unused'); } });
        setTimeout(() => console.log('still running'), 200);`;
      let out = '';
      const result = await runNode(code, (chunk) => (out += chunk));
      assert.equal(result.code, 0);
      assert.equal(out, 'still running\n');
      const lines = result.stderr.split('\n').filter((line) => line !== '');
      assert.equal(lines.length, 1, result.stderr);
      assert.match(lines[0]!, new RegExp(`^otel-instrument: warn: prometheus: .*OTEL_EXPORTER_PROMETHEUS_PORT=${port}\\b.*address already in use`));
    } finally {
      taken.close();
    }
  });

  it('never keeps the process alive, even with a scraper holding a keep-alive connection', async () => {
    const code = `
      const { PrometheusServer } = require(${JSON.stringify(SERVER_MODULE)});
      const collection = { resource: { attributes: {} }, scopeMetrics: [] };
      const server = new PrometheusServer({ host: '127.0.0.1', port: 0, collect: async () => collection });
      const wait = () => { const a = server.address(); if (a) console.log('port ' + a.port); else setTimeout(wait, 5); };
      wait();
      setTimeout(() => undefined, 600);`;
    const agent = new Agent({ keepAlive: true });
    try {
      let scraped: Promise<unknown> | undefined;
      const result = await runNode(code, (chunk) => {
        const match = /port (\d+)/.exec(chunk);
        if (match !== null) scraped = fetchText(Number(match[1]), '/metrics', 'GET', agent);
      });
      assert.equal(((await scraped) as { status: number }).status, 200);
      assert.equal(result.code, 0);
      // The app's own 600 ms timer is what it waited for; the idle keep-alive socket (5 s) is not.
      assert.ok(result.ms < 3000, `exited after ${result.ms} ms`);
    } finally {
      agent.destroy();
    }
  });
});
