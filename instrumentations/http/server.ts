// Server spans: Server.prototype.emit('request') is wrapped so the handler runs inside the
// span's context (entered and restored around the original emit, no per-request closures), and one 'close'
// listener on the response ends the span, whether the response finished or was aborted.

import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Context, Span } from '@opentelemetry/api';
import { SpanKind, SpanStatusCode } from '../../src/otel-api/enums.js';
import { trace } from '../../src/otel-api/trace.js';
import type { Telemetry } from '../../src/hook/instrumentation.js';
import { enterContext, restoreContext } from '../../src/context/als-context-manager.js';
import { ROOT_CONTEXT } from '../../src/context/context.js';
import { suppressed } from '../../src/context/suppress.js';
import { atExit } from '../../src/exit/app-exit-callbacks.js';
import { OpenEntry, OpenList } from '../../src/hook/open-list.js';
import { Guard } from '../../src/hook/guard.js';
import { wrap } from '../../src/hook/patch.js';
import { redactSensitiveQueryValues } from '../../src/diag/redact.js';
import { errorMessage, exceptionAttributes } from '../../src/core/exception-attributes.js';
import { ATTR_ERROR_TYPE, ERROR_TYPE_ABORTED, errorTypeOf } from '../../src/core/error-type.js';
import { serverStatusErrorType } from './error-type.js';
import {
  ATTR_CLIENT_ADDRESS,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_REQUEST_METHOD_ORIGINAL,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_NETWORK_PEER_ADDRESS,
  ATTR_NETWORK_PEER_PORT,
  ATTR_NETWORK_PROTOCOL_VERSION,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_PATH,
  ATTR_URL_QUERY,
  ATTR_URL_SCHEME,
  ATTR_USER_AGENT_ORIGINAL,
  normalizeMethod,
  parseHostHeader,
  protocolVersion,
  spanNameFor,
} from './semconv.js';
import { captureHeaders, type HttpOptions } from './options.js';
import { httpDurations, secondsSince, type HttpDurations } from './metrics.js';

/**
 * Per-request state, reachable from req and res (express sets the route through it). A class, not
 * a literal: V8 may pretenure a literal's allocation site, and a pretenured state that died in
 * the old generation would keep its response reachable to scavenges until the next full GC.
 */
export class ServerRequestState extends OpenEntry {
  readonly res: ServerResponse;
  readonly span: Span;
  readonly options: HttpOptions;
  readonly method: string;
  /** http.route, set by a framework through framework-api.ts; names the span and the metric at close. */
  route: string | undefined = undefined;
  /** An error escaped the request handler: error.type and status are already set. */
  threw = false;
  /** error.type for the duration metric when something recorded an error (a thrown error's class). */
  errorType: string | undefined = undefined;
  /** The last error a framework's handler raised (framework-api.ts recordHandlerError); hasHandlerError tells an undefined one apart. */
  handlerError: unknown = undefined;
  hasHandlerError = false;
  /** Span start, as performance.now(), for the duration metric. */
  readonly startMs: number;
  readonly scheme: 'http' | 'https';
  readonly protocolVersion: string | undefined;
  readonly durations: HttpDurations | undefined;
  /** The server span's context: the duration metric's exemplar comes from it, whatever runs at 'close'. */
  readonly context: Context;

  constructor(
    res: ServerResponse,
    span: Span,
    context: Context,
    options: HttpOptions,
    method: string,
    startMs: number,
    scheme: 'http' | 'https',
    protocolVersion: string | undefined,
    durations: HttpDurations | undefined,
  ) {
    super();
    this.res = res;
    this.span = span;
    this.context = context;
    this.options = options;
    this.method = method;
    this.startMs = startMs;
    this.scheme = scheme;
    this.protocolVersion = protocolVersion;
    this.durations = durations;
  }
}

const STATE = Symbol('otel-instrument.http.server');
/** Marks servers we run ourselves (e.g. the Prometheus endpoint), whose requests are not traced. */
export const UNTRACED_SERVER = Symbol.for('otel-instrument.untraced-server');

const guard = new Guard('http server');

// A request handler's error that escapes emit() crashes the process (Node's http server does not
// catch it). It is recorded from the monitor, which sees the error before Node prints it, on the
// request whose emit it escaped; the span is ended with the others at exit.
let escapedFrom: IncomingMessage | undefined;
process.on('uncaughtExceptionMonitor', (error) => {
  const req = escapedFrom;
  escapedFrom = undefined;
  if (req !== undefined && serverRequestState(req)?.span.isRecording() === true) recordEscapedError(req, error);
});

// Responses whose span is open. At exit, their 'close' will never come: end them there.
const inFlight = new OpenList<ServerRequestState>();
atExit(() => {
  inFlight.forEach((state) => onResponseClose.call(state.res));
});

