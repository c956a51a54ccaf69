// What the route function reads off the request Nest hands it, which is the platform's own:
// express's req (the IncomingMessage itself) or fastify's Request (the IncomingMessage is its `raw`).

import type { IncomingMessage } from 'node:http';

interface PlatformRequest {
  /** fastify */
  readonly raw?: IncomingMessage;
  /** fastify >= 4.10 (a getter that allocates on each read) */
  readonly routeOptions?: { readonly url?: unknown };
  /** fastify before 4.10 */
  readonly routerPath?: unknown;
  /** express: the Route that matched, whose path is the template it was registered with */
  readonly route?: { readonly path?: unknown };
}

/** The node request under the platform's request object: what http keys its server span state on. */
export function nodeRequest(req: unknown): object | undefined {
  if (req === null || typeof req !== 'object') return undefined;
  const raw = (req as PlatformRequest).raw;
  return raw !== null && typeof raw === 'object' ? raw : req;
}

/**
 * The route template the platform matched, for when nothing named the server span yet (the express
 * or fastify instrumentation turned off, or out of its range): it is the full path Nest registered,
 * global prefix and URI version included.
 */
export function platformRoute(req: unknown): string | undefined {
  if (req === null || typeof req !== 'object') return undefined;
  const request = req as PlatformRequest;
  let route: unknown;
  if (request.raw !== undefined) {
    const options = request.routeOptions;
    route = options !== undefined ? options.url : request.routerPath;
  } else {
    route = request.route?.path;
  }
  return typeof route === 'string' && route !== '' ? route : undefined;
}
