// Next reports each error a request raised (a route handler's throw, a server component's, a server
// action's; never its own redirect() and notFound()) through one function, instrumentationOnRequestError
// in next/dist/server/lib/router-utils/instrumentation-globals.external.js, which hands it to the app's
// `onRequestError` hook. The compiled route runtimes require that module rather than bundle it, so this
// one function sees every such error: each is recorded on the request's server span (framework-api's
// recordHandlerError: an exception event, and error.type from it when the answer is a 5xx), then
// passed on as before.
//
// The module's exports are getters that cannot be redefined: the patch hands out a copy of them with
// this one replaced (the module hook serves that copy to every later require).

import { recordHandlerError } from '../http/framework-api.js';
import { currentRequest, guard } from './request-scope.js';

type Reporter = (projectDir: unknown, distDir: unknown, error: unknown, ...rest: unknown[]) => unknown;

const REPORTER = 'instrumentationOnRequestError';

function recordingReporter(original: Reporter): Reporter {
  return function instrumentationOnRequestError(this: unknown, _projectDir: unknown, _distDir: unknown, error: unknown) {
    if (guard.enabled) {
      try {
        const request = currentRequest();
        if (request !== undefined) recordHandlerError(request.server, error);
      } catch (internal) {
        guard.fail(internal);
      }
    }
    return Reflect.apply(original, this, arguments);
  } as Reporter;
}

export function patchRequestErrorReporter(exports: unknown): unknown {
  if (exports === null || typeof exports !== 'object') return exports;
  const original = (exports as Record<string, unknown>)[REPORTER];
  if (typeof original !== 'function') return exports;
  const descriptors = Object.getOwnPropertyDescriptors(exports);
  const replacement = recordingReporter(original as Reporter);
  Object.defineProperty(replacement, 'length', { value: original.length, configurable: true });
  descriptors[REPORTER] = { value: replacement, enumerable: true, writable: false, configurable: false };
  return Object.defineProperties(Object.create(Object.getPrototypeOf(exports) as object | null) as object, descriptors);
}