const headerGetter = {
  get(headers: IncomingMessage['headers'], key: string): string | string[] | undefined {
    return headers[key];
  },
  keys(headers: IncomingMessage['headers']): string[] {
    return Object.keys(headers);
  },
};

export function serverRequestState(reqOrRes: object): ServerRequestState | undefined {
  return (reqOrRes as { [STATE]?: ServerRequestState })[STATE];
}

function firstForwardedFor(req: IncomingMessage): string | undefined {
  const forwarded = req.headers.forwarded;
  if (typeof forwarded === 'string') {
    const match = /for="?\[?([^\]",;]+)/i.exec(forwarded);
    if (match !== null) return match[1];
  }
  const xff = req.headers['x-forwarded-for'];
  const value = Array.isArray(xff) ? xff[0] : xff;
  if (typeof value === 'string' && value !== '') {
    const comma = value.indexOf(',');
    return (comma === -1 ? value : value.slice(0, comma)).trim();
  }
  return undefined;
}

// Excluded requests run with tracing suppressed: no span, and nothing under them either.
const EXCLUDED = suppressed(ROOT_CONTEXT);

function isExcluded(req: IncomingMessage, scheme: string, options: HttpOptions): boolean {
  const url = `${scheme}://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`;
  for (const pattern of options.excludedUrls) if (pattern.test(url)) return true;
  return false;
}

function startServerSpan(
  server: Server,
  req: IncomingMessage,
  res: ServerResponse,
  scheme: 'http' | 'https',
  telemetry: Telemetry,
  options: HttpOptions,
): Context | undefined {
  if ((server as { [UNTRACED_SERVER]?: boolean })[UNTRACED_SERVER] === true) return undefined;
  if (options.excludedUrls.length > 0 && isExcluded(req, scheme, options)) return EXCLUDED;
  const rawMethod = req.method;
  const method = normalizeMethod(rawMethod);
  const target = req.url ?? '/';
  const question = target.indexOf('?');
  const socket = req.socket;

  const attributes: Record<string, string | number> = {
    [ATTR_HTTP_REQUEST_METHOD]: method,
    [ATTR_URL_PATH]: question === -1 ? target : target.slice(0, question),
    [ATTR_URL_SCHEME]: scheme,
  };
  if (method === '_OTHER' && rawMethod !== undefined) attributes[ATTR_HTTP_REQUEST_METHOD_ORIGINAL] = rawMethod;
  if (question !== -1) attributes[ATTR_URL_QUERY] = redactSensitiveQueryValues(target.slice(question + 1));
  const host = req.headers.host;
  if (host !== undefined && host !== '') {
    const { address, port } = parseHostHeader(host);
    attributes[ATTR_SERVER_ADDRESS] = address;
    attributes[ATTR_SERVER_PORT] = port ?? (scheme === 'https' ? 443 : 80);
  }
  const peerAddress = socket?.remoteAddress;
  const clientAddress = firstForwardedFor(req) ?? peerAddress;
  if (clientAddress !== undefined) attributes[ATTR_CLIENT_ADDRESS] = clientAddress;
  if (peerAddress !== undefined) attributes[ATTR_NETWORK_PEER_ADDRESS] = peerAddress;
  if (socket?.remotePort !== undefined) attributes[ATTR_NETWORK_PEER_PORT] = socket.remotePort;
  const version = protocolVersion(req.httpVersion);
  if (version !== undefined) attributes[ATTR_NETWORK_PROTOCOL_VERSION] = version;
  const userAgent = req.headers['user-agent'];
  if (userAgent !== undefined) attributes[ATTR_USER_AGENT_ORIGINAL] = userAgent;

  // A server request starts a new local root: its parent can only come from the headers.
  const parentContext = telemetry.propagator.extract(ROOT_CONTEXT, req.headers, headerGetter);
  const startMs = performance.now();
  const span = telemetry.tracer.startSpan(spanNameFor(method), { kind: SpanKind.SERVER, attributes }, parentContext);
  const durations = httpDurations(telemetry.meter);
  const ctx = trace.setSpan(parentContext, span);
  // Unsampled requests still count in the metrics: they need the same per-request state.
  if (span.isRecording() || durations !== undefined) {
    if (options.captureServerRequest !== undefined) {
      const headers = req.headersDistinct;
      captureHeaders(
        (key, value) => span.setAttribute(key, value),
        'http.request.header.',
        options.captureServerRequest,
        options.sanitize,
        (name) => headers[name],
        () => Object.keys(headers),
      );
    }
    const state = new ServerRequestState(res, span, ctx, options, method, startMs, scheme, version, durations);
    (req as unknown as { [STATE]: ServerRequestState })[STATE] = state;
    (res as unknown as { [STATE]: ServerRequestState })[STATE] = state;
    // Plain listeners, not once ones (a wrapper per request): a second 'close' finds the state unlisted.
    res.on('close', onResponseClose);
    inFlight.add(state);
  }
  return ctx;
}

