// Errors koa itself reports. Every error that reaches koa's default handling goes through
// ctx.onerror, which emits `app.emit('error', err, ctx)` before it answers 500 (with or without
// an app.on('error') listener of the app's own; koa adds its logging listener only when there is
// none). An error-handling middleware written as koa's documentation shows re-emits the same way
// after setting its own status. So Application.prototype.emit is wrapped (it is EventEmitter's,
// inherited: the wrapper is defined on koa's prototype only) and the error goes to the server
// span through http's framework API; what the app's listeners and koa do next is untouched.
//
// Not observable without wrapping every middleware: an error a middleware catches and answers
// itself without emitting it. A route handler's own rejection is still seen by its wrapper
// (route-handler.ts).

import { wrap } from '../../src/hook/patch.js';
import { httpServerRequest, recordHandlerError } from '../http/framework-api.js';
import { guard } from './guard.js';

type Emit = (...args: unknown[]) => boolean;

/** The koa context an 'error' event carries: only its request is read. */
function requestOf(ctx: unknown): object | undefined {
  if (ctx === null || typeof ctx !== 'object') return undefined;
  const req: unknown = (ctx as { req?: unknown }).req;
  return req !== null && typeof req === 'object' ? req : undefined;
}

function recordAppError(error: unknown, ctx: unknown): void {
  try {
    const req = requestOf(ctx);
    const server = req === undefined ? undefined : httpServerRequest(req);
    if (server !== undefined) recordHandlerError(server, error);
  } catch (internal) {
    guard.fail(internal);
  }
}

/** Wraps emit on koa's Application.prototype: 'error' events with a context are recorded first. */
export function patchApplicationPrototype(proto: object): void {
  wrap(proto as { emit: Emit }, 'emit', (original) =>
    function emit(this: unknown) {
      if (arguments[0] === 'error' && guard.enabled) recordAppError(arguments[1], arguments[2]);
      return Reflect.apply(original, this, arguments) as boolean;
    },
  );
}
