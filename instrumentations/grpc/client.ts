// Client calls: a CLIENT span per call, from the moment the app makes it until grpc-js receives its
// status, for the four kinds of call Client.prototype makes (stubs from loadPackageDefinition and
// makeClientConstructor, generated code and bare Clients all go through them).
//
// build/src/client.js is patched as it loads: make-client.js copies the four methods from
// Client.prototype when it loads, right after, so a later patch would miss every stub.
//
// The app's arguments are first read by grpc-js's own helpers (checkOptionalUnaryResponseArguments,
// checkMetadataAndOptions), so they mean exactly what they would have meant, and are then passed in
// their full form: the metadata (the app's, cloned so a Metadata object it reuses never carries a
// trace context, or the fresh one grpc-js would have made) with the trace context added to keys the
// app did not set, and the unary and client-streaming callback wrapped to end the span first and to
// run in the caller's context. Arguments grpc-js would reject are passed on untouched, untraced.
//
// The call objects (call.js) have their emit wrapped on their prototypes: the span ends on the
// 'status' event grpc-js emits when the status arrives (after 'error' on a failed stream), and every
// event runs in the caller's context, so work done in 'data' listeners belongs to the caller. grpc-js
// emits them in the context of whatever first opened the connection, another request's at times.

import type { Attributes, Span } from '@opentelemetry/api';
import { SpanKind } from '../../src/otel-api/enums.js';
import { trace } from '../../src/otel-api/trace.js';
import { activeContext, applyInContext } from '../../src/context/als-context-manager.js';
import { isSuppressed } from '../../src/context/suppress.js';
import { wrap } from '../../src/hook/patch.js';
import { ATTR_SERVER_ADDRESS, ATTR_SERVER_PORT } from '../http/semconv.js';
import { metadataSetter, type MetadataLike } from './metadata.js';
import { clientMethod } from './method.js';
import { MetricSite, RpcCall, type GrpcTelemetry, type PeerSource } from './rpc-call.js';
import { ATTR_RPC_METHOD, ATTR_RPC_METHOD_ORIGINAL, ATTR_RPC_SYSTEM_NAME, RPC_SYSTEM_GRPC, STATUS_OK } from './semconv.js';
import { parseTarget, type ServerTarget } from './target.js';
import { sharedAttributes } from '../../src/core/shared-attributes.js';

type AnyFunction = (...args: any[]) => any;

const CLIENT_CALL = Symbol('otel-instrument.grpc.client-call');
/** On the prototypes whose emit ends the span: a call object grpc-js did not make needs a listener. */
const EMITS_STATUS = Symbol('otel-instrument.grpc.emits-status');

interface Tracked {
  [CLIENT_CALL]?: RpcCall;
  [EMITS_STATUS]?: true;
}

interface ChannelLike {
  getTarget(): string;
  internalChannel?: { options?: Record<string, unknown> };
}

interface ClientLike {
  getChannel(): ChannelLike;
  checkOptionalUnaryResponseArguments(metadata: unknown, options: unknown, callback: unknown): { metadata: MetadataLike; options: unknown; callback: AnyFunction };
  checkMetadataAndOptions(metadata: unknown, options: unknown): { metadata: MetadataLike; options: unknown };
}

interface StatusLike {
  code?: unknown;
  details?: unknown;
}

const UNKNOWN = 2;

// --- where the client sends its calls --------------------------------------------------------------

/** A method called on one channel: the span's first attributes and the metric's, made once. */
interface ClientSite {
  readonly attributes: Attributes;
  readonly metric: MetricSite;
}

/** Where a channel sends its calls, and the sites of the methods called on it. */
class ChannelCalls {
  readonly target: ServerTarget;
  readonly #sites = new Map<string, ClientSite>();

  constructor(target: ServerTarget) {
    this.target = target;
  }

