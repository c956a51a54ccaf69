// What a route handler's span is called and carries: `route - /users/{id}`, or `{plugin}: route - ...`
// for a route a plugin declared, with http.route and the official @opentelemetry/instrumentation-hapi's
// own hapi.type and hapi.plugin.name (not semantic conventions: that instrumentation's names, kept so
// users coming from it find the same spans). Made once per route, kept beside it in a WeakMap.

import type { SpanOptions } from '@opentelemetry/api';
import { SpanKind } from '../../src/otel-api/enums.js';
import { ATTR_HTTP_ROUTE } from '../http/semconv.js';
import type { HapiRoute } from './route-lookup.js';

export const ATTR_HAPI_TYPE = 'hapi.type';
export const ATTR_HAPI_PLUGIN_NAME = 'hapi.plugin.name';

export interface HandlerSpan {
  readonly name: string;
  readonly options: SpanOptions;
}

const byRoute = new WeakMap<object, HandlerSpan>();

function describe(path: string, plugin: string | undefined): HandlerSpan {
  const attributes: Record<string, string> = { [ATTR_HTTP_ROUTE]: path, [ATTR_HAPI_TYPE]: plugin === undefined ? 'router' : 'plugin' };
  if (plugin !== undefined) attributes[ATTR_HAPI_PLUGIN_NAME] = plugin;
  return { name: plugin === undefined ? `route - ${path}` : `${plugin}: route - ${path}`, options: { kind: SpanKind.INTERNAL, attributes } };
}

/** `route` is an app route (appRouteOf): its path is a string. */
export function handlerSpanOf(route: HapiRoute): HandlerSpan {
  let found = byRoute.get(route);
  if (found === undefined) {
    const plugin = route.realm?.plugin;
    found = describe(route.path as string, typeof plugin === 'string' && plugin !== '' ? plugin : undefined);
    byRoute.set(route, found);
  }
  return found;
}
