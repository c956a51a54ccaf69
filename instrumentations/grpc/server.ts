// Server calls: a SERVER span per call to a registered method, from the moment grpc-js receives the
// call's headers until it sends the status (or the client goes away first), child of the trace
// context the client sent in its metadata. The method's handler, and every event of the call object
// it is given ('data', 'end', 'cancelled', ...), run with the span active, so the handler's own
// outgoing calls are its children.
//
// grpc-js 1.10 and later, where a call passes through these points:
// - server-interceptors.js getServerInterceptingCall(interceptors, http2Stream, headers, ..., handler):
//   the call is received. server.js reads it from that module's exports on every call, so wrapping the
//   export is enough. The span starts here; the call's state is kept on the HTTP/2 stream and on the
//   call object returned (the one the handler's call object holds as `.call`).
// - BaseServerInterceptingCall.prototype.sendStatus: the status that goes out, whoever sends it (the
//   handler's answer, an interceptor, grpc-js's own deadline timer, a handler that threw). It sends
//   nothing once the stream is closed or the call cancelled, and neither does the span end there then.
// - BaseServerInterceptingCall.prototype.notifyOnCancel: the stream closed without a status sent
//   first: the client cancelled or went away. CANCELLED, which is not a server error.
// - server.js Server.prototype.register(name, handler, ...): addService and friends register each
//   method's handler there once; the handler is wrapped to run in the span's context, to keep the
//   error a unary or client-streaming handler answers with, and the one it throws.
// - server-call.js: the handler's call objects; their emit runs listeners in the span's context and
//   keeps an 'error' a streaming handler emits, as the exception behind its status.

import type { Attributes, Context } from '@opentelemetry/api';
import type { IncomingHttpHeaders, ServerHttp2Stream } from 'node:http2';
import { SpanKind } from '../../src/otel-api/enums.js';
import { trace } from '../../src/otel-api/trace.js';
import { applyInContext } from '../../src/context/als-context-manager.js';
import { ROOT_CONTEXT } from '../../src/context/context.js';
import { keepShape, wrap } from '../../src/hook/patch.js';
import { ATTR_NETWORK_PEER_ADDRESS, ATTR_NETWORK_PEER_PORT, ATTR_SERVER_ADDRESS, ATTR_SERVER_PORT, parseHostHeader } from '../http/semconv.js';
import { headersGetter } from './metadata.js';
import { knownMethod } from './method.js';
import { MetricSite, RpcCall, type GrpcTelemetry } from './rpc-call.js';
import { ATTR_RPC_METHOD, ATTR_RPC_SYSTEM_NAME, RPC_SYSTEM_GRPC, STATUS_CANCELLED } from './semconv.js';

type AnyFunction = (...args: any[]) => any;

const SERVER_CALL = Symbol('otel-instrument.grpc.server-call');

interface Tracked {
  [SERVER_CALL]?: ServerCall;
}

/** A server call: its span, and whether its status is being sent (so the cancel that follows is not one). */
class ServerCall extends RpcCall {
  sending = false;
}

interface HandlerLike {
  readonly path?: unknown;
}

/** The part of BaseServerInterceptingCall read here. */
interface BaseCallLike {
  readonly stream?: ServerHttp2Stream & Tracked;
  readonly cancelled?: boolean;
}

interface Peer {
  readonly address: string | undefined;
  readonly port: number | undefined;
}

// network.peer.* per HTTP/2 session: every call on a connection comes from the same peer.
const peers = new WeakMap<object, Peer>();
const NO_PEER: Peer = { address: undefined, port: undefined };

function peerOf(stream: ServerHttp2Stream): Peer {
  const session = stream.session;
  if (session === undefined || session === null) return NO_PEER;
  let peer = peers.get(session);
  if (peer === undefined) {
    const socket = session.socket;
    peer = { address: socket?.remoteAddress, port: socket?.remotePort };
    peers.set(session, peer);
  }
  return peer;
}

