// A hono outside the supported range (4.x) is left alone: a copy of the installed hono whose
// package.json says 3.12.12, loaded through the same module hooks, routes as always and gets neither
// a route nor handler spans, while http still makes its server span.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { dirname, join } from 'node:path';
import { SpanKind } from '../../../src/otel-api/enums.js';
import { instrumentInProcess, waitForSpans } from '../../support/in-process-instrumentation.js';

const recorded = instrumentInProcess(['http', 'hono']);

// Inside the project, so the copy's own requires find the project's node_modules.
const root = mkdtempSync(join(__dirname, 'out-of-range-'));
after(() => rmSync(root, { recursive: true, force: true }));

function copyHonoAs(version: string): string {
  // hono's exports map has no ./package.json: its CommonJS main is dist/cjs/index.js.
  const installed = join(dirname(require.resolve('hono')), '..', '..');
  const copy = join(root, 'node_modules', 'hono');
  mkdirSync(join(copy, 'dist'), { recursive: true });
  cpSync(join(installed, 'dist', 'cjs'), join(copy, 'dist', 'cjs'), { recursive: true });
  const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { version: string };
  writeFileSync(join(copy, 'package.json'), JSON.stringify({ ...pkg, version }));
  return copy;
}

test('hono 3 (out of range) is not patched: its requests keep the method-only span name and get no handler span', async () => {
  copyHonoAs('3.12.12');
  const requireFromRoot = createRequire(join(root, 'app.js'));
  const { Hono } = requireFromRoot('hono') as { Hono: new () => { get(path: string, h: (c: { json(v: unknown): Response }) => Response): void; fetch: unknown } };
  assert.match(requireFromRoot.resolve('hono'), /out-of-range-/);
  const { serve } = require('@hono/node-server') as { serve(o: object, cb: () => void): Server };
  const app = new Hono();
  app.get('/users/:id', (c) => c.json({ ok: true }));
  let server: Server | undefined;
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, resolve);
  });
  try {
    const answer = await fetch(`http://127.0.0.1:${(server!.address() as AddressInfo).port}/users/1`);
    assert.deepEqual(await answer.json(), { ok: true });
    await waitForSpans(recorded.spans, 1);
    assert.deepEqual(recorded.spans.map((s) => [s.name, s.kind, s.attributes['http.route']]), [['GET', SpanKind.SERVER, undefined]]);
  } finally {
    server!.close();
  }
});
