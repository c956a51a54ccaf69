// Layer.prototype.handle_request / handle_error (express 4) and handleRequest / handleError
// (router@2, express 5) are wrapped once, on the prototype. For a layer the side table knows,
// the wrapper starts its span, runs it with that span active, and hands the layer its level's
// `next` wrapper, which ends the span and restores the router's context for the next layer.

import type { ServerResponse } from 'node:http';
import type { Context, Span, Tracer } from '@opentelemetry/api';
import { trace } from '../../src/otel-api/trace.js';
import { activeContext, enterContext, restoreContext } from '../../src/context/als-context-manager.js';
import { Guard } from '../../src/hook/guard.js';
import { routeOf, setRoute } from '../http/framework-api.js';
import { wrap } from '../../src/hook/patch.js';
import { ignoredLayerTypes, type LayerType } from './config.js';
import { childPrefix, layerMeta, layerRoute, layerSpanOptions, type LayerMeta } from './layer-metadata.js';
import {
  createRequestState,
  Level,
  type RequestState,
  recordError,
  requestState,
  setRequestStateGuard,
  type NextFunction,
} from './request-state.js';

export const guard = new Guard('express');
setRequestStateGuard(guard);

let tracer: Tracer | undefined;
let ignored: ReadonlySet<LayerType> = new Set();

/** Called by every target's patch; the first call fixes the tracer and reads the ignore list. */
export function configureLayerDispatch(t: Tracer): void {
  if (tracer !== undefined) return;
  tracer = t;
  ignored = ignoredLayerTypes();
}

type LayerLike = { handle?: unknown };
type Original = (this: LayerLike, ...args: unknown[]) => unknown;

/** Anything passed to next() that express treats as an error ('route' and 'router' are not). */
function isError(value: unknown): boolean {
  return Boolean(value) && value !== 'route' && value !== 'router';
}

function findLevel(state: RequestState, next: NextFunction): Level | undefined {
  for (let level = state.newestLevel; level !== undefined; level = level.previous) if (level.next === next) return level;
  return undefined;
}

function createLevel(state: RequestState, next: NextFunction, req: object): Level {
  const prefix = state.enteringPrefix ?? '';
  state.enteringPrefix = undefined;
  const level = new Level(state, next, prefix, (req as { baseUrl?: unknown }).baseUrl, activeContext());
  // The only closure per router per request: it has to be a distinct function carrying its level.
  // Everything around the call of express's next is inline: this is the only frame of ours there.
  level.wrapper = function next(this: unknown) {
    const restore = leaveLayer(level, arguments[0]);
    if (restore === undefined) return Reflect.apply(level.next, this, arguments);
    const previous = enterContext(restore);
    try {
      return Reflect.apply(level.next, this, arguments);
    } finally {
      restoreContext(previous);
    }
  };
  state.newestLevel = level;
  return level;
}

/** The running layer of `level` is done (it called next, or threw). Returns the context to restore, if ours replaced it. */
function finishLayer(level: Level, error: unknown, passedOn: boolean): Context | undefined {
  const meta = level.meta!;
  const span = level.span;
  const state = level.state;
  level.meta = undefined;
  level.span = undefined;
  if (passedOn && isError(error)) {
    recordError(state, span, error);
  } else if (meta.type === 'request_handler' && state.server !== undefined && !state.res.headersSent) {
    // The route passed the request on without answering: it is not the request's route.
    setRoute(state.server, level.savedRoute);
  }
  if (meta.type === 'router') state.enteringPrefix = undefined;
  level.savedRoute = undefined;
  if (span === undefined) return undefined;
  span.end();
  return level.parentContext;
}

/**
 * The layer running at `level` called next(`passed`): ends it. Returns the context the next layer runs
 * in (the router's, not the span's of the layer that just ended) when ours replaced it.
 */
function leaveLayer(level: Level, passed: unknown): Context | undefined {
  if (level.meta === undefined) return undefined;
  try {
    return finishLayer(level, passed, true);
  } catch (error) {
    guard.fail(error);
    return undefined;
  }
}

