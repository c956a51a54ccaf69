// The wrapper of an SDK resource method that calls a model (chat.completions.create, messages.create,
// ...): starts the call from the request's parameters, runs the SDK's method inside the call's span
// (the SDK's fetch, and our undici or http span for it, become its children: one per attempt when the
// SDK retries), and observes what the method returned (observe-api-promise.ts). The method's
// arguments, `this`, return value and thrown errors are the app's, untouched.

import type { Context } from '@opentelemetry/api';
import { activeContext, applyInContext } from '../../src/context/als-context-manager.js';
import { isSuppressed } from '../../src/context/suppress.js';
import { GenAiCall, type CallStart, type GenAiTelemetry } from './genai-call.js';
import { observeApiPromise, type ResponseReader } from './observe-api-promise.js';

export interface ModelOperation extends ResponseReader {
  /** What the call is, from the method's first argument (the request body) and the SDK client. Undefined: not a model call we know. */
  start(params: Record<string, unknown>, client: unknown): CallStart | undefined;
  /** Content capture: the request's gen_ai.input.messages and gen_ai.system_instructions. */
  captureInput?(params: Record<string, unknown>): Record<string, string>;
  /** True when the SDK client spans this call itself (the Anthropic SDK's own tracing): we only measure it. */
  tracedBySdk?(client: unknown): boolean;
}

type AnyFunction = (...args: unknown[]) => unknown;

function startCall(genai: GenAiTelemetry, operation: ModelOperation, resource: unknown, params: unknown, parent: Context): GenAiCall | undefined {
  if (params === null || typeof params !== 'object') return undefined;
  const client = (resource as { _client?: unknown } | null)?._client;
  const body = params as Record<string, unknown>;
  const start = operation.start(body, client);
  if (start === undefined) return undefined;
  const withSpan = operation.tracedBySdk?.(client) !== true;
  const call = new GenAiCall(genai, start, parent, withSpan);
  if (call.captureContent && operation.captureInput !== undefined) {
    try {
      call.span!.setAttributes(operation.captureInput(body));
    } catch {
      // The app's messages could not be serialized (a cycle, a BigInt): this call goes without them.
    }
  }
  return call;
}

/** The replacement of a resource's model-calling method (e.g. Completions.prototype.create). */
export function wrapModelCall(genai: GenAiTelemetry, operation: ModelOperation) {
  return (original: AnyFunction): AnyFunction =>
    function modelCall(this: unknown) {
      const guard = genai.guard;
      if (!guard.enabled) return Reflect.apply(original, this, arguments);
      let call: GenAiCall | undefined;
      try {
        const parent = activeContext();
        if (!isSuppressed(parent)) call = startCall(genai, operation, this, arguments[0], parent);
      } catch (error) {
        guard.fail(error);
      }
      if (call === undefined) return Reflect.apply(original, this, arguments);
      let returned: unknown;
      try {
        returned = call.context === undefined ? Reflect.apply(original, this, arguments) : applyInContext(call.context, original, this, arguments);
      } catch (error) {
        // Thrown before any request (a bad argument): the app gets it as it would have.
        call.end(error);
        throw error;
      }
      try {
        if (!observeApiPromise(call, operation, returned)) call.end();
      } catch (error) {
        guard.fail(error);
        call.end();
      }
      return returned;
    };
}
