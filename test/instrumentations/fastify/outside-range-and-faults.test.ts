// A fastify outside the supported range is left alone, even beside a supported one that listens to
// the same channel; and a fault of our own (a tracer that throws) turns the instrumentation off
// without the app noticing. The out-of-range fastify is the installed fastify 5's own code, copied
// with its version set to 6.0.0-alpha.4 (a pre-release npm has; no fastify 6 is installed here).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SpanKind } from '../../../src/otel-api/enums.js';
import { instrumentInProcess, waitForSpans } from '../../support/in-process-instrumentation.js';

const recorded = instrumentInProcess(['http', 'fastify']);

interface Instance {
  get(path: string, handler: (request: { params: Record<string, string> }) => unknown): void;
  listen(options: { port: number; host: string }): Promise<string>;
  close(): Promise<void>;
  readonly version: string;
  readonly server: { address(): { port: number } };
}
type Factory = () => Instance;

const ROOT = join(__dirname, '..', '..', '..', '..');
let copy: string;

/** fastify 5's files under <worktree>/dist/<tmp>/node_modules/fastify (its dependencies resolve from the worktree's node_modules). */
function fastifyWithVersion(version: string): Factory {
  const source = dirname(realpathSync(require.resolve('fastify/package.json')));
  copy = mkdtempSync(join(ROOT, 'dist', 'fastify-outside-range-'));
  const target = join(copy, 'node_modules', 'fastify');
  mkdirSync(target, { recursive: true });
  for (const entry of ['fastify.js', 'lib']) cpSync(join(source, entry), join(target, entry), { recursive: true });
  const manifest = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8')) as { version: string };
  const main = readFileSync(join(source, 'fastify.js'), 'utf8');
  writeFileSync(join(target, 'package.json'), JSON.stringify({ ...manifest, version }));
  writeFileSync(join(target, 'fastify.js'), main.replace(`const VERSION = '${manifest.version}'`, `const VERSION = '${version}'`));
  return require(target) as Factory;
}

async function serve(fastify: Factory): Promise<{ app: Instance; url: string }> {
  const app = fastify();
  app.get('/users/:id', async (request) => ({ id: request.params.id }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url: `http://127.0.0.1:${app.server.address().port}/users/42` };
}

let supported: { app: Instance; url: string };
let outside: { app: Instance; url: string };

before(async () => {
  supported = await serve(require('fastify') as Factory);
  outside = await serve(fastifyWithVersion('6.0.0-alpha.4'));
});

after(async () => {
  await Promise.all([supported.app.close(), outside.app.close()]);
  rmSync(copy, { recursive: true, force: true });
});

async function spansOf(url: string, count: number): Promise<string[]> {
  recorded.clear();
  const answer = await fetch(url);
  assert.equal(await answer.text(), '{"id":"42"}');
  await waitForSpans(recorded.spans, count);
  await new Promise((resolve) => setImmediate(resolve));
  return recorded.spans.map((s) => `${s.kind === SpanKind.SERVER ? 'server' : 'internal'} ${s.name}`);
}

test('fastify 6.0.0-alpha.4 gets no route and no handler span, while fastify 5 in the same process gets both', async () => {
  assert.equal(outside.app.version, '6.0.0-alpha.4');
  // Its handler channel has a listener (fastify 5's instance made us subscribe): it is still left alone.
  assert.deepEqual(await spansOf(outside.url, 1), ['server GET']);
  assert.deepEqual((await spansOf(supported.url, 2)).sort(), ['internal handler - GET /users/:id', 'server GET /users/:id']);
});

test('a tracer that throws in our handler span turns the instrumentation off; the request is answered as before', async () => {
  const { tracer } = require('../../../instrumentations/fastify/telemetry.js') as typeof import('../../../instrumentations/fastify/telemetry.js');
  const { guard } = require('../../../instrumentations/fastify/telemetry.js') as typeof import('../../../instrumentations/fastify/telemetry.js');
  const real = tracer();
  const original = real.startSpan;
  real.startSpan = () => {
    throw new Error('injected fault');
  };
  try {
    // The route is set (that needs no tracer), then the handler span fails: no span, and off for good.
    assert.deepEqual(await spansOf(supported.url, 1), ['server GET /users/:id']);
    assert.equal(guard.enabled, false);
  } finally {
    real.startSpan = original;
  }
  assert.deepEqual(await spansOf(supported.url, 1), ['server GET']);
});