  /** The site of a method (rpc.method's value: recognized ones and '_OTHER', so there are few). */
  site(method: string): ClientSite {
    let site = this.#sites.get(method);
    if (site === undefined) {
      const target = this.target;
      const attributes: Attributes = { [ATTR_RPC_SYSTEM_NAME]: RPC_SYSTEM_GRPC, [ATTR_RPC_METHOD]: method, [ATTR_SERVER_ADDRESS]: target.address };
      if (target.port !== undefined) attributes[ATTR_SERVER_PORT] = target.port;
      site = { attributes: sharedAttributes(attributes), metric: new MetricSite(attributes) };
      this.#sites.set(method, site);
    }
    return site;
  }
}

const channels = new WeakMap<object, ChannelCalls>();

/** server.address and server.port of a client's channel, worked out once per channel. */
function channelOf(client: ClientLike): ChannelCalls {
  const channel = client.getChannel();
  let calls = channels.get(channel);
  if (calls === undefined) {
    // Behind an HTTP CONNECT proxy the channel's target is the proxy; grpc-js keeps the server's here.
    const proxied = channel.internalChannel?.options?.['grpc.http_connect_target'];
    calls = new ChannelCalls(parseTarget(typeof proxied === 'string' ? proxied : channel.getTarget()));
    channels.set(channel, calls);
  }
  return calls;
}

// --- the arguments ---------------------------------------------------------------------------------

interface Prepared {
  readonly args: unknown[];
  readonly metadata: MetadataLike;
  /** Index of the callback in `args`, or -1. */
  readonly callbackIndex: number;
}

/**
 * The app's arguments in their full form, as grpc-js reads them: `first` is the index of the
 * metadata-or-options-or-callback argument. Undefined when grpc-js would reject them (it then
 * throws as it always did) or when their full form would not mean the same.
 */
function prepare(client: ClientLike, args: IArguments, first: number, withCallback: boolean): Prepared | undefined {
  const a1 = args[first];
  const a2 = args[first + 1];
  let metadata: MetadataLike;
  let options: unknown;
  let callback: AnyFunction | undefined;
  try {
    if (withCallback) ({ metadata, options, callback } = client.checkOptionalUnaryResponseArguments(a1, a2, args[first + 2]));
    else ({ metadata, options } = client.checkMetadataAndOptions(a1, a2));
  } catch {
    return undefined;
  }
  // The full form requires options to be an object (grpc-js checks instanceof Object there).
  if (!(options instanceof Object)) return undefined;
  // The app's own Metadata object is left as it is: the context goes into a copy.
  if (metadata === a1) metadata = metadata.clone();
  const full = Array.prototype.slice.call(args, 0, first) as unknown[];
  full.push(metadata, options);
  if (withCallback) full.push(callback);
  return { args: full, metadata, callbackIndex: withCallback ? first + 2 : -1 };
}

/** The app's callback: ends the call with the status it is given, then runs in the caller's context. */
function endingCallback(call: RpcCall, callback: AnyFunction): AnyFunction {
  return function (this: unknown, error: unknown) {
    if (error === null || error === undefined) {
      call.end(STATUS_OK, undefined);
    } else {
      call.error = error;
      const status = error as StatusLike;
      call.end(typeof status.code === 'number' ? status.code : UNKNOWN, status.details);
    }
    return applyInContext(call.context, callback, this, arguments);
  };
}

function endWithStatus(call: RpcCall, status: unknown): void {
  const { code, details } = (status ?? {}) as StatusLike;
  call.end(typeof code === 'number' ? code : UNKNOWN, details);
}

// --- the four kinds of call ------------------------------------------------------------------------

