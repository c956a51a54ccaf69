// A koa, @koa/router or koa-router outside the supported majors is left alone: copies of the real
// packages with another version in their package.json, loaded by their own names through the
// module hooks, as an app's would be. The supported ones, loaded in the same process, are patched
// (so the test can tell the difference).

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind } from '../../../src/otel-api/enums.js';
import { isWrapped } from '../../../src/hook/patch.js';
import { instrumentInProcess, waitForSpans } from '../../support/in-process-instrumentation.js';
import { ROOT } from '../../support/run-cli.js';

const recorded = instrumentInProcess(['http', 'koa']);

// Inside the build folder, so the copies find their dependencies in the repository's node_modules.
const scratch = mkdtempSync(join(__dirname, 'versions-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** A copy of `name` installed as `name` with `version` in its package.json; returns its folder. */
function copyWithVersion(name: string, version: string): string {
  const target = join(scratch, 'node_modules', name);
  cpSync(join(ROOT, 'node_modules', name), target, { recursive: true, dereference: true });
  const manifest = join(target, 'package.json');
  writeFileSync(manifest, JSON.stringify({ ...JSON.parse(readFileSync(manifest, 'utf8')), version }));
  return target;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- koa's and the routers' own objects */
function routerOf(exports: any): any {
  return exports.Router ?? exports;
}

test('koa 4, @koa/router 16 and koa-router 11 are not patched; koa 3, @koa/router 15 and koa-router 14 are', () => {
  const Koa4 = require(copyWithVersion('koa', '4.0.0'));
  const Router16 = routerOf(require(copyWithVersion('@koa/router', '16.0.0')));
  const Router11 = routerOf(require(copyWithVersion('koa-router', '11.0.0')));
  assert.equal(Object.hasOwn(Koa4.prototype, 'emit'), false);
  assert.equal(isWrapped(Router16.prototype.register), false);
  assert.equal(isWrapped(Router11.prototype.register), false);

  const Koa3 = require('koa');
  assert.notEqual(Koa3, Koa4);
  assert.equal(isWrapped(Koa3.prototype.emit), true);
  assert.equal(isWrapped(routerOf(require('@koa/router')).prototype.register), true);
  assert.equal(isWrapped(routerOf(require('koa-router')).prototype.register), true);
});

test('an app on the unsupported copies still gets its http server span, with no route and no handler span', async () => {
  const Koa4 = require(join(scratch, 'node_modules', 'koa'));
  const Router16 = routerOf(require(join(scratch, 'node_modules', '@koa', 'router')));
  const router = new Router16();
  router.get('/users/:id', (ctx: any) => {
    ctx.body = { user: ctx.params.id };
  });
  const app = new Koa4();
  app.use(router.routes());
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  try {
    recorded.clear();
    const answer = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/users/1`);
    assert.equal(await answer.text(), '{"user":"1"}');
    await waitForSpans(recorded.spans, 1);
    assert.deepEqual(recorded.spans.map((s) => [s.kind, s.name, s.attributes['http.route']]), [[SpanKind.SERVER, 'GET', undefined]]);
  } finally {
    server.closeAllConnections();
    server.close();
  }
});
