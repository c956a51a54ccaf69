// NestJS 10, 11 and 12 on its express and fastify platforms: a span `{Controller}.{method}` for each
// request of a controller route, and the errors Nest's exception filters turn into 5xx answers on the
// http server span, through http's framework API. The route of the server span comes from the
// express and fastify instrumentations (Nest registers every route's full path, global prefix and
// URI version included, on the platform's router); this one fills it in only when they did not.
//
// Only the package's entry point is hooked, the same name for require and import: the work is
// done on NestApplication (router-execution-context.ts says why).

import type { Instrumentation } from '../../src/hook/instrumentation.js';
import { patchNestApplication } from './router-execution-context.js';
import { useTracer } from './route-handler.js';

export const NESTJS_VERSIONS = '>=10.0.0 <13';

export const nestjs: Instrumentation = {
  name: 'nestjs',
  targets: [
    {
      module: '@nestjs/core',
      versions: NESTJS_VERSIONS,
      patch: (exports, telemetry, version) => {
        useTracer(telemetry.tracer);
        patchNestApplication((exports as { NestApplication?: unknown } | null)?.NestApplication, version);
        return exports;
      },
    },
  ],
};
