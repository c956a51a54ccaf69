// Client spans for undici requests, fed only by undici's diagnostics channels: the global fetch
// (Node's bundled undici) and the undici package publish on the same channel names, so one set of
// subscribers covers both, with no patching and no module hook.
//
// Payloads, the same on Node 20 (undici 6.24), 22 (6.28) and 24 (7.29) and in undici 6.29 from npm:
//   undici:request:create    { request }              in the request's constructor, in the caller's
//                                                     async context, before any byte is written
//   undici:client:sendHeaders { request, headers, socket }  HTTP/1.1 only (the h2 engine is silent)
//   undici:request:headers   { request, response: { statusCode, headers, statusText } }
//   undici:request:trailers  { request, trailers }    response complete (body read to its end)
//   undici:request:error     { request, error }       connect errors, resets, aborts
// The request object is the key: its state lives in a WeakMap, so nothing is added to it but the
// trace headers (through its public addHeader()).

import { subscribe } from 'node:diagnostics_channel';
import type { Socket } from 'node:net';
import type { Attributes, Span } from '@opentelemetry/api';
import { SpanKind, SpanStatusCode } from '../../src/otel-api/enums.js';
import { trace } from '../../src/otel-api/trace.js';
import type { Telemetry } from '../../src/hook/instrumentation.js';
import { activeContext } from '../../src/context/als-context-manager.js';
import { isSuppressed } from '../../src/context/suppress.js';
import { atExit } from '../../src/exit/app-exit-callbacks.js';
import { OpenEntry, OpenList } from '../../src/hook/open-list.js';
import { httpDurations, secondsSince, type HttpDurations } from '../http/metrics.js';
import { Guard } from '../../src/hook/guard.js';
import { ATTR_ERROR_TYPE } from '../../src/core/error-type.js';
import { clientStatusErrorType } from '../http/error-type.js';
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
  spanNameFor,
} from '../http/semconv.js';
import { describeFailure } from './request-outcome.js';
import { describeRequest } from './request-target.js';
import { requestHeaderSetter, type UndiciRequest } from './trace-headers.js';

import { CHANNEL_CREATE, CHANNEL_ERROR, CHANNEL_HEADERS, CHANNEL_SEND_HEADERS, CHANNEL_TRAILERS } from './channel-names.js';

/** A class, not a literal: see ServerRequestState (a pretenured literal kept requests reachable). */
class RequestState extends OpenEntry {
  readonly request: object;
  readonly span: Span;
  /** Response headers arrived (status code known). */
  responded = false;
  ended = false;
  /** For http.client.request.duration (undefined when metrics are off). */
  readonly durations: HttpDurations | undefined;
  readonly startMs: number;
  readonly method: string;
  readonly address: string;
  readonly port: number;
  status: number | undefined = undefined;
  errorType: string | undefined = undefined;
  protocolVersion: string | undefined = undefined;

  constructor(request: object, span: Span, durations: HttpDurations | undefined, startMs: number, method: string, address: string, port: number) {
    super();
    this.request = request;
    this.span = span;
    this.durations = durations;
    this.startMs = startMs;
    this.method = method;
    this.address = address;
    this.port = port;
  }
}

const guard = new Guard('undici');
let telemetry: Telemetry | undefined;

// One entry per request we saw, kept (weakly) after its span ended: a request object that is
// announced again never gets a second span.
const states = new WeakMap<object, RequestState>();

// Requests whose span is open. At exit, their trailers or error will never come: end them there.
const inFlight = new OpenList<RequestState>();
atExit(() => {
  inFlight.forEach((state) => finish(state.request, undefined, false));
});

function requestOf(message: unknown): UndiciRequest | undefined {
  const request = (message as { request?: unknown } | null)?.request;
  return typeof request === 'object' && request !== null ? (request as UndiciRequest) : undefined;
}

function onCreate(message: unknown): void {
  if (!guard.enabled || telemetry === undefined) return;
  try {
    const request = requestOf(message);
    if (request === undefined || states.has(request)) return;
    // CONNECT (proxy tunnels) and upgrades (WebSocket) finish through undici's onUpgrade, which
    // publishes neither headers nor trailers in the undici of Node 20-24: their span could not end.
    if (request.upgrade || request.method === 'CONNECT') return;
    const parent = activeContext();
    if (isSuppressed(parent)) return;
    const target = describeRequest(request.origin, request.method, request.path);
    if (target === undefined) return;

    const attributes: Attributes = {
      [ATTR_HTTP_REQUEST_METHOD]: target.method,
      [ATTR_SERVER_ADDRESS]: target.address,
      [ATTR_SERVER_PORT]: target.port,
      [ATTR_URL_FULL]: target.url,
    };
    if (target.method === '_OTHER') attributes[ATTR_HTTP_REQUEST_METHOD_ORIGINAL] = target.rawMethod;
    const startMs = performance.now();
    const span = telemetry.tracer.startSpan(spanNameFor(target.method), { kind: SpanKind.CLIENT, attributes }, parent);
    const durations = httpDurations(telemetry.meter);
    const state = new RequestState(request, span, durations, startMs, target.method, target.address, target.port);
    states.set(request, state);
    if (span.isRecording() || durations !== undefined) inFlight.add(state);
    // Injected even for an unsampled span: the next service must learn the sampling decision.
    telemetry.propagator.inject(trace.setSpan(parent, span), request, requestHeaderSetter);
  } catch (error) {
    guard.fail(error);
  }
}

