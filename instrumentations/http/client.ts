// Client spans for http.request / http.get (and https). get is re-implemented on top of
// our request wrapper because Node's get calls the module-local request, not the export.

import { errorMonitor } from 'node:events';
import type { ClientRequest, IncomingMessage, OutgoingHttpHeaders, RequestOptions } from 'node:http';
import type { Context, Span } from '@opentelemetry/api';
import { SpanKind, SpanStatusCode } from '../../src/otel-api/enums.js';
import { trace } from '../../src/otel-api/trace.js';
import type { Telemetry } from '../../src/hook/instrumentation.js';
import { activeContext } from '../../src/context/als-context-manager.js';
import { isSuppressed } from '../../src/context/suppress.js';
import { atExit } from '../../src/exit/app-exit-callbacks.js';
import { OpenEntry, OpenList } from '../../src/hook/open-list.js';
import { Guard } from '../../src/hook/guard.js';
import { wrap } from '../../src/hook/patch.js';
import { ATTR_ERROR_TYPE, ERROR_TYPE_ABORTED, errorTypeOf } from '../../src/core/error-type.js';
import { clientStatusErrorType } from './error-type.js';
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_REQUEST_METHOD_ORIGINAL,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_NETWORK_PEER_ADDRESS,
  ATTR_NETWORK_PEER_PORT,
  ATTR_NETWORK_PROTOCOL_VERSION,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_FULL,
  normalizeMethod,
  buildUrlFull,
  protocolVersion,
  spanNameFor,
} from './semconv.js';
import { captureHeaders, type HttpOptions } from './options.js';
import { httpDurations, secondsSince, type HttpDurations } from './metrics.js';

/** A class, not a literal: see ServerRequestState (a pretenured literal kept requests reachable). */
class ClientRequestState extends OpenEntry {
  readonly req: ClientRequest;
  readonly span: Span;
  readonly options: HttpOptions;
  readonly target: RequestTarget;
  /** Span start, as performance.now(), for the duration metric. */
  readonly startMs: number;
  readonly durations: HttpDurations | undefined;
  /** The client span's context: the duration metric's exemplar comes from it, whatever runs at the end. */
  readonly context: Context;
  error: Error | undefined = undefined;

  constructor(req: ClientRequest, span: Span, context: Context, options: HttpOptions, target: RequestTarget, startMs: number, durations: HttpDurations | undefined) {
    super();
    this.req = req;
    this.span = span;
    this.context = context;
    this.options = options;
    this.target = target;
    this.startMs = startMs;
    this.durations = durations;
  }
}

interface RequestTarget {
  readonly method: string;
  readonly rawMethod: string;
  readonly address: string;
  readonly port: number;
  readonly url: string;
  readonly arrayHeaders: boolean;
}

const STATE = Symbol('otel-instrument.http.client');
const guard = new Guard('http client');

// Requests whose span is open. At exit, their 'close' will never come: end them there.
const inFlight = new OpenList<ClientRequestState>();
atExit(() => {
  inFlight.forEach((state) => onRequestClose.call(state.req));
});

const headerSetter = {
  set(req: ClientRequest, key: string, value: string): void {
    req.setHeader(key, value);
  },
};

type AnyOptions = RequestOptions & { href?: string };

function isOptionsObject(value: unknown): value is AnyOptions {
  return typeof value === 'object' && value !== null && !(value instanceof URL);
}

