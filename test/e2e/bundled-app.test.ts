// A bundled app (esbuild or webpack, one file) under the launcher: with otel-instrument/esbuild or
// otel-instrument/webpack in the build it gets the same spans and log records as the unbundled app;
// without them, express and pino are inlined where no hook sees them load. The bundle runs from a temp dir and finds the packages
// kept out of it through NODE_PATH, as a deployment ships node_modules beside it.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GrpcReceiver } from '../support/otlp-receiver.js';
import { FIXTURES, ROOT, httpGet, startCli } from '../support/run-cli.js';
import { otelInstrumentPlugin } from '../../src/bundlers/esbuild.js';
import { OtelInstrumentWebpackPlugin } from '../../src/bundlers/webpack.js';

const APP = join(FIXTURES, 'bundled', 'app.js');
let dir: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'otel-bundled-'));
});

after(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

async function bundle(name: string, plugins: unknown[], external: string[] = []): Promise<string> {
  const esbuild = require('esbuild') as { build(options: object): Promise<unknown> };
  const outfile = join(dir, `${name}.js`);
  await esbuild.build({ entryPoints: [APP], bundle: true, platform: 'node', format: 'cjs', outfile, plugins, external, logLevel: 'silent' });
  return outfile;
}

/** webpack 5 through its Node API, as a webpack.config.js would set it; `module` makes an ES module bundle. */
async function webpackBundle(name: string, plugins: unknown[], module = false): Promise<string> {
  const webpack = require('webpack') as (config: object, callback: (error: Error | null, stats?: { hasErrors(): boolean; toString(o: string): string }) => void) => unknown;
  const filename = `${name}.${module ? 'mjs' : 'js'}`;
  const config = {
    mode: 'none',
    target: 'node',
    entry: APP,
    output: module ? { path: dir, filename, module: true, chunkFormat: 'module' } : { path: dir, filename },
    experiments: module ? { outputModule: true } : {},
    plugins,
  };
  await new Promise<void>((resolve, reject) =>
    webpack(config, (error, stats) => {
      if (error !== null) reject(error);
      else if (stats?.hasErrors() === true) reject(new Error(stats.toString('errors-only')));
      else resolve();
    }),
  );
  return join(dir, filename);
}

interface Run {
  readonly spans: string[];
  readonly logs: number;
  readonly body: string;
}

async function runUnder(script: string, expectLogs: boolean): Promise<Run> {
  const receiver = await GrpcReceiver.start();
  try {
    const app = startCli(['node', script], {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'otlp',
      NODE_PATH: join(ROOT, 'node_modules'),
    }, dir);
    const port = Number((await app.waitForLine(/listening (\d+)/))[1]);
    const response = await httpGet(`http://127.0.0.1:${port}/items/1`);
    app.child.kill('SIGTERM');
    await app.exited();
    await receiver.waitForSpans(1);
    if (expectLogs) await receiver.waitForLogs(1);
    return { spans: receiver.spans().map((s) => s.name).sort(), logs: receiver.logs().length, body: response.body };
  } finally {
    await receiver.close();
  }
}

test('with the plugin, a bundled app gets the spans and log records of the unbundled one', async () => {
  const unbundled = await runUnder(APP, true);
  const bundled = await runUnder(await bundle('with-plugin', [otelInstrumentPlugin()]), true);
  assert.equal(bundled.body, unbundled.body);
  assert.ok(unbundled.spans.includes('GET /items/:id'), unbundled.spans.join(', '));
  assert.deepEqual(bundled.spans, unbundled.spans);
  assert.equal(bundled.logs, unbundled.logs);
  assert.ok(bundled.logs >= 1);
});

test('without it, the inlined express goes unseen: the server span has no route', async () => {
  const bundled = await runUnder(await bundle('without-plugin', []), false);
  assert.ok(!bundled.spans.includes('GET /items/:id'), bundled.spans.join(', '));
  assert.ok(bundled.spans.includes('GET'), bundled.spans.join(', '));
});

test('with the webpack plugin, a CommonJS and an ES module bundle get the spans and log records of the unbundled app', async () => {
  const unbundled = await runUnder(APP, true);
  for (const module of [false, true]) {
    const bundled = await runUnder(await webpackBundle(`webpack-${module ? 'esm' : 'cjs'}`, [new OtelInstrumentWebpackPlugin()], module), true);
    assert.equal(bundled.body, unbundled.body, `module: ${module}`);
    assert.deepEqual(bundled.spans, unbundled.spans, `module: ${module}`);
    assert.equal(bundled.logs, unbundled.logs, `module: ${module}`);
  }
});

test('a webpack bundle without it inlines express: the server span has no route', async () => {
  const bundled = await runUnder(await webpackBundle('webpack-without', []), false);
  assert.ok(!bundled.spans.includes('GET /items/:id'), bundled.spans.join(', '));
  assert.ok(bundled.spans.includes('GET'), bundled.spans.join(', '));
});