function onSendHeaders(message: unknown): void {
  try {
    const request = requestOf(message);
    const state = request === undefined ? undefined : states.get(request);
    if (state === undefined || state.ended) return;
    const socket = (message as { socket?: Socket & { alpnProtocol?: string | false } }).socket;
    if (socket === undefined || socket === null) return;
    const span = state.span;
    // Only the HTTP/1.1 engine publishes this; undici writes every h1 request as HTTP/1.1.
    state.protocolVersion = socket.alpnProtocol === 'h2' ? '2' : '1.1';
    span.setAttribute(ATTR_NETWORK_PROTOCOL_VERSION, state.protocolVersion);
    if (socket.remoteAddress !== undefined) span.setAttribute(ATTR_NETWORK_PEER_ADDRESS, socket.remoteAddress);
    if (socket.remotePort !== undefined) span.setAttribute(ATTR_NETWORK_PEER_PORT, socket.remotePort);
  } catch (error) {
    guard.fail(error);
  }
}

function onHeaders(message: unknown): void {
  try {
    const request = requestOf(message);
    const state = request === undefined ? undefined : states.get(request);
    if (state === undefined || state.ended) return;
    const status = (message as { response?: { statusCode?: unknown } }).response?.statusCode;
    if (typeof status !== 'number') return;
    state.responded = true;
    state.status = status;
    const span = state.span;
    span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
    state.errorType = clientStatusErrorType(status);
    if (state.errorType !== undefined) {
      span.setAttribute(ATTR_ERROR_TYPE, state.errorType);
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
  } catch (error) {
    guard.fail(error);
  }
}

function onTrailers(message: unknown): void {
  const request = requestOf(message);
  if (request !== undefined) finish(request, undefined, false);
}

function onError(message: unknown): void {
  const request = requestOf(message);
  if (request !== undefined) finish(request, (message as { error?: unknown }).error, true);
}

function recordDuration(state: RequestState): void {
  const attributes: Attributes = {
    [ATTR_HTTP_REQUEST_METHOD]: state.method,
    [ATTR_SERVER_ADDRESS]: state.address,
    [ATTR_SERVER_PORT]: state.port,
  };
  if (state.status !== undefined) attributes[ATTR_HTTP_RESPONSE_STATUS_CODE] = state.status;
  if (state.errorType !== undefined) attributes[ATTR_ERROR_TYPE] = state.errorType;
  if (state.protocolVersion !== undefined) attributes[ATTR_NETWORK_PROTOCOL_VERSION] = state.protocolVersion;
  state.durations!.client.record(secondsSince(state.startMs), attributes);
}

/** Ends the request's span once: on trailers, on error, or at process exit. */
function finish(request: object, error: unknown, failed: boolean): void {
  try {
    const state = states.get(request);
    if (state === undefined || state.ended) return;
    inFlight.delete(state);
    state.ended = true;
    const span = state.span;
    if (failed) {
      const failure = describeFailure(error);
      span.recordException(error as Error);
      if (!failure.cancelled) {
        state.errorType = failure.errorType;
        span.setAttribute(ATTR_ERROR_TYPE, failure.errorType);
        const text = (error as { message?: unknown } | null)?.message;
        span.setStatus(typeof text === 'string' && text !== '' ? { code: SpanStatusCode.ERROR, message: text } : { code: SpanStatusCode.ERROR });
      } else if (!state.responded) {
        // Cancelled before an answer: error.type says so, the status stays unset (not an error).
        // Cancelled while reading the body: the exchange itself succeeded, the event is enough.
        state.errorType = failure.errorType;
        span.setAttribute(ATTR_ERROR_TYPE, failure.errorType);
      }
    }
    span.end();
    if (state.durations !== undefined) recordDuration(state);
  } catch (caught) {
    guard.fail(caught);
  }
}

/** The subscriber of each channel, for a caller that has a message in hand before subscribing. */
export const UNDICI_HANDLERS: Readonly<Record<string, (message: unknown, name: string | symbol) => void>> = {
  [CHANNEL_CREATE]: onCreate as (message: unknown) => void,
  [CHANNEL_SEND_HEADERS]: onSendHeaders as (message: unknown) => void,
  [CHANNEL_HEADERS]: onHeaders as (message: unknown) => void,
  [CHANNEL_TRAILERS]: onTrailers as (message: unknown) => void,
  [CHANNEL_ERROR]: onError as (message: unknown) => void,
};

/** Subscribes once per process; a second call is a no-op (one fetch never makes two spans). */
export function subscribeUndiciChannels(tel: Telemetry): void {
  if (telemetry !== undefined) return;
  telemetry = tel;
  // diagnostics_channel.subscribe (not channel().subscribe) keeps the channels alive: on older
  // Node a channel object with only a weak reference could be collected with its subscribers.
  for (const name of Object.keys(UNDICI_HANDLERS)) subscribe(name, UNDICI_HANDLERS[name]!);
}