/** Works out method, address, port and url.full the way Node itself merges the arguments. */
function describe(args: IArguments, defaultScheme: 'http' | 'https'): RequestTarget {
  let url: URL | undefined;
  let options: AnyOptions | undefined;
  const first = args[0];
  if (typeof first === 'string') url = new URL(first);
  else if (first instanceof URL) url = first;
  else if (isOptionsObject(first)) options = first;
  if (url !== undefined && isOptionsObject(args[1])) options = args[1];

  const rawMethod = typeof options?.method === 'string' ? options.method.toUpperCase() : 'GET';
  const protocol = options?.protocol ?? url?.protocol ?? `${defaultScheme}:`;
  let address = options?.hostname ?? options?.host ?? url?.hostname ?? 'localhost';
  if (address.startsWith('[') && address.endsWith(']')) address = address.slice(1, -1);
  const defaultPort = protocol === 'https:' ? 443 : 80;
  const rawPort = options?.port ?? (url?.port ? url.port : undefined) ?? options?.defaultPort;
  const port = rawPort === undefined || rawPort === null || rawPort === '' ? defaultPort : Number(rawPort);
  const path = options?.path ?? (url !== undefined ? `${url.pathname}${url.search}` : '/');
  const hasAuth = (options?.auth !== undefined && options.auth !== null) || (url !== undefined && url.username !== '');

  const hostForUrl = address.includes(':') ? `[${address}]` : address;
  const full = buildUrlFull(protocol, port === defaultPort ? hostForUrl : `${hostForUrl}:${port}`, path, hasAuth);
  return {
    method: normalizeMethod(rawMethod),
    rawMethod,
    address,
    port,
    url: full,
    arrayHeaders: Array.isArray(options?.headers),
  };
}

function clientStateOf(req: ClientRequest): ClientRequestState | undefined {
  return (req as unknown as { [STATE]?: ClientRequestState })[STATE];
}

function onRequestError(this: ClientRequest, error: Error): void {
  const state = clientStateOf(this);
  if (state !== undefined && state.error === undefined) state.error = error;
}

