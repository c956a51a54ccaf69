// The span of one controller method's route: named `{Controller}.{method}` (`UsersController.findOne`),
// as the official instrumentation-nestjs-core names the span it gives the same extent (what Nest runs
// for the route: guards, pipes, interceptors, the method, and sending its result), so its users find
// the span they know. It is the request's one handler span: express and fastify make none of their
// own for the routes Nest declares on them (http's declareSpannedHandlers). Its attributes, built
// once per controller method:
//   nestjs.type        'request_context', that span's type there
//   nestjs.controller  the controller class, and
//   nestjs.callback    the method: the two halves of the name, each queryable on its own
//   nestjs.version     the @nestjs/core version that served it (an app moving from 11 to 12)
//   code.function.name the same `UsersController.findOne`: the conventions' stable name for the
//                      function a span stands for (semantic conventions v1.44), as V8 writes it in stacks
// The nestjs.* names are that instrumentation's, not semantic conventions. http.route and the method
// stay on the server span, where the conventions put them; url.full is a client attribute.

import type { Attributes, SpanOptions } from '@opentelemetry/api';
import { SpanKind } from '../../src/otel-api/enums.js';
import { sharedAttributes } from '../../src/core/shared-attributes.js';

export const ATTR_NESTJS_TYPE = 'nestjs.type';
export const ATTR_NESTJS_CONTROLLER = 'nestjs.controller';
export const ATTR_NESTJS_CALLBACK = 'nestjs.callback';
export const ATTR_NESTJS_VERSION = 'nestjs.version';
export const ATTR_CODE_FUNCTION_NAME = 'code.function.name';
export const TYPE_REQUEST_CONTEXT = 'request_context';

export class HandlerSpanNaming {
  readonly name: string;
  readonly options: SpanOptions;

  constructor(controller: string, method: string, version: string | undefined) {
    this.name = `${controller}.${method}`;
    const attributes: Attributes = {
      [ATTR_NESTJS_TYPE]: TYPE_REQUEST_CONTEXT,
      [ATTR_NESTJS_CONTROLLER]: controller,
      [ATTR_NESTJS_CALLBACK]: method,
      [ATTR_CODE_FUNCTION_NAME]: this.name,
    };
    if (version !== undefined) attributes[ATTR_NESTJS_VERSION] = version;
    // Every request of the route shares these; its spans hold the set without a copy.
    this.options = Object.freeze({ kind: SpanKind.INTERNAL, attributes: sharedAttributes(attributes) });
  }
}

// Request-scoped controllers get a fresh route function per request (Nest calls create() again with
// a new instance): the naming is kept per class and method, not per call.
const cache = new WeakMap<object, Map<string, HandlerSpanNaming>>();

function className(instance: unknown): string {
  const ctor: unknown = instance !== null && typeof instance === 'object' ? (instance as { constructor?: unknown }).constructor : undefined;
  const name: unknown = typeof ctor === 'function' ? ctor.name : undefined;
  return typeof name === 'string' && name !== '' ? name : 'UnnamedController';
}

/** The naming of `instance`'s route method `method`. */
export function handlerSpanNaming(instance: unknown, method: string, version: string | undefined): HandlerSpanNaming {
  const key: unknown = instance !== null && typeof instance === 'object' ? (instance as { constructor?: unknown }).constructor : undefined;
  if (typeof key !== 'function') return new HandlerSpanNaming(className(instance), method, version);
  let byMethod = cache.get(key);
  if (byMethod === undefined) {
    byMethod = new Map();
    cache.set(key, byMethod);
  }
  let naming = byMethod.get(method);
  if (naming === undefined) {
    naming = new HandlerSpanNaming(className(instance), method, version);
    byMethod.set(method, naming);
  }
  return naming;
}
