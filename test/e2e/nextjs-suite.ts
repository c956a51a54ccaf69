// The Next.js e2e suite, run for Next 16 (nextjs.test.ts) and Next 15 (nextjs-15.test.ts): the fixture
// app (test/fixtures/nextjs) built once by `next build`, then run under the real launcher with a real
// OTLP receiver, and without it, as `next start`, as the custom server (CommonJS and ESM) and, where
// the build wrote one, as the standalone server.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FlatSpan } from '../support/otlp-receiver.js';
import { durationPoint, exceptionEvents } from '../support/web-app-run.js';
import {
  CLIENT,
  HANDLE_REQUEST,
  INTERNAL,
  SERVER,
  buildFixture,
  descendantsOf,
  httpServerSpan,
  httpServerSpans,
  ofType,
  removeBuild,
  runNext,
  type Launch,
  type NextBuild,
  type NextRun,
} from '../support/nextjs-app.js';

const PATHS = ['/products/42', '/products/7', '/api/items/9', '/api/fail', '/broken', '/nope', '/guarded', '/'];

const ROUTES: Record<string, string> = {
  '/products/42': '/products/[id]',
  '/products/7': '/products/[id]',
  '/api/items/9': '/api/items/[id]',
  '/api/fail': '/api/fail',
  '/broken': '/broken',
  '/guarded': '/guarded',
  '/': '/',
};

const ERRORS = [
  { path: '/api/fail', type: 'TypeError', message: 'route handler failed' },
  { path: '/broken', type: 'RangeError', message: 'server component failed' },
];

/** Next's own request span for the http server span `server`: the one directly under it. */
function nextRequestSpan(spans: readonly FlatSpan[], server: FlatSpan): FlatSpan {
  const found = ofType(spans, HANDLE_REQUEST).filter((s) => s.traceId === server.traceId && s.parentSpanId === server.spanId);
  assert.equal(found.length, 1, `Next's request span under ${server.name}`);
  return found[0]!;
}

/** The checks every way of starting the app must pass: one SERVER span per path, route-named, Next's spans under it, errors on it. */
function assertRoutedRequests(run: NextRun, paths: readonly string[]): void {
  assert.equal(run.spans.filter((s) => s.kind === SERVER).length, paths.length, 'one SERVER span per request, no other');
  for (const path of paths) {
    const server = httpServerSpan(run.spans, path);
    const route = ROUTES[path];
    assert.equal(server.name, route === undefined ? 'GET' : `GET ${route}`, path);
    assert.equal(server.attributes['http.route'], route, path);
    // Next's request span (two behind the proxy: Next 16 nests its render pass in the proxy pass, 15 does not).
    const passes = ofType(descendantsOf(run.spans, server), HANDLE_REQUEST);
    assert.ok(passes.some((s) => s.parentSpanId === server.spanId), `${path}: Next's request span under the server span`);
    for (const pass of passes) {
      assert.equal(pass.kind, INTERNAL, path);
      assert.equal(pass.scope.name, 'next.js', path);
    }
  }
  for (const { path, type, message } of ERRORS.filter((e) => paths.includes(e.path))) {
    const server = httpServerSpan(run.spans, path);
    assert.equal(run.answers.get(path)?.status, 500, path);
    assert.equal(server.status.code, 2, path);
    assert.equal(server.attributes['error.type'], type, path);
    assert.ok(
      exceptionEvents(server).some((e) => e['exception.type'] === type && e['exception.message'] === message),
      `${path}: ${JSON.stringify(server.events)}`,
    );
  }
}

/** Where the next to test is: a node_modules to link to, or a directory it is installed in (the app is built there). */
export type NextInstall = { readonly nodeModules: string; readonly installDir?: string } | { readonly skip: string };

