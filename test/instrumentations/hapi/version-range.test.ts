// A hapi outside the supported range (21.x) is left alone: a copy of the installed @hapi/hapi whose
// package.json says 20.3.0, loaded through the same module hooks, answers as always and gets neither
// a route nor handler spans, while http still makes its server span.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { SpanKind } from '../../../src/otel-api/enums.js';
import { instrumentInProcess, waitForSpans } from '../../support/in-process-instrumentation.js';

const recorded = instrumentInProcess(['http', 'hapi']);

// Inside the project, so the copy's own requires (@hapi/boom, ...) find the project's node_modules.
const root = mkdtempSync(join(__dirname, 'out-of-range-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('hapi 20 (out of range) is not patched: its requests keep the method-only span name and get no handler span', async () => {
  const installed = dirname(require.resolve('@hapi/hapi/package.json'));
  const copy = join(root, 'node_modules', '@hapi', 'hapi');
  cpSync(installed, copy, { recursive: true });
  const pkg = JSON.parse(readFileSync(join(copy, 'package.json'), 'utf8')) as { version: string };
  writeFileSync(join(copy, 'package.json'), JSON.stringify({ ...pkg, version: '20.3.0' }));
  const requireFromRoot = createRequire(join(root, 'app.js'));
  assert.match(requireFromRoot.resolve('@hapi/hapi'), /out-of-range-/);
  const Hapi = requireFromRoot('@hapi/hapi') as {
    server(o: object): { route(r: object): void; start(): Promise<void>; stop(): Promise<void>; info: { port: number } };
  };
  const server = Hapi.server({ port: 0, host: '127.0.0.1' });
  server.route({ method: 'GET', path: '/users/{id}', handler: () => ({ ok: true }) });
  await server.start();
  try {
    const answer = await fetch(`http://127.0.0.1:${server.info.port}/users/1`);
    assert.deepEqual(await answer.json(), { ok: true });
    await waitForSpans(recorded.spans, 1);
    assert.deepEqual(recorded.spans.map((s) => [s.name, s.kind, s.attributes['http.route']]), [['GET', SpanKind.SERVER, undefined]]);
  } finally {
    await server.stop();
  }
});
