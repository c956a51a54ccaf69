// The in-process checks every Nest major runs (nest12.test.ts, nest10.test.ts, nest11.test.ts): the
// fixture app test/fixtures/nestjs/users-app.js on one platform, its spans and duration measurements
// read from memory. `load` gives the Nest packages of the major under test.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { SpanKind, SpanStatusCode } from '../../../src/otel-api/enums.js';
import { PACKAGE_VERSION } from '../../../src/package-info.js';
import type { ReadableSpan } from '../../../src/trace/span-data.js';
import { FIXTURES } from '../../support/run-cli.js';
import { waitForSpans, type InProcess } from '../../support/in-process-instrumentation.js';

export type Platform = 'express' | 'fastify';

interface UsersApp {
  readonly app: { close(): Promise<unknown> };
  readonly port: number;
}

const { createUsersApp } = require(join(FIXTURES, 'nestjs', 'users-app.js')) as {
  createUsersApp(load: (name: string) => unknown, platform: Platform): Promise<UsersApp>;
};

export function startUsersApp(load: (name: string) => unknown, platform: Platform): Promise<UsersApp> {
  return createUsersApp(load, platform);
}

/** Spans of the platform's own instrumentation (express's layers, fastify's handler). */
export function platformSpansOf(spans: readonly ReadableSpan[], platform: Platform): ReadableSpan[] {
  return spans.filter((s) => s.scope.name === `otel-instrument/${platform}`);
}

export function childrenOf(spans: readonly ReadableSpan[], parent: ReadableSpan): ReadableSpan[] {
  return spans.filter((s) => s.traceId === parent.traceId && s.parentSpanId === parent.spanId);
}

export function serverSpanOf(spans: readonly ReadableSpan[], path: string): ReadableSpan {
  const found = spans.filter((s) => s.kind === SpanKind.SERVER && s.attributes['url.path'] === path);
  assert.equal(found.length, 1, `one server span for ${path}: ${spans.map((s) => s.name).join(', ')}`);
  return found[0]!;
}

export function nestSpansOf(spans: readonly ReadableSpan[]): ReadableSpan[] {
  return spans.filter((s) => s.scope.name === 'otel-instrument/nestjs');
}

/** GET `path` and wait for `spanCount` ended spans; answers with status and body text. */
export async function ask(recorded: InProcess, port: number, path: string, spanCount: number): Promise<{ status: number; body: string }> {
  recorded.clear();
  const answer = await fetch(`http://127.0.0.1:${port}${path}`);
  const body = await answer.text();
  await waitForSpans(recorded.spans, spanCount);
  // Nothing else arrives late.
  await new Promise((resolve) => setImmediate(resolve));
  return { status: answer.status, body };
}

function durationRoutes(recorded: InProcess): unknown[] {
  return recorded.measurements.filter((m) => m.instrument === 'http.server.request.duration').map((m) => m.attributes['http.route']);
}

/**
 * Registers the checks for one Nest major on one platform. `nestVersion` is the @nestjs/core version
 * `load` gives (nestjs.version).
 */