// The metric's sites, one per registered method.
const sites = new Map<string, MetricSite>();

function siteOf(method: string): MetricSite {
  let site = sites.get(method);
  if (site === undefined) {
    site = new MetricSite({ [ATTR_RPC_SYSTEM_NAME]: RPC_SYSTEM_GRPC, [ATTR_RPC_METHOD]: method });
    sites.set(method, site);
  }
  return site;
}

function startServerCall(rpc: GrpcTelemetry, stream: ServerHttp2Stream, headers: IncomingHttpHeaders, handler: HandlerLike): ServerCall | undefined {
  const path = handler?.path;
  if (typeof path !== 'string' || typeof headers !== 'object' || headers === null) return undefined;
  const method = knownMethod(path);
  const attributes: Attributes = { [ATTR_RPC_SYSTEM_NAME]: RPC_SYSTEM_GRPC, [ATTR_RPC_METHOD]: method.name };
  // The address the client used to reach this server: the :authority it sent (grpc.md).
  const authority = headers[':authority'] ?? headers.host;
  if (typeof authority === 'string' && authority !== '') {
    const { address, port } = parseHostHeader(authority);
    attributes[ATTR_SERVER_ADDRESS] = address;
    if (port !== undefined) attributes[ATTR_SERVER_PORT] = port;
  }
  const peer = peerOf(stream);
  if (peer.address !== undefined) {
    attributes[ATTR_NETWORK_PEER_ADDRESS] = peer.address;
    if (peer.port !== undefined) attributes[ATTR_NETWORK_PEER_PORT] = peer.port;
  }
  // A server call starts a new local root: its parent can only come from the client's metadata.
  const parent = rpc.propagator.extract(ROOT_CONTEXT, headers, headersGetter);
  const span = rpc.tracer.startSpan(method.spanName, { kind: SpanKind.SERVER, attributes }, parent);
  const context: Context = trace.setSpan(parent, span);
  return new ServerCall(rpc, span, context, siteOf(method.name), true);
}

// --- server-interceptors.js ------------------------------------------------------------------------

function receivingCall(rpc: GrpcTelemetry, original: AnyFunction): AnyFunction {
  return function getServerInterceptingCall(this: unknown, _interceptors: unknown, stream: ServerHttp2Stream & Tracked, headers: IncomingHttpHeaders, _tracker: unknown, handler: HandlerLike): unknown {
    if (!rpc.guard.enabled) return Reflect.apply(original, this, arguments);
    let call: ServerCall | undefined;
    try {
      call = startServerCall(rpc, stream, headers, handler);
      if (call !== undefined) stream[SERVER_CALL] = call;
    } catch (error) {
      rpc.guard.fail(error);
    }
    let result: unknown;
    try {
      result = Reflect.apply(original, this, arguments);
    } catch (error) {
      call?.endWithoutStatus(error);
      throw error;
    }
    if (call !== undefined && typeof result === 'object' && result !== null) (result as Tracked)[SERVER_CALL] = call;
    return result;
  };
}

function sendingStatus(original: AnyFunction): AnyFunction {
  return function sendStatus(this: BaseCallLike, status: { code?: unknown; details?: unknown } | undefined): unknown {
    const stream = this.stream;
    const call = stream?.[SERVER_CALL];
    // grpc-js sends nothing once the call is cancelled or its stream closed (its checkCancelled).
    if (call === undefined || call.ended || this.cancelled === true || stream!.destroyed || stream!.closed) {
      return Reflect.apply(original, this, arguments);
    }
    call.sending = true;
    try {
      return Reflect.apply(original, this, arguments);
    } finally {
      const code = status?.code;
      call.end(typeof code === 'number' ? code : 2, status?.details);
    }
  };
}

function notifyingCancel(original: AnyFunction): AnyFunction {
  return function notifyOnCancel(this: BaseCallLike): unknown {
    const call = this.stream?.[SERVER_CALL];
    if (call !== undefined && !call.ended && !call.sending) call.end(STATUS_CANCELLED, undefined);
    return Reflect.apply(original, this, arguments);
  };
}

