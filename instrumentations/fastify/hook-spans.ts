// OTEL_NODE_FASTIFY_HOOK_SPANS: a span for each request hook the app adds, at its instance
// (addHook) or on a route (the route's onRequest, preHandler, ... options). fastify has no channel
// for hooks, so the hook functions are wrapped as the app hands them over, keeping what fastify
// reads off them (function-shape.ts). A hook's span is active while it runs; fastify's `done`, when
// the hook calls it, runs the rest of the request back in the context the hook started in, so the
// next hook or the handler is not parented on this one.
//
// The eight hooks @fastify/otel spans. onTimeout and onRequestAbort run for broken connections,
// after the response closed, and get no span.

import type { Attributes, SpanOptions } from '@opentelemetry/api';
import { SpanKind } from '../../src/otel-api/enums.js';
import { trace } from '../../src/otel-api/trace.js';
import { activeContext, applyInContext } from '../../src/context/als-context-manager.js';
import { ATTR_HTTP_ROUTE } from '../http/semconv.js';
import { sameShape } from './function-shape.js';
import { isNativePromise } from '../http/handler-run.js';
import { settleFor } from '../../src/hook/call-outcome.js';
import type { ReplyLike } from './handler-span.js';
import {
  ATTR_CODE_FUNCTION_NAME,
  ATTR_FASTIFY_TYPE,
  ATTR_HOOK_NAME,
  endAtClose,
  StepSpan,
  TYPE_HOOK,
  TYPE_ROUTE_HOOK,
} from './step-span.js';
import { guard, tracer } from './telemetry.js';
import { sharedAttributes } from '../../src/core/shared-attributes.js';

const REQUEST_HOOKS: ReadonlySet<string> = new Set([
  'onRequest',
  'preParsing',
  'preValidation',
  'preHandler',
  'preSerialization',
  'onSend',
  'onResponse',
  'onError',
]);

export function isRequestHook(name: unknown): name is string {
  return typeof name === 'string' && REQUEST_HOOKS.has(name);
}

export const HOOK_NAMES: readonly string[] = [...REQUEST_HOOKS];

type Hook = (this: unknown, ...args: never[]) => unknown;

/** Where a hook was added: at an instance, or on the route `route`. */
export interface HookOrigin {
  readonly route?: string;
}

function spanOptions(hookName: string, hook: Hook, origin: HookOrigin): SpanOptions {
  const attributes: Attributes = { [ATTR_FASTIFY_TYPE]: origin.route === undefined ? TYPE_HOOK : TYPE_ROUTE_HOOK, [ATTR_HOOK_NAME]: hookName };
  if (origin.route !== undefined) attributes[ATTR_HTTP_ROUTE] = origin.route;
  if (hook.name !== '') attributes[ATTR_CODE_FUNCTION_NAME] = hook.name;
  return Object.freeze({ kind: SpanKind.INTERNAL, attributes: sharedAttributes(attributes) });
}

/** fastify's `done` for this hook: ends its span, then goes on where the hook started. */
function doneFor(step: StepSpan, done: (...args: unknown[]) => unknown): (...args: unknown[]) => unknown {
  return function done_(this: unknown, error?: unknown) {
    try {
      if (error !== null && error !== undefined) step.fail(error);
      step.end();
    } catch (internal) {
      guard.fail(internal);
    }
    return applyInContext(step.parent, done, this, arguments);
  };
}

/** end(), never throwing: it runs in the reaction whose promise the app gets. */
function endGuarded(step: StepSpan): void {
  try {
    step.end();
  } catch (internal) {
    guard.fail(internal);
  }
}

/** What the hook wrapper returns: for a native promise, one settled the same way that ends the span first (settleFor). */
function afterReturn(step: StepSpan, result: unknown, reply: unknown): unknown {
  if (isNativePromise(result)) return settleFor({ succeeded: () => endGuarded(step), failed: (error) => step.endFailed(error) }, result);
  // Neither done (yet) nor a promise: the hook answered the request itself, or calls done later.
  const res = (reply as ReplyLike | null)?.raw;
  if (step.open && res !== undefined && typeof res.prependListener === 'function') endAtClose(res, step);
  return result;
}

/** `hook`, run inside a span of its own when a request runs it. */
export function wrapHook(hookName: string, hook: Hook, origin: HookOrigin): Hook {
  const name = `${hookName} - ${hook.name === '' ? 'anonymous' : hook.name}`;
  const options = spanOptions(hookName, hook, origin);
  return sameShape(function hookWithSpan(this: unknown) {
    if (!guard.enabled) return Reflect.apply(hook, this, arguments);
    let step: StepSpan | undefined;
    let args: ArrayLike<unknown> = arguments;
    try {
      const parent = activeContext();
      if (trace.getSpan(parent) !== undefined) {
        step = new StepSpan(tracer().startSpan(name, options, parent), parent);
        // fastify passes its `done` last, to every hook (an async one ignores it).
        const last = arguments.length - 1;
        const done: unknown = arguments[last];
        if (typeof done === 'function') {
          const copy = Array.prototype.slice.call(arguments) as unknown[];
          copy[last] = doneFor(step, done as (...a: unknown[]) => unknown);
          args = copy;
        }
      }
    } catch (error) {
      guard.fail(error);
      if (step !== undefined) step.open = false;
      step = undefined;
      args = arguments;
    }
    if (step === undefined) return Reflect.apply(hook, this, arguments);
    let result: unknown;
    try {
      result = applyInContext(trace.setSpan(step.parent, step.span), hook, this, args);
    } catch (thrown) {
      step.endFailed(thrown);
      throw thrown;
    }
    try {
      return afterReturn(step, result, args[1]);
    } catch (error) {
      guard.fail(error);
    }
    return result;
  }, hook);
}

/** A route option holding hooks (a function or an array of them), with each hook wrapped; a new array, never the app's. */
export function wrapRouteHooks(hookName: string, value: unknown, origin: HookOrigin): unknown {
  if (typeof value === 'function') return wrapHook(hookName, value as Hook, origin);
  if (!Array.isArray(value)) return value;
  const wrapped: unknown[] = [];
  for (const item of value) wrapped.push(typeof item === 'function' ? wrapHook(hookName, item as Hook, origin) : item);
  return wrapped;
}
