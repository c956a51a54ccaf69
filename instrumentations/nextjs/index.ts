// Next.js 15 and 16 (`next start`, a custom server around next(), the standalone server.js).
//
// Next traces itself: it emits spans (BaseServer.handleRequest, AppRender.getBodyResult,
// AppRouteRouteHandlers.runHandler, ...) through whatever @opentelemetry/api copy it finds (the app's,
// else its own compiled one), and every copy reads the global tracer provider, which is ours
// (src/bootstrap/api-globals.ts). With nothing done here, those spans already reach our exporter, and,
// since http's SERVER span is the active span when Next starts, they already sit under it in its trace.
// What is left is the server span itself; this instrumentation does three things for it, and changes
// nothing Next does or emits otherwise:
//
// 1. One SERVER span per request. Next starts its `BaseServer.handleRequest` span with kind SERVER.
//    Under http's SERVER span that would be a second SERVER span for the same request in the same
//    process: span-derived request counts and service maps would count the request twice, and a
//    backend would pick one of two competing names. Suppressing Next's span would lose the attributes
//    Next puts on it (next.route, next.rsc, its name) and reparent every span under it, so it is kept,
//    as it is, but started as INTERNAL (next-tracer.ts). When http made no span for the request (http
//    turned off, an excluded URL), Next's span stays SERVER: then it is the only one.
// 2. The route. Next names the route that answers with `setRootSpanAttribute('next.route', route)`
//    ('/products/[id]', '/api/items/[id]': Next's own path templates); the first per request is set
//    through http's framework API, so http names its span `GET /products/[id]` and puts the same
//    http.route on the span and the http.server.request.duration metric. Next 16 also copies http.route
//    onto its parent span itself, which is the same value; Next 15 names nothing when another span is
//    its parent (its root-span attributes are kept only for a root), so the route comes from here in
//    both. A request no route answers (Next's 404) keeps no route.
// 3. Errors. Next reports a request's errors (route handler, server component, server action) to its
//    `onRequestError` hook through one function (request-errors.ts); each is recorded on the server
//    span, so a 500 carries the error's type as error.type and the exception event, as for express.
//
// Next gives its tracer methods no request object; BaseServer.handleRequest (base-server.ts) puts the
// request in the active context for them (request-scope.ts). Next's own noise is left as Next decides
// (NEXT_OTEL_VERBOSE=1 for all its spans).

import type { Instrumentation } from '../../src/hook/instrumentation.js';
import { patchBaseServer } from './base-server.js';
import { patchNextTracer } from './next-tracer.js';
import { patchRequestErrorReporter } from './request-errors.js';

const VERSIONS = '>=15.0.0 <17';

/** The internal files patched, as the require hook names them; the registry hooks the same names. */
export const NEXT_MODULES = {
  baseServer: 'next/dist/server/base-server',
  tracer: 'next/dist/server/lib/trace/tracer',
  requestErrors: 'next/dist/server/lib/router-utils/instrumentation-globals.external',
} as const;

function prototypeOf(value: unknown): object | undefined {
  const proto: unknown = typeof value === 'function' ? (value as { prototype?: unknown }).prototype : undefined;
  return proto !== null && typeof proto === 'object' ? proto : undefined;
}

export const nextjs: Instrumentation = {
  name: 'nextjs',
  targets: [
    {
      // `default` is the BaseServer class.
      module: NEXT_MODULES.baseServer,
      versions: VERSIONS,
      patch: (exports) => {
        const proto = prototypeOf((exports as { default?: unknown } | null)?.default);
        if (proto !== undefined) patchBaseServer(proto);
        return exports;
      },
    },
    {
      // The class is not exported; getTracer() returns its one instance, made when the module loaded.
      module: NEXT_MODULES.tracer,
      versions: VERSIONS,
      patch: (exports) => {
        const getTracer = (exports as { getTracer?: unknown } | null)?.getTracer;
        if (typeof getTracer !== 'function') return exports;
        const instance: unknown = (getTracer as () => unknown)();
        const proto: unknown = instance !== null && typeof instance === 'object' ? Object.getPrototypeOf(instance) : undefined;
        if (proto !== null && typeof proto === 'object' && proto !== Object.prototype) patchNextTracer(proto);
        return exports;
      },
    },
    { module: NEXT_MODULES.requestErrors, versions: VERSIONS, patch: patchRequestErrorReporter },
  ],
};