/** build/src/server-interceptors.js */
export function patchServerInterceptors(exports: unknown, rpc: GrpcTelemetry): unknown {
  const module = exports as { getServerInterceptingCall?: AnyFunction; BaseServerInterceptingCall?: { prototype?: Record<string, AnyFunction> } };
  const proto = module.BaseServerInterceptingCall?.prototype;
  if (typeof module.getServerInterceptingCall !== 'function' || typeof proto?.sendStatus !== 'function' || typeof proto.notifyOnCancel !== 'function') {
    return exports;
  }
  wrap(proto, 'sendStatus', sendingStatus);
  wrap(proto, 'notifyOnCancel', notifyingCancel);
  wrap(module as Record<string, AnyFunction>, 'getServerInterceptingCall', (original) => receivingCall(rpc, original));
  return exports;
}

// --- server.js -------------------------------------------------------------------------------------

/** The app's callback for a unary or client-streaming answer: the error it answers with is kept. */
function answeringCallback(call: ServerCall, respond: AnyFunction): AnyFunction {
  return function (this: unknown, error: unknown) {
    if (error !== null && error !== undefined) call.error = error;
    return Reflect.apply(respond, this, arguments);
  };
}

function tracedHandler(rpc: GrpcTelemetry, handler: AnyFunction): AnyFunction {
  const traced = function (this: unknown, callObject: { call?: Tracked } | undefined, respond: unknown): unknown {
    const call = callObject?.call?.[SERVER_CALL];
    if (call === undefined || !rpc.guard.enabled) return Reflect.apply(handler, this, arguments);
    let args: ArrayLike<unknown> = arguments;
    if (typeof respond === 'function') {
      const copy = Array.prototype.slice.call(arguments) as unknown[];
      copy[1] = answeringCallback(call, respond as AnyFunction);
      args = copy;
    }
    try {
      return applyInContext(call.context, handler, this, args);
    } catch (error) {
      // grpc-js answers UNKNOWN for it: the same object goes on to grpc-js.
      call.error = error;
      throw error;
    }
  };
  return keepShape(traced, handler);
}

/** build/src/server.js */
export function patchServer(exports: unknown, rpc: GrpcTelemetry): unknown {
  const proto = (exports as { Server?: { prototype?: Record<string, AnyFunction> } }).Server?.prototype;
  if (proto === undefined) return exports;
  wrap(proto, 'register', (original) =>
    function register(this: unknown, _name: unknown, handler: unknown): unknown {
      if (typeof handler !== 'function') return Reflect.apply(original, this, arguments);
      const args = Array.prototype.slice.call(arguments) as unknown[];
      args[1] = tracedHandler(rpc, handler as AnyFunction);
      return Reflect.apply(original, this, args);
    },
  );
  return exports;
}

// --- server-call.js --------------------------------------------------------------------------------

function contextEmit(rpc: GrpcTelemetry, original: AnyFunction): AnyFunction {
  return function emit(this: { call?: Tracked }, event: unknown): unknown {
    const call = this.call?.[SERVER_CALL];
    if (call === undefined || !rpc.guard.enabled) return Reflect.apply(original, this, arguments);
    if (event === 'error' && call.error === undefined) call.error = arguments[1];
    return applyInContext(call.context, original, this, arguments);
  };
}

const CALL_CLASSES = ['ServerUnaryCallImpl', 'ServerReadableStreamImpl', 'ServerWritableStreamImpl', 'ServerDuplexStreamImpl'];

/** build/src/server-call.js */
export function patchServerCallObjects(exports: unknown, rpc: GrpcTelemetry): unknown {
  const classes = exports as Record<string, { prototype?: Record<string, AnyFunction> } | undefined>;
  for (const name of CALL_CLASSES) {
    const proto = classes[name]?.prototype;
    if (proto !== undefined) wrap(proto, 'emit', (original) => contextEmit(rpc, original));
  }
  return exports;
}
