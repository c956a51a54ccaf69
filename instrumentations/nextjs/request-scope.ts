// Which http server request a piece of Next's work belongs to. The tracer methods Next calls for a
// request (trace, setRootSpanAttribute) and its error reporter get no request object, but Next runs
// all of a request's work inside the async context of BaseServer.handleRequest, and that method
// gets the request: its wrapper (base-server.ts) puts the request in the active context under a key
// of ours, where everything below it finds it.

import type { Context } from '@opentelemetry/api';
import type { IncomingMessage } from 'node:http';
import { activeContext } from '../../src/context/als-context-manager.js';
import { Guard } from '../../src/hook/guard.js';
import { httpServerRequest, type HttpServerRequest } from '../http/framework-api.js';

export const guard = new Guard('nextjs');

/** One call of BaseServer.handleRequest for a request http made a server span for. */
export class NextRequest {
  readonly server: HttpServerRequest;
  /** Next named the route: later names are ignored, as Next's own root-span attributes ignore them. */
  routed = false;

  constructor(server: HttpServerRequest) {
    this.server = server;
  }
}

const REQUEST = Symbol('otel-instrument.nextjs.request');

export function currentRequest(): NextRequest | undefined {
  return activeContext().getValue(REQUEST) as NextRequest | undefined;
}

export function contextWithRequest(ctx: Context, request: NextRequest): Context {
  return ctx.setValue(REQUEST, request);
}

/**
 * http's server request for what Next calls `req`: node's IncomingMessage, or Next's NodeNextRequest
 * wrapper around it (`_req`; its `originalRequest` getter writes to the request, so it is not read).
 */
export function serverRequestOf(req: unknown): HttpServerRequest | undefined {
  if (req === null || typeof req !== 'object') return undefined;
  const direct = httpServerRequest(req);
  if (direct !== undefined) return direct;
  const inner = (req as { _req?: unknown })._req;
  return inner !== null && typeof inner === 'object' ? httpServerRequest(inner as IncomingMessage) : undefined;
}