function makeRequest(rpc: GrpcTelemetry, original: AnyFunction, first: number, withCallback: boolean): AnyFunction {
  return function (this: ClientLike, path: unknown): unknown {
    const parent = activeContext();
    if (!rpc.guard.enabled || isSuppressed(parent) || typeof path !== 'string') return Reflect.apply(original, this, arguments);
    let call: RpcCall;
    let prepared: Prepared | undefined;
    try {
      prepared = prepare(this, arguments, first, withCallback);
      if (prepared === undefined) return Reflect.apply(original, this, arguments);
      const method = clientMethod(this, path, rpc.knownMethods);
      const site = channelOf(this).site(method.name);
      const attributes = method.original === undefined ? site.attributes : { ...site.attributes, [ATTR_RPC_METHOD_ORIGINAL]: method.original };
      const span: Span = rpc.tracer.startSpan(method.spanName, { kind: SpanKind.CLIENT, attributes }, parent);
      rpc.propagator.inject(trace.setSpan(parent, span), prepared.metadata, metadataSetter);
      call = new RpcCall(rpc, span, parent, site.metric, false);
      if (withCallback) prepared.args[prepared.callbackIndex] = endingCallback(call, prepared.args[prepared.callbackIndex] as AnyFunction);
    } catch (error) {
      rpc.guard.fail(error);
      return Reflect.apply(original, this, arguments);
    }

    let result: unknown;
    try {
      result = Reflect.apply(original, this, prepared.args);
    } catch (error) {
      // A closed channel, a bad deadline: the app gets the very same error.
      call.endWithoutStatus(error);
      throw error;
    }
    try {
      track(call, result);
    } catch (error) {
      rpc.guard.fail(error);
    }
    return result;
  };
}

function track(call: RpcCall, result: unknown): void {
  if (typeof result !== 'object' || result === null) return;
  const tracked = result as Tracked & Partial<PeerSource> & { on?: AnyFunction };
  tracked[CLIENT_CALL] = call;
  if (typeof tracked.getPeer === 'function') call.peerSource = tracked as PeerSource;
  // A call object a callInvocationTransformer put in place of grpc-js's own: its emit is not ours.
  if (tracked[EMITS_STATUS] !== true && typeof tracked.on === 'function') {
    tracked.on('status', (status: unknown) => endWithStatus(call, status));
  }
}

// --- the call objects' events --------------------------------------------------------------------

function trackingEmit(rpc: GrpcTelemetry, original: AnyFunction): AnyFunction {
  return function emit(this: Tracked, event: unknown): unknown {
    const call = this[CLIENT_CALL];
    if (call === undefined || !rpc.guard.enabled) return Reflect.apply(original, this, arguments);
    if (!call.ended) {
      if (event === 'status') endWithStatus(call, arguments[1]);
      else if (event === 'error' && call.error === undefined) call.error = arguments[1];
    }
    return applyInContext(call.context, original, this, arguments);
  };
}

const KINDS = [
  // method, index of its first optional argument, whether it takes a callback
  ['makeUnaryRequest', 4, true],
  ['makeClientStreamRequest', 3, true],
  ['makeServerStreamRequest', 4, false],
  ['makeBidiStreamRequest', 3, false],
] as const;

/** build/src/client.js */
export function patchClient(exports: unknown, rpc: GrpcTelemetry): unknown {
  const proto = (exports as { Client?: { prototype?: Record<string, AnyFunction> } }).Client?.prototype;
  if (proto === undefined || typeof proto.checkOptionalUnaryResponseArguments !== 'function' || typeof proto.checkMetadataAndOptions !== 'function') {
    return exports;
  }
  for (const [name, first, withCallback] of KINDS) {
    wrap(proto, name, (original) => makeRequest(rpc, original, first, withCallback));
  }
  return exports;
}

const CALL_CLASSES = ['ClientUnaryCallImpl', 'ClientReadableStreamImpl', 'ClientWritableStreamImpl', 'ClientDuplexStreamImpl'];

/** build/src/call.js */
export function patchCallObjects(exports: unknown, rpc: GrpcTelemetry): unknown {
  const classes = exports as Record<string, { prototype?: Record<string | symbol, unknown> } | undefined>;
  for (const name of CALL_CLASSES) {
    const proto = classes[name]?.prototype;
    if (proto === undefined) continue;
    if (wrap(proto as Record<string, AnyFunction>, 'emit', (original) => trackingEmit(rpc, original))) proto[EMITS_STATUS] = true;
  }
  return exports;
}
