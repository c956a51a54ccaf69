import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SpanKind } from '@opentelemetry/api';
import { parseIgnoredLayerTypes } from '../../../instrumentations/express/config.js';
import { childPrefix, layerMeta, layerRoute, layerSpanOptions, recordRoute, recordUse } from '../../../instrumentations/express/layer-metadata.js';

function fakeRouter(): (() => void) & { stack: unknown[]; handle: () => void } {
  const router = Object.assign(function router(): void {}, { stack: [] as unknown[], handle(): void {} });
  return router;
}

test('Router#use layers are described as middleware by function name, or as routers by mount path', () => {
  function jsonParser(): void {}
  // A function in an array literal gets no name (one assigned to a property would).
  const anonymous = [function (): void {}][0];
  const stack: object[] = [{ handle: jsonParser }, { handle: anonymous }];
  recordUse(stack, 0, jsonParser);
  assert.equal(layerMeta(stack[0]!)?.spanName, 'middleware - jsonParser');
  assert.equal(layerMeta(stack[1]!)?.name, '<anonymous>');

  const mounts: object[] = [{ handle: fakeRouter() }, { handle: function mounted_app(): void {} }];
  recordUse(mounts, 0, '/api/');
  const router = layerMeta(mounts[0]!)!;
  assert.equal(router.type, 'router');
  assert.equal(router.spanName, 'router - /api/');
  assert.equal(childPrefix(router, ''), '/api');
  assert.equal(childPrefix(router, '/v1'), '/v1/api');
  assert.equal(layerMeta(mounts[1]!)?.type, 'router');
});

test('only the layers pushed by this call are described, and each only once', () => {
  function first(): void {}
  function second(): void {}
  const stack: object[] = [{ handle: first }];
  recordUse(stack, 0, first);
  stack.push({ handle: second });
  recordUse(stack, 1, '/late');
  assert.equal(layerMeta(stack[0]!)?.segment, '');
  assert.equal(layerMeta(stack[1]!)?.segment, '/late');
});

test('Router#route layers are request handlers whose route composes with the router prefix', () => {
  const stack: object[] = [{ route: {}, handle(): void {} }];
  recordRoute(stack, 0, '/users/:id');
  const meta = layerMeta(stack[0]!)!;
  assert.equal(meta.type, 'request_handler');
  assert.equal(meta.spanName, 'request handler - /users/:id');
  assert.equal(layerRoute(meta, '/api'), '/api/users/:id');
});

test('span options are internal, carry express.* and http.route, and are reused for the same prefix', () => {
  const stack: object[] = [{ route: {}, handle(): void {} }, { handle: function logger(): void {} }];
  recordRoute(stack, 0, '/items');
  recordUse(stack, 1, function logger(): void {});
  const route = layerMeta(stack[0]!)!;
  const options = layerSpanOptions(route, '/shop');
  assert.equal(options.kind, SpanKind.INTERNAL);
  assert.deepEqual(options.attributes, { 'express.name': '/items', 'express.type': 'request_handler', 'http.route': '/shop/items' });
  assert.equal(layerSpanOptions(route, '/shop'), options);
  assert.notEqual(layerSpanOptions(route, '/other'), options);
  // A middleware at the app's root has no route of its own.
  assert.equal(layerSpanOptions(layerMeta(stack[1]!)!, '').attributes!['http.route'], undefined);
  assert.equal(layerSpanOptions(layerMeta(stack[1]!)!, '/api').attributes!['http.route'], '/api');
});

test('the ignore list accepts layer types, "all" and "none", case- and space-insensitively; unset or empty means middleware', () => {
  assert.deepEqual([...parseIgnoredLayerTypes(undefined)], ['middleware']);
  assert.deepEqual([...parseIgnoredLayerTypes(' ')], ['middleware']);
  assert.deepEqual([...parseIgnoredLayerTypes('none')], []);
  assert.deepEqual([...parseIgnoredLayerTypes(' Middleware , router ')].sort(), ['middleware', 'router']);
  assert.deepEqual([...parseIgnoredLayerTypes('all')].sort(), ['middleware', 'request_handler', 'router']);
  // Unknown entries are skipped (with a one-time warning naming the variable).
  assert.deepEqual([...parseIgnoredLayerTypes('request_handler,bogus')], ['request_handler']);
});
