// The route handler's span, the same on both paths that start it (fastify 5's tracing channel,
// handler-channel.ts; fastify 4's wrapped handler, handler-wrapper.ts).
//
// Named `handler - {method} {route}` (`handler - GET /users/:id`): @fastify/otel names it after the
// handler function (`handler - getUser`), which in fastify's idiomatic `app.get('/', async (req) =>
// ...)` has no name; the route template always exists, is low-cardinality and is what the server
// span and the duration metric show.

import type { ServerResponse } from 'node:http';
import type { Context } from '@opentelemetry/api';
import { SpanKind } from '../../src/otel-api/enums.js';
import { trace } from '../../src/otel-api/trace.js';
import { ATTR_HTTP_ROUTE, normalizeMethod, spanNameFor } from '../http/semconv.js';
import { ATTR_FASTIFY_TYPE, endAtClose, StepSpan, TYPE_HANDLER } from './step-span.js';
import { tracer } from './telemetry.js';

/** What we read of fastify's Reply. */
export interface ReplyLike {
  readonly sent?: boolean;
  readonly raw?: ServerResponse;
}

/**
 * A span for the handler of `route`, under `parent`; none when `parent` holds no span (no server
 * span: fastify's inject(), an excluded URL, http turned off), as express layers get none there.
 */
export function startHandlerSpan(method: string | undefined, route: string, parent: Context): StepSpan | undefined {
  if (trace.getSpan(parent) === undefined) return undefined;
  const name = `handler - ${spanNameFor(normalizeMethod(method))} ${route}`;
  const span = tracer().startSpan(name, { kind: SpanKind.INTERNAL, attributes: { [ATTR_FASTIFY_TYPE]: TYPE_HANDLER, [ATTR_HTTP_ROUTE]: route } }, parent);
  return new StepSpan(span, parent);
}

/**
 * The handler returned, or its promise settled. Its work is done if the reply went out, or if it
 * returned a value fastify is about to send; otherwise it answers later (reply.send from a
 * callback) and its span lasts until the response closes.
 */
export function handlerReturned(step: StepSpan, reply: ReplyLike | undefined, returnedValue: boolean): void {
  if (!step.open) return;
  const res = reply?.raw;
  if (returnedValue || reply?.sent === true || res === undefined || typeof res.prependListener !== 'function' || !step.span.isRecording()) {
    step.end();
  } else {
    endAtClose(res, step);
  }
}
