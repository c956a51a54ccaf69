// The one place every AWS SDK v3 client passes: `Client.prototype.send` of the smithy client every
// generated `@aws-sdk/client-*` class extends. Wrapped once, for all services: the span starts when
// the app calls send and ends when the SDK settles the promise it returns (or calls the app's
// callback), after its retries. The SDK's own send runs in the span's context, so the HTTP client
// span of each attempt (the http instrumentation's) is the AWS span's child, never its sibling.

import { activeContext } from '../../src/context/als-context-manager.js';
import { isSuppressed } from '../../src/context/suppress.js';
import { wrap } from '../../src/hook/patch.js';
import type { AwsTelemetry } from './aws-call.js';
import { addMessageContextMiddleware } from './message-context-middleware.js';
import { operationOf, type ClientLike, type CommandLike } from './operation.js';
import { isThenable } from '../../src/hook/call-outcome.js';

type AnyFunction = (...args: any[]) => any;

interface ClientClass {
  readonly prototype: { send?: AnyFunction };
}

/** Wraps the smithy Client's send. Returns the exports as they are. */
export function patchClientSend(exports: unknown, aws: AwsTelemetry): unknown {
  const Client = (exports as { Client?: unknown } | null)?.Client;
  if (typeof Client !== 'function') return exports;
  const prototype = (Client as ClientClass).prototype;
  if (typeof prototype?.send !== 'function') return exports;
  wrap(prototype, 'send', (original) =>
    function send(this: ClientLike, command: CommandLike, optionsOrCallback?: unknown, callback?: unknown) {
      const parent = activeContext();
      if (!aws.guard.enabled || isSuppressed(parent)) return Reflect.apply(original, this, arguments);
      const operation = operationOf(this, command);
      if (operation === undefined) return Reflect.apply(original, this, arguments);
      if (operation.service === 'SQS' || operation.service === 'SNS') addMessageContextMiddleware(aws, this.middlewareStack);
      const call = aws.start(operation, this.config, command.input, parent);
      if (call === undefined) return Reflect.apply(original, this, arguments);

      // The callback form: the SDK calls it with (error) or (null, output).
      const callbackIndex = typeof optionsOrCallback === 'function' ? 1 : typeof callback === 'function' ? 2 : -1;
      if (callbackIndex !== -1) {
        const args = Array.prototype.slice.call(arguments) as unknown[];
        args[callbackIndex] = call.wrapCallback(args[callbackIndex] as AnyFunction);
        return call.invoke(original, this, args);
      }
      const result = call.invoke(original, this, arguments);
      if (isThenable(result)) return call.settle(result as Promise<unknown>);
      call.succeeded(undefined);
      return result;
    },
  );
  return exports;
}
