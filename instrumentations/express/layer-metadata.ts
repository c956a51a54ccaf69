// The side table: what each router-stack layer is, recorded when the app registers it
// (Router#use / Router#route). layer.handle is never replaced, so the app's functions keep
// their identity and arity (express tells error handlers by `length === 4`).

import type { Attributes, SpanOptions } from '@opentelemetry/api';
import { SpanKind } from '../../src/otel-api/enums.js';
import type { LayerType } from './config.js';
import { ATTR_HTTP_ROUTE } from '../http/semconv.js';
import { handlerSpannedAbove, type FrameworkAbove } from '../http/framework-api.js';
import { joinTemplate, mountSegment, pathTemplate, routeSegment, usePathArgument } from './route-template.js';
import { sharedAttributes } from '../../src/core/shared-attributes.js';

export const ATTR_EXPRESS_NAME = 'express.name';
export const ATTR_EXPRESS_TYPE = 'express.type';

export interface LayerMeta {
  readonly type: LayerType;
  /** express.name: the middleware's function name, or the router's / route's path template. */
  readonly name: string;
  readonly spanName: string;
  /** What this layer adds to the route template ('' for the root). */
  readonly segment: string;
  /**
   * A route whose handler the framework above express spans (NestJS's controller method, declared
   * through http's declareSpannedHandlers): it names the server span, but gets no span here while
   * that framework is on.
   */
  readonly spannedAbove: FrameworkAbove | undefined;
  /** Span options for the last prefix this layer ran under (a layer is normally mounted once). */
  optionsPrefix: string | undefined;
  options: SpanOptions | undefined;
}

const metadata = new WeakMap<object, LayerMeta>();
/** The same metadata by the layer's Route object (req.route), for what runs before the layer does. */
const routeMetadata = new WeakMap<object, LayerMeta>();

export function layerMeta(layer: object): LayerMeta | undefined {
  return metadata.get(layer);
}

/** What the route layer holding `route` (an express Route, as req.route) is. */
export function routeMeta(route: unknown): LayerMeta | undefined {
  return route !== null && typeof route === 'object' ? routeMetadata.get(route) : undefined;
}

/** A router (express 4 `router` function, router@2 instance) or a sub-app mounted by `app.use`. */
function isRouterHandle(handle: unknown): boolean {
  if (typeof handle !== 'function') return false;
  if (handle.name === 'mounted_app') return true;
  return Array.isArray((handle as { stack?: unknown }).stack) && typeof (handle as { handle?: unknown }).handle === 'function';
}

function describeUse(layer: { handle?: unknown }, template: string): LayerMeta {
  const handle = layer.handle;
  if (isRouterHandle(handle)) {
    return { type: 'router', name: template, spanName: `router - ${template}`, segment: mountSegment(template), spannedAbove: undefined, optionsPrefix: undefined, options: undefined };
  }
  const fnName = typeof handle === 'function' && handle.name !== '' ? handle.name : '<anonymous>';
  return { type: 'middleware', name: fnName, spanName: `middleware - ${fnName}`, segment: mountSegment(template), spannedAbove: undefined, optionsPrefix: undefined, options: undefined };
}

function describeRoute(template: string): LayerMeta {
  return {
    type: 'request_handler',
    name: template,
    spanName: `request handler - ${template}`,
    segment: routeSegment(template),
    spannedAbove: handlerSpannedAbove(),
    optionsPrefix: undefined,
    options: undefined,
  };
}

/** Records the layers Router#use just pushed (one per handler, all with the same path). */
export function recordUse(stack: unknown, from: number, firstArgument: unknown): void {
  if (!Array.isArray(stack)) return;
  const { present, path } = usePathArgument(firstArgument);
  const template = present ? pathTemplate(path) : '/';
  for (let i = from; i < stack.length; i++) {
    const layer = stack[i] as { handle?: unknown } | null;
    if (layer !== null && typeof layer === 'object' && !metadata.has(layer)) metadata.set(layer, describeUse(layer, template));
  }
}

/** Records the layer Router#route just pushed. */
export function recordRoute(stack: unknown, from: number, path: unknown): void {
  if (!Array.isArray(stack)) return;
  const template = pathTemplate(path);
  for (let i = from; i < stack.length; i++) {
    const layer = stack[i] as { route?: unknown } | null;
    if (layer !== null && typeof layer === 'object' && layer.route !== undefined && !metadata.has(layer)) {
      const meta = describeRoute(template);
      metadata.set(layer, meta);
      if (layer.route !== null && typeof layer.route === 'object') routeMetadata.set(layer.route, meta);
    }
  }
}

/** The route template a layer stands for under `prefix` (the template of its router). */
export function layerRoute(meta: LayerMeta, prefix: string): string {
  return joinTemplate(prefix, meta.segment);
}

/** Span options, built once per layer and prefix and shared by its spans, which hold the attribute set without a copy. */
export function layerSpanOptions(meta: LayerMeta, prefix: string): SpanOptions {
  if (meta.options !== undefined && meta.optionsPrefix === prefix) return meta.options;
  const attributes: Attributes = { [ATTR_EXPRESS_NAME]: meta.name, [ATTR_EXPRESS_TYPE]: meta.type };
  // A middleware at the root has no route of its own; routers and routes always do.
  if (meta.type !== 'middleware' || prefix !== '' || meta.segment !== '') attributes[ATTR_HTTP_ROUTE] = layerRoute(meta, prefix);
  meta.optionsPrefix = prefix;
  meta.options = Object.freeze({ kind: SpanKind.INTERNAL, attributes: sharedAttributes(attributes) });
  return meta.options;
}

/** The prefix of everything inside a router layer mounted under `prefix`. */
export function childPrefix(meta: LayerMeta, prefix: string): string {
  return meta.segment === '' ? prefix : joinTemplate(prefix, meta.segment);
}