/** `install` finds or installs the next to test; `launches` are the ways to start the app besides `next start`. */
export function nextjsSuite(label: string, install: () => Promise<NextInstall>, launches: readonly Launch[]): void {
  // Async: when next cannot be installed, the suite is one skipped test that says why.
  describe(label, async () => {
    const found = await install();
    if ('skip' in found) {
      test(`${label} (not installed)`, { skip: found.skip }, () => undefined);
      return;
    }
    let build: NextBuild | undefined;
    let run: NextRun;
    let plain: NextRun;

    before(async () => {
      build = await buildFixture(found.nodeModules, launches.includes('standalone'), found.installDir);
      run = await runNext(build, 'next start', PATHS, true);
      plain = await runNext(build, 'next start', PATHS, false);
    });
    after(() => removeBuild(build));

    test('`next start`: one SERVER span per request, named by Next\'s route, with http.route on the span and the duration metric', (t) => {
      t.diagnostic(`next ${build!.version}: next build took ${build!.buildMs} ms`);
      assertRoutedRequests(run, PATHS);
      assert.equal(Number(durationPoint(run.durations, '/products/[id]', 200).count), 2);
      assert.equal(Number(durationPoint(run.durations, '/api/items/[id]', 200).count), 1);
      assert.equal(Number(durationPoint(run.durations, '/', 200).count), 1);
    });

    test('Next\'s own spans arrive through our provider in the same trace: its request span INTERNAL under the server span, the render below it', () => {
      const server = httpServerSpan(run.spans, '/products/42');
      const nextRequest = nextRequestSpan(run.spans, server);
      const below = descendantsOf(run.spans, nextRequest);
      const render = ofType(below, 'AppRender.getBodyResult');
      assert.equal(render.length, 1, below.map((s) => s.name).join(', '));
      assert.equal(render[0]!.attributes['next.route'], '/products/[id]');
      // Next's spans keep what Next gave them.
      assert.equal(nextRequest.attributes['next.span_type'], HANDLE_REQUEST);
      assert.equal(nextRequest.attributes['http.method'], 'GET');
      for (const span of below) assert.equal(span.scope.name, 'next.js', span.name);
    });

    test('the route handler\'s outgoing call is a CLIENT span in that trace, under Next\'s handler span', () => {
      assert.deepEqual(JSON.parse(run.answers.get('/api/items/9')!.body), { id: '9', stock: 'stock for /stock/9' });
      const server = httpServerSpan(run.spans, '/api/items/9');
      const below = descendantsOf(run.spans, server);
      const handler = ofType(below, 'AppRouteRouteHandlers.runHandler');
      assert.equal(handler.length, 1, below.map((s) => s.name).join(', '));
      const clients = below.filter((s) => s.kind === CLIENT);
      assert.equal(clients.length, 1);
      assert.equal(clients[0]!.parentSpanId, handler[0]!.spanId);
      assert.equal(clients[0]!.name, 'GET');
      assert.match(String(clients[0]!.attributes['url.full']), /\/stock\/9$/);
    });

    test('an error thrown in a route handler or a server component: exception, error.type and ERROR status on the server span and the metric', () => {
      for (const { path, type } of ERRORS) {
        const point = durationPoint(run.durations, ROUTES[path], 500);
        assert.equal(point.attributes['error.type'], type, path);
      }
    });

    test('a path no route answers: 404, the server span named GET, no http.route on span or metric', () => {
      assert.equal(run.answers.get('/nope')?.status, 404);
      const server = httpServerSpan(run.spans, '/nope');
      assert.equal(server.status.code, 0);
      assert.equal(Number(durationPoint(run.durations, undefined, 404).count), 1);
    });

    test('a request through the proxy (middleware): one SERVER span, both of Next\'s passes INTERNAL below it', () => {
      assert.match(run.answers.get('/guarded')!.body, /guarded/);
      const server = httpServerSpan(run.spans, '/guarded');
      const passes = ofType(descendantsOf(run.spans, server), HANDLE_REQUEST);
      assert.equal(passes.length, 2, descendantsOf(run.spans, server).map((s) => s.name).join(', '));
      for (const pass of passes) assert.equal(pass.kind, INTERNAL);
    });

    test('every page answers as without the launcher: same status, same HTML', () => {
      for (const path of PATHS) {
        const instrumented = run.answers.get(path)!;
        const uninstrumented = plain.answers.get(path)!;
        assert.equal(instrumented.status, uninstrumented.status, path);
        assert.equal(instrumented.body, uninstrumented.body, path);
      }
      assert.match(run.answers.get('/products/42')!.body, /product <!-- -->42/);
    });

    test('turned off by name (OTEL_NODE_DISABLED_INSTRUMENTATIONS=nextjs): the server span is GET without a route, and Next\'s request span is a second SERVER span', async () => {
      const off = await runNext(build!, 'next start', ['/products/42'], true, { OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'nextjs' });
      const server = httpServerSpan(off.spans, '/products/42');
      assert.equal(server.name, 'GET');
      const nextRequest = nextRequestSpan(off.spans, server);
      assert.equal(nextRequest.kind, SERVER);
      assert.equal(off.spans.filter((s) => s.kind === SERVER).length, 2);
      assert.equal(off.durations.length, 1);
      assert.equal(off.durations[0]!.attributes['http.route'], undefined);
    });

    for (const launch of launches) {
      test(`${launch}: route-named SERVER span, Next's request span INTERNAL under it, the error recorded`, async () => {
          const paths = ['/products/42', '/api/fail'];
        const other = await runNext(build!, launch, paths, true, { OTEL_METRICS_EXPORTER: 'none' });
        assert.match(other.answers.get('/products/42')!.body, /product <!-- -->42/);
        assertRoutedRequests(other, paths);
        assert.equal(httpServerSpans(other.spans).length, 2);
      });
    }
  });
}