export function describeUsersApp(recorded: InProcess, load: () => (name: string) => unknown, platform: Platform, nestVersion: () => string): void {
  describe(`the NestJS fixture app on the ${platform} platform`, () => {
    let running: UsersApp;
    before(async () => {
      running = await startUsersApp(load(), platform);
    });
    after(async () => {
      await running?.app.close();
    });

    test('server spans are named by Nest route with global prefix and URI version, and the duration metric has the same http.route', async () => {
      const routes: Record<string, string> = {
        '/api/v1/users/42': '/api/v1/users/:id',
        '/api/health': '/api/health',
        '/api/admin/secret?token=yes': '/api/admin/secret',
        '/api/scoped': '/api/scoped',
      };
      for (const [path, route] of Object.entries(routes)) {
        const answer = await ask(recorded, running.port, path, 2);
        assert.equal(answer.status, 200, `${path}: ${answer.body}`);
        const server = serverSpanOf(recorded.spans, path.replace(/\?.*/, ''));
        assert.equal(server.name, `GET ${route}`);
        assert.equal(server.attributes['http.route'], route);
        assert.equal(server.status.code, SpanStatusCode.UNSET);
        assert.deepEqual(durationRoutes(recorded), [route]);
      }
    });

    test('the route runs in an INTERNAL span {Controller}.{method}, the server span child and the one handler span: the platform makes none, interceptor, pipe and guard get none', async () => {
      const answer = await ask(recorded, running.port, '/api/v1/users/42', 2);
      assert.equal(answer.body, '{"user":"42","tagged":true}');
      const server = serverSpanOf(recorded.spans, '/api/v1/users/42');
      const [nest, ...others] = childrenOf(recorded.spans, server);
      assert.deepEqual(others, []);
      assert.equal(nest?.name, 'UsersController.findOne');
      assert.equal(nest.kind, SpanKind.INTERNAL);
      assert.deepEqual(nest.attributes, {
        'nestjs.type': 'request_context',
        'nestjs.controller': 'UsersController',
        'nestjs.callback': 'findOne',
        'nestjs.version': nestVersion(),
        'code.function.name': 'UsersController.findOne',
      });
      assert.deepEqual([nest.scope.name, nest.scope.version], ['otel-instrument/nestjs', PACKAGE_VERSION]);
      assert.equal(nest.status.code, SpanStatusCode.UNSET);
      assert.deepEqual(childrenOf(recorded.spans, nest), []);
      assert.deepEqual(platformSpansOf(recorded.spans, platform), []);
      assert.equal(recorded.spans.length, 2);

      for (const [path, name] of [
        ['/api/v1/users/7/items/3', 'UsersController.items'],
        ['/api/admin/secret?token=yes', 'AdminController.secret'],
        ['/api/scoped', 'ScopedController.read'],
      ] as const) {
        await ask(recorded, running.port, path, 2);
        assert.deepEqual(
          recorded.spans.filter((s) => s.kind === SpanKind.INTERNAL).map((s) => [s.name, s.scope.name]),
          [[name, 'otel-instrument/nestjs']],
          path,
        );
      }
    });

    test('a call the controller method makes is a child of its span, and the trace goes on into the request it makes', async () => {
      // The outer request's two spans, the client span, and the inner request's two.
      const answer = await ask(recorded, running.port, '/api/v1/users/7/profile', 5);
      assert.equal(answer.body, '{"profile":{"user":"7","tagged":true}}');
      const nest = recorded.spans.find((s) => s.name === 'UsersController.profile')!;
      const clients = recorded.spans.filter((s) => s.kind === SpanKind.CLIENT);
      assert.equal(clients.length, 1);
      assert.equal(clients[0]!.parentSpanId, nest.spanId);
      assert.equal(nest.parentSpanId, serverSpanOf(recorded.spans, '/api/v1/users/7/profile').spanId);
      const inner = serverSpanOf(recorded.spans, '/api/v1/users/7');
      assert.equal(inner.parentSpanId, clients[0]!.spanId);
      assert.equal(inner.traceId, nest.traceId);
    });

    test('an error the method throws or rejects with, or an HttpException of 500, is recorded on the server span though Nest answers it', async () => {
      const cases = [
        ['/api/v1/users/fail/throw', 'RangeError', 'out of range', 'failThrow'],
        ['/api/v1/users/fail/async', 'SyntaxError', 'rejected', 'failAsync'],
        ['/api/v1/users/fail/http-500', 'HttpException', 'upstream failed', 'failHttp500'],
      ] as const;
      for (const [path, type, message, method] of cases) {
        const answer = await ask(recorded, running.port, path, 2);
        assert.equal(answer.status, 500, path);
        const server = serverSpanOf(recorded.spans, path);
        assert.equal(server.attributes['error.type'], type, path);
        assert.deepEqual(server.status, { code: SpanStatusCode.ERROR, message }, path);
        assert.deepEqual(
          server.events.map((e) => [e.name, e.attributes['exception.type'], e.attributes['exception.message']]),
          [['exception', type, message]],
          path,
        );
        const [nest] = nestSpansOf(recorded.spans);
        assert.equal(nest?.name, `UsersController.${method}`);
        assert.deepEqual(nest.status, { code: SpanStatusCode.ERROR, message }, path);
        assert.deepEqual(nest.events.map((e) => e.attributes['exception.type']), [type], path);
        const duration = recorded.measurements.find((m) => m.instrument === 'http.server.request.duration')!;
        assert.equal(duration.attributes['error.type'], type, path);
      }
    });

    test("a 4xx HttpException (a controller's NotFoundException, a pipe's 400, a guard's 403) is Nest's answer: nothing recorded, no error status", async () => {
      const cases = [
        ['/api/v1/users/missing', 404, 'UsersController.findOne'],
        ['/api/v1/users/7/items/abc', 400, 'UsersController.items'],
        ['/api/admin/secret', 403, 'AdminController.secret'],
      ] as const;
      for (const [path, status, name] of cases) {
        const answer = await ask(recorded, running.port, path, 2);
        assert.equal(answer.status, status, path);
        assert.equal(recorded.spans.length, 2, path);
        assert.deepEqual(nestSpansOf(recorded.spans).map((s) => s.name), [name], path);
        for (const span of recorded.spans) {
          assert.deepEqual(span.events, [], `${path}: ${span.name}`);
          assert.equal(span.status.code, SpanStatusCode.UNSET, `${path}: ${span.name}`);
          assert.equal(span.attributes['error.type'], undefined, `${path}: ${span.name}`);
        }
      }
    });

    test("a path no controller route answers is Nest's 404, not an error, and gets no Nest span", async () => {
      // Nest 12 on express answers what no route matched under a global prefix from a catch-all route
      // it registers there (`router.all('*path')` mounted at the prefix), and express's instrumentation
      // names the span after it; Nest 10 and 11 answer from a middleware, fastify from its not-found handler.
      const route = platform === 'express' && Number(nestVersion().split('.')[0]) >= 12 ? '/api/*path' : undefined;
      const answer = await ask(recorded, running.port, '/api/nope', route === undefined ? 1 : 2);
      assert.equal(answer.status, 404);
      const server = serverSpanOf(recorded.spans, '/api/nope');
      assert.equal(server.name, route === undefined ? 'GET' : `GET ${route}`);
      assert.equal(server.attributes['http.route'], route);
      assert.equal(server.status.code, SpanStatusCode.UNSET);
      assert.deepEqual(server.events, []);
      assert.deepEqual(nestSpansOf(recorded.spans), []);
      assert.deepEqual(durationRoutes(recorded), [route]);
    });
  });
}