function onResponseClose(this: ServerResponse): void {
  const state = serverRequestState(this);
  if (state === undefined || !inFlight.delete(state)) return;
  try {
    const span = state.span;
    const status = this.statusCode;
    if (this.headersSent) span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
    const capture = state.options.captureServerResponse;
    if (capture !== undefined) {
      captureHeaders(
        (key, value) => span.setAttribute(key, value),
        'http.response.header.',
        capture,
        state.options.sanitize,
        (name) => this.getHeader(name),
        () => this.getHeaderNames(),
      );
    }
    if (state.route !== undefined) {
      span.setAttribute(ATTR_HTTP_ROUTE, state.route);
      span.updateName(`${spanNameFor(state.method)} ${state.route}`);
    }
    let errorType = state.errorType;
    if (errorType === undefined && !this.writableFinished) {
      // The connection closed before the response was complete.
      errorType = ERROR_TYPE_ABORTED;
      span.setAttribute(ATTR_ERROR_TYPE, errorType);
      span.setStatus({ code: SpanStatusCode.ERROR });
    } else if (errorType === undefined && !state.threw) {
      errorType = serverStatusErrorType(status);
      if (errorType !== undefined) {
        // A framework's error handler answered 5xx for a handler's error: error.type names the
        // error's type, not the status code.
        const failed = state.hasHandlerError;
        if (failed) errorType = errorTypeOf(state.handlerError);
        span.setAttribute(ATTR_ERROR_TYPE, errorType);
        span.setStatus(failed ? { code: SpanStatusCode.ERROR, message: errorMessage(state.handlerError) } : { code: SpanStatusCode.ERROR });
      }
    }
    if (state.durations !== undefined) recordServerDuration(state, this, errorType);
    span.end();
  } catch (error) {
    guard.fail(error);
  }
}

function recordServerDuration(state: ServerRequestState, res: ServerResponse, errorType: string | undefined): void {
  const attributes: Record<string, string | number> = {
    [ATTR_HTTP_REQUEST_METHOD]: state.method,
    [ATTR_URL_SCHEME]: state.scheme,
  };
  if (res.headersSent) attributes[ATTR_HTTP_RESPONSE_STATUS_CODE] = res.statusCode;
  if (state.route !== undefined) attributes[ATTR_HTTP_ROUTE] = state.route;
  if (errorType !== undefined) attributes[ATTR_ERROR_TYPE] = errorType;
  if (state.protocolVersion !== undefined) attributes[ATTR_NETWORK_PROTOCOL_VERSION] = state.protocolVersion;
  state.durations!.server.record(secondsSince(state.startMs), attributes, state.context);
}

/** An error escaped the request handler (the process is about to crash): the span says so now. */
function recordEscapedError(req: IncomingMessage, error: unknown): void {
  const state = serverRequestState(req);
  if (state === undefined) return;
  try {
    const span = state.span;
    state.threw = true;
    // A framework may have recorded this very error already.
    if (!state.hasHandlerError || state.handlerError !== error) span.addEvent('exception', exceptionAttributes(error));
    state.errorType = errorTypeOf(error);
    span.setAttribute(ATTR_ERROR_TYPE, state.errorType);
    span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(error) });
  } catch (internal) {
    guard.fail(internal);
  }
}

export function patchServer(serverPrototype: object, scheme: 'http' | 'https', telemetry: Telemetry, options: HttpOptions): void {
  wrap(serverPrototype as { emit: (...args: unknown[]) => boolean }, 'emit', (original) =>
    function emit(this: Server, event: string | symbol, req?: IncomingMessage, res?: ServerResponse): boolean {
      if (event !== 'request' || !guard.enabled) return Reflect.apply(original, this, arguments);
      let ctx: Context | undefined;
      try {
        ctx = startServerSpan(this, req!, res!, scheme, telemetry, options);
      } catch (error) {
        guard.fail(error);
      }
      if (ctx === undefined) return Reflect.apply(original, this, arguments);
      let threw = true;
      // The context is entered here, not through runWithContext: this wrapper is then the only frame of
      // ours between the handler's and Node's in the app's stack traces.
      const previous = enterContext(ctx);
      try {
        const handled = Reflect.apply(original, this, arguments) as boolean;
        threw = false;
        return handled;
      } finally {
        restoreContext(previous);
        // Not caught and rethrown: a rethrow would make Node's crash report point at this file.
        if (threw) escapedFrom = req;
      }
    },
  );
}