function enterLayer(meta: LayerMeta, req: object, res: ServerResponse, next: NextFunction): Level {
  const state = requestState(req) ?? createRequestState(req, res);
  const level = findLevel(state, next) ?? createLevel(state, next, req);
  // A layer of this router still open means next() reached it some other way: close it quietly.
  if (level.meta !== undefined) finishLayer(level, undefined, false);
  level.meta = meta;
  if (meta.type === 'router') {
    state.enteringPrefix = childPrefix(meta, level.prefix);
  } else if (meta.type === 'request_handler' && state.server !== undefined) {
    level.savedRoute = routeOf(state.server);
    setRoute(state.server, layerRoute(meta, level.prefix));
  }
  if (level.traced && !state.closed && !ignored.has(meta.type) && meta.spannedAbove?.enabled !== true && tracer !== undefined) {
    level.span = tracer.startSpan(meta.spanName, layerSpanOptions(meta, level.prefix), level.parentContext);
  }
  return level;
}

/** The layer's level, its span started, before the original runs; undefined when our own fault stops it. */
function startLayer(meta: LayerMeta, req: object, res: ServerResponse, next: NextFunction): Level | undefined {
  try {
    return enterLayer(meta, req, res, next);
  } catch (internal) {
    guard.fail(internal);
    return undefined;
  }
}

/**
 * Express catches what handlers throw; whatever still escapes is recorded on this layer's span if it
 * is still open, and goes on as the same object (the caller rethrows it).
 */
function layerThrew(level: Level, span: Span, thrown: unknown): void {
  try {
    if (level.span === span) finishLayer(level, thrown, true);
  } catch (internal) {
    guard.fail(internal);
  }
}

/**
 * Wraps the two dispatch methods of a Layer prototype. `handle.length` decides, as in express,
 * whether the layer runs at all on each path; a layer that will not run gets no span.
 */
export function patchLayerPrototype(proto: object, requestMethod: string, errorMethod: string): void {
  const target = proto as Record<string, Original>;
  // The original is called from the wrapper itself, its span's context entered and restored inline:
  // one frame of ours per layer in the app's stack traces, the least a wrapper can leave. The two
  // wrappers repeat the same steps for that reason: a shared helper would be one more frame.
  wrap(target, requestMethod, (original) =>
    function handleRequest(this: LayerLike, req: object, res: ServerResponse, next: NextFunction) {
      const handle = this.handle;
      if (!guard.enabled || typeof next !== 'function' || typeof handle !== 'function' || handle.length > 3) {
        return original.call(this, req, res, next);
      }
      const meta = layerMeta(this);
      if (meta === undefined) return original.call(this, req, res, next);
      const level = startLayer(meta, req, res, next);
      if (level === undefined) return original.call(this, req, res, next);
      const span = level.span;
      if (span === undefined) return original.call(this, req, res, level.wrapper);
      try {
        const previous = enterContext(trace.setSpan(level.parentContext, span));
        try {
          return original.call(this, req, res, level.wrapper);
        } finally {
          restoreContext(previous);
        }
      } catch (thrown) {
        layerThrew(level, span, thrown);
        throw thrown;
      }
    },
  );
  wrap(target, errorMethod, (original) =>
    function handleError(this: LayerLike, error: unknown, req: object, res: ServerResponse, next: NextFunction) {
      const handle = this.handle;
      if (!guard.enabled || typeof next !== 'function' || typeof handle !== 'function' || handle.length !== 4) {
        return original.call(this, error, req, res, next);
      }
      const meta = layerMeta(this);
      if (meta === undefined) return original.call(this, error, req, res, next);
      const level = startLayer(meta, req, res, next);
      if (level === undefined) return original.call(this, error, req, res, next);
      const span = level.span;
      if (span === undefined) return original.call(this, error, req, res, level.wrapper);
      try {
        const previous = enterContext(trace.setSpan(level.parentContext, span));
        try {
          return original.call(this, error, req, res, level.wrapper);
        } finally {
          restoreContext(previous);
        }
      } catch (thrown) {
        layerThrew(level, span, thrown);
        throw thrown;
      }
    },
  );
}
