// Spans for the steps fastify runs for a request: its route handler, and its hooks when
// OTEL_NODE_FASTIFY_HOOK_SPANS is on. Each is an INTERNAL child of the span active where the step
// starts (the http server span, or the handler's for what its reply runs), ended when the step is
// done, or at the latest when the response closes (a handler that answers from a callback, a hook
// that never calls done).
//
// Neither fastify nor the semantic conventions name these spans. We take the shape of fastify's own
// instrumentation, @fastify/otel 0.21, so that its users find the same spans: `{step} - {what}`
// (`onRequest - authenticate`; a handler is named by method and route, see handler-span.ts), and
// its `fastify.type` values. Where we part from it: `hook.name` is the hook alone (`onRequest`;
// @fastify/otel prefixes the plugin's name, which for an anonymous plugin is its source text), and
// the hook's function name is the conventions' code.function.name (stable; we follow semantic
// conventions v1.44) rather than @fastify/otel's hook.callback.name.

import type { ServerResponse } from 'node:http';
import type { Context, Span } from '@opentelemetry/api';
import { recordFailure } from '../../src/core/exception-attributes.js';
import { guard } from './telemetry.js';

export const ATTR_FASTIFY_TYPE = 'fastify.type';
export const ATTR_HOOK_NAME = 'hook.name';
export const ATTR_CODE_FUNCTION_NAME = 'code.function.name';

/** fastify.type values, as @fastify/otel has them. */
export const TYPE_HANDLER = 'request-handler';
export const TYPE_HOOK = 'hook';
export const TYPE_ROUTE_HOOK = 'route-hook';

/** One step's span. A class, not a literal (see ServerRequestState in ../http/server.ts). */
export class StepSpan {
  readonly span: Span;
  /** The context the step started in: what runs after the step runs there again. */
  readonly parent: Context;
  open = true;

  constructor(span: Span, parent: Context) {
    this.span = span;
    this.parent = parent;
  }

  end(): void {
    if (!this.open) return;
    this.open = false;
    this.span.end();
  }

  /** The step raised `error` (threw, rejected, or passed it to done): on its span, before it ends. */
  fail(error: unknown): void {
    if (!this.open) return;
    recordFailure(this.span, error);
  }

  /** fail(error), then end(); never throws (it runs in promise reactions and on the app's throw path). */
  endFailed(error: unknown): void {
    try {
      this.fail(error);
      this.end();
    } catch (internal) {
      guard.fail(internal);
    }
  }
}

const PENDING = Symbol('otel-instrument.fastify.pending-steps');

type Holder = { [PENDING]?: StepSpan[] | undefined };

/** `step` ends when `res` closes, unless it ends before. One 'close' listener per response, added by the first such step. */
export function endAtClose(res: ServerResponse, step: StepSpan): void {
  if (res.closed) {
    step.end();
    return;
  }
  const holder = res as unknown as Holder;
  const pending = holder[PENDING];
  if (pending !== undefined) {
    pending.push(step);
    return;
  }
  holder[PENDING] = [step];
  // Prepended: these spans end before the http instrumentation's own 'close' listener ends their root.
  res.prependListener('close', endPendingSteps);
}

function endPendingSteps(this: ServerResponse): void {
  const holder = this as unknown as Holder;
  const pending = holder[PENDING];
  if (pending === undefined) return;
  holder[PENDING] = undefined;
  try {
    for (const step of pending) step.end();
  } catch (error) {
    guard.fail(error);
  }
}