function onRequestClose(this: ClientRequest): void {
  const state = clientStateOf(this);
  if (state === undefined || !inFlight.delete(state)) return;
  try {
    const span = state.span;
    const res = (this as ClientRequest & { res?: IncomingMessage }).res;
    const socket = this.socket;
    if (socket?.remoteAddress !== undefined) {
      span.setAttribute(ATTR_NETWORK_PEER_ADDRESS, socket.remoteAddress);
      if (socket.remotePort !== undefined) span.setAttribute(ATTR_NETWORK_PEER_PORT, socket.remotePort);
    }
    let errorType: string | undefined;
    let version: string | undefined;
    if (res !== undefined && res !== null) {
      const status = res.statusCode ?? 0;
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
      const capture = state.options.captureClientResponse;
      if (capture !== undefined) {
        const headers = res.headersDistinct;
        captureHeaders(
          (key, value) => span.setAttribute(key, value),
          'http.response.header.',
          capture,
          state.options.sanitize,
          (name) => headers[name],
          () => Object.keys(headers),
        );
      }
      version = protocolVersion(res.httpVersion);
      if (version !== undefined) span.setAttribute(ATTR_NETWORK_PROTOCOL_VERSION, version);
      errorType = clientStatusErrorType(status);
      if (errorType !== undefined) span.setStatus({ code: SpanStatusCode.ERROR });
    }
    if (state.error !== undefined) {
      const error = state.error;
      span.recordException(error);
      errorType = errorTypeOf(error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
    } else if (res === undefined || res === null) {
      // Closed before any response: aborted by the caller or cut off.
      errorType = ERROR_TYPE_ABORTED;
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    if (errorType !== undefined) span.setAttribute(ATTR_ERROR_TYPE, errorType);
    if (state.durations !== undefined) recordClientDuration(state, res, errorType, version);
    span.end();
  } catch (error) {
    guard.fail(error);
  }
}

function recordClientDuration(
  state: ClientRequestState,
  res: IncomingMessage | undefined | null,
  errorType: string | undefined,
  version: string | undefined,
): void {
  const attributes: Record<string, string | number> = {
    [ATTR_HTTP_REQUEST_METHOD]: state.target.method,
    [ATTR_SERVER_ADDRESS]: state.target.address,
    [ATTR_SERVER_PORT]: state.target.port,
  };
  if (res !== undefined && res !== null) attributes[ATTR_HTTP_RESPONSE_STATUS_CODE] = res.statusCode ?? 0;
  if (errorType !== undefined) attributes[ATTR_ERROR_TYPE] = errorType;
  if (version !== undefined) attributes[ATTR_NETWORK_PROTOCOL_VERSION] = version;
  state.durations!.client.record(secondsSince(state.startMs), attributes, state.context);
}

/** Raw header arrays are written as the request is built, so the trace headers go in beforehand. */
function argsWithArrayHeaders(args: IArguments, ctx: Context, telemetry: Telemetry): unknown[] {
  const copy = Array.prototype.slice.call(args);
  const index = isOptionsObject(copy[0]) ? 0 : 1;
  const options = copy[index] as AnyOptions;
  const headers = [...(options.headers as unknown as string[])];
  telemetry.propagator.inject(ctx, headers, {
    set(carrier: string[], key: string, value: string) {
      carrier.push(key, value);
    },
  });
  copy[index] = { ...options, headers: headers as unknown as OutgoingHttpHeaders };
  return copy;
}

function makeRequest(
  original: (...args: any[]) => ClientRequest,
  scheme: 'http' | 'https',
  telemetry: Telemetry,
  options: HttpOptions,
) {
  return function request(this: unknown): ClientRequest {
    const parent = activeContext();
    if (!guard.enabled || isSuppressed(parent)) return Reflect.apply(original, this, arguments);
    let target: RequestTarget;
    let startMs: number;
    let span: Span;
    let ctx: Context;
    let args: ArrayLike<unknown> = arguments;
    try {
      target = describe(arguments, scheme);
      const attributes: Record<string, string | number> = {
        [ATTR_HTTP_REQUEST_METHOD]: target.method,
        [ATTR_SERVER_ADDRESS]: target.address,
        [ATTR_SERVER_PORT]: target.port,
        [ATTR_URL_FULL]: target.url,
      };
      if (target.method === '_OTHER') attributes[ATTR_HTTP_REQUEST_METHOD_ORIGINAL] = target.rawMethod;
      startMs = performance.now();
      span = telemetry.tracer.startSpan(spanNameFor(target.method), { kind: SpanKind.CLIENT, attributes }, parent);
      ctx = trace.setSpan(parent, span);
      if (target.arrayHeaders) args = argsWithArrayHeaders(arguments, ctx, telemetry);
    } catch (error) {
      // Arguments Node will reject (bad URL...) or our own fault: let Node answer as it would.
      if (!(error instanceof TypeError)) guard.fail(error);
      return Reflect.apply(original, this, arguments);
    }

    let req: ClientRequest;
    try {
      req = Reflect.apply(original, this, args);
    } catch (error) {
      // The app's own error goes on exactly as before; a fault of ours while recording it must not replace it.
      try {
        span.recordException(error as Error);
        span.setAttribute(ATTR_ERROR_TYPE, errorTypeOf(error));
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
        span.end();
      } catch (internal) {
        guard.fail(internal);
      }
      throw error;
    }

    try {
      if (!target.arrayHeaders && !req.headersSent) telemetry.propagator.inject(ctx, req, headerSetter);
      const durations = httpDurations(telemetry.meter);
      // Unsampled requests still count in the metrics: they need the same per-request state.
      if (span.isRecording() || durations !== undefined) {
        if (options.captureClientRequest !== undefined && span.isRecording()) {
          captureHeaders(
            (key, value) => span.setAttribute(key, value),
            'http.request.header.',
            options.captureClientRequest,
            options.sanitize,
            (name) => req.getHeader(name),
            () => req.getHeaderNames(),
          );
        }
        const state = new ClientRequestState(req, span, ctx, options, target, startMs, durations);
        (req as unknown as { [STATE]: ClientRequestState })[STATE] = state;
        // Plain listeners, not once ones (a wrapper per request): onRequestError keeps the first
        // error only, and a second 'close' finds the state unlisted.
        req.on(errorMonitor, onRequestError);
        req.on('close', onRequestClose);
        inFlight.add(state);
      }
    } catch (error) {
      guard.fail(error);
    }
    return req;
  };
}

export function patchClient(
  moduleExports: typeof import('node:http'),
  scheme: 'http' | 'https',
  telemetry: Telemetry,
  options: HttpOptions,
): void {
  wrap(moduleExports, 'request', (original) => makeRequest(original, scheme, telemetry, options));
  const patchedRequest = moduleExports.request;
  // Same as Node's own get: request, then end. Going through our request keeps one code path.
  wrap(moduleExports, 'get', () =>
    function get(this: unknown): ClientRequest {
      const req = Reflect.apply(patchedRequest, this, arguments) as ClientRequest;
      req.end();
      return req;
    },
  );
}
