// What the handler span of a matched route looks like, and how a handler's failure marks it.
// Name and attributes follow what koa users already see from the official instrumentation-koa
// (`router - /users/:id`, koa.type `router`, koa.name the route): they are that instrumentation's
// own attributes, not semantic conventions. http.route is the stable HTTP convention's attribute
// (semantic conventions v1.44), the same template the server span gets.

import type { Attributes, Span, SpanOptions } from '@opentelemetry/api';
import { SpanKind, SpanStatusCode } from '../../src/otel-api/enums.js';
import { errorMessage, exceptionAttributes } from '../../src/core/exception-attributes.js';
import { ATTR_HTTP_ROUTE } from '../http/semconv.js';
import { sharedAttributes } from '../../src/core/shared-attributes.js';

export const ATTR_KOA_TYPE = 'koa.type';
export const ATTR_KOA_NAME = 'koa.name';

/**
 * The route template a router put on ctx._matchedRoute: the running layer's path with every prefix
 * (`new Router({ prefix })`, `router.use('/api', inner.routes())`) already applied by the router.
 * A RegExp route is its source, as express's are; anything else is no route.
 */
export function routeTemplate(matched: unknown): string | undefined {
  if (typeof matched === 'string') return matched === '' ? undefined : matched;
  if (matched instanceof RegExp) return matched.source;
  return undefined;
}

/**
 * Name and options of one handler's spans, for the template it last ran under. A handler normally
 * serves one route; a router mounted twice shares it between two, and then this is rebuilt on each
 * switch, still correct. Spans hold the shared attribute set (src/core/shared-attributes.ts) without a copy.
 */
export class HandlerSpanNaming {
  #template: string | undefined = undefined;
  #name = '';
  #options: SpanOptions | undefined = undefined;

  name(template: string): string {
    if (template !== this.#template) this.#use(template);
    return this.#name;
  }

  options(template: string): SpanOptions {
    if (template !== this.#template) this.#use(template);
    return this.#options!;
  }

  #use(template: string): void {
    const attributes: Attributes = { [ATTR_KOA_TYPE]: 'router', [ATTR_KOA_NAME]: template, [ATTR_HTTP_ROUTE]: template };
    this.#template = template;
    this.#name = `router - ${template}`;
    this.#options = Object.freeze({ kind: SpanKind.INTERNAL, attributes: sharedAttributes(attributes) });
  }
}

/**
 * An error koa will answer with a 4xx (ctx.throw(404), an http-errors 400): koa takes the status
 * from err.status or err.statusCode. The handler refused the request; it did not fail.
 */
function isClientError(error: unknown): boolean {
  if (error === null || typeof error !== 'object') return false;
  const e = error as { status?: unknown; statusCode?: unknown };
  const status = e.status ?? e.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/** The handler threw or rejected: an exception event, and an error status unless koa answers it 4xx. */
export function markHandlerFailed(span: Span, error: unknown): void {
  span.addEvent('exception', exceptionAttributes(error));
  if (!isClientError(error)) span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(error) });
}
