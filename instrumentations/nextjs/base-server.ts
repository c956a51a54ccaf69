// BaseServer.prototype.handleRequest(req, res, parsedUrl): where Next starts its own request span
// (`BaseServer.handleRequest`) and everything the request does. The wrapper runs it with the request
// in the active context (request-scope.ts); the call, its arguments and its promise are Next's own.

import type { Context } from '@opentelemetry/api';
import { activeContext, applyInContext } from '../../src/context/als-context-manager.js';
import { wrap } from '../../src/hook/patch.js';
import { NextRequest, contextWithRequest, guard, serverRequestOf } from './request-scope.js';

export function patchBaseServer(proto: object): void {
  wrap(proto as { handleRequest: (...args: unknown[]) => unknown }, 'handleRequest', (original) =>
    function handleRequest(this: unknown, req: unknown) {
      if (!guard.enabled) return Reflect.apply(original, this, arguments);
      let ctx: Context | undefined;
      try {
        const server = serverRequestOf(req);
        if (server !== undefined) ctx = contextWithRequest(activeContext(), new NextRequest(server));
      } catch (error) {
        guard.fail(error);
      }
      if (ctx === undefined) return Reflect.apply(original, this, arguments);
      return applyInContext(ctx, original, this, arguments);
    },
  );
}
