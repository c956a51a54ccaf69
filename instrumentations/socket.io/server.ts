// The socket.io server (socket.io 4), patched in its own files:
// - dist/socket.js Socket.prototype.emit: an emit to one client (send span). .packet: every packet
//   to that client goes through it: the CONNECT answer announces that this server is instrumented,
//   an emit's event packet carries its context when the client is instrumented too
//   (context-marker.ts). .onevent: a received event: its context argument taken off, the process span
//   started, and socket.io's own handling (onAny listeners, the socket.use middlewares, then the
//   listeners on the next tick) run in its context. ._onerror: a middleware refused the event.
// - dist/typed-events.js StrictEventEmitter.prototype.emitUntyped: how Socket#dispatch calls the
//   event's listeners once the middlewares passed it; the process span ends when they return (or
//   throw: recorded, and the same error goes on). The span is found in the active context, where
//   onevent put it, so the middlewares may take their time.
// - dist/broadcast-operator.js BroadcastOperator.prototype.emit: io.emit, io.to(room).emit,
//   socket.broadcast.emit, socket.to(room).emit, namespace.emit (send span, with the rooms).

import { applyInContext } from '../../src/context/als-context-manager.js';
import type { Telemetry } from '../../src/hook/instrumentation.js';
import { wrap } from '../../src/hook/patch.js';
import type { MessagingClient } from '../messaging/messaging-client.js';
import { announceTracing, PEER_TRACED, takeContextArgument, type PacketLike, type PeerTraced } from './context-marker.js';
import { addContextToPacket, processingOf, socketIoClient, startProcess, tracedEmit } from './socket-io-events.js';

type AnyFunction = (...args: any[]) => any;
type Proto = Record<string, AnyFunction>;

interface ServerSocketLike extends PeerTraced {
  readonly nsp?: { readonly name?: unknown };
}

interface BroadcastOperatorLike {
  readonly adapter?: { readonly nsp?: { readonly name?: unknown } };
  readonly rooms?: ReadonlySet<unknown>;
}

function socketEmit(client: MessagingClient, original: AnyFunction): AnyFunction {
  return function emit(this: ServerSocketLike) {
    if (!client.guard.enabled) return Reflect.apply(original, this, arguments);
    return tracedEmit(client, original, this, arguments, this.nsp?.name, undefined);
  };
}

function socketPacket(client: MessagingClient, original: AnyFunction): AnyFunction {
  return function packet(this: ServerSocketLike, packet: PacketLike) {
    try {
      if (packet !== null && typeof packet === 'object') {
        announceTracing(packet);
        if (client.guard.enabled) addContextToPacket(client, this, packet);
      }
    } catch (error) {
      client.guard.fail(error);
    }
    return Reflect.apply(original, this, arguments);
  };
}

function socketOnevent(client: MessagingClient, original: AnyFunction): AnyFunction {
  return function onevent(this: ServerSocketLike, packet: PacketLike) {
    let started: ReturnType<typeof startProcess>;
    try {
      // Taken off even when tracing turned itself off: the client only sends it to us because we said so.
      const headers = packet !== null && typeof packet === 'object' ? takeContextArgument(packet) : undefined;
      if (headers !== undefined) this[PEER_TRACED] = true;
      if (client.guard.enabled) started = startProcess(client, this, packet, this.nsp?.name, headers);
    } catch (error) {
      client.guard.fail(error);
    }
    if (started === undefined) return Reflect.apply(original, this, arguments);
    try {
      return applyInContext(started.context, original, this, arguments);
    } catch (error) {
      // An onAny listener threw: socket.io dispatches nothing more.
      started.operation.end(error, true);
      throw error;
    }
  };
}

function socketOnerror(original: AnyFunction): AnyFunction {
  return function _onerror(this: object, error: unknown) {
    processingOf(this)?.end(error, true);
    return Reflect.apply(original, this, arguments);
  };
}

function emitUntyped(original: AnyFunction): AnyFunction {
  return function emitUntyped(this: object) {
    const operation = processingOf(this);
    if (operation === undefined) return Reflect.apply(original, this, arguments);
    try {
      return Reflect.apply(original, this, arguments);
    } catch (error) {
      operation.end(error, true);
      throw error;
    } finally {
      operation.end();
    }
  };
}

function broadcastEmit(client: MessagingClient, original: AnyFunction): AnyFunction {
  return function emit(this: BroadcastOperatorLike) {
    if (!client.guard.enabled) return Reflect.apply(original, this, arguments);
    return tracedEmit(client, original, this, arguments, this.adapter?.nsp?.name, this.rooms);
  };
}

/** socket.io/dist/socket.js */
export function patchSocket(exports: unknown, telemetry: Telemetry): unknown {
  const proto = (exports as { Socket?: { prototype?: Proto } })?.Socket?.prototype;
  if (proto === undefined || typeof proto.emit !== 'function' || typeof proto.packet !== 'function' || typeof proto.onevent !== 'function') return exports;
  const client = socketIoClient(telemetry);
  wrap(proto, 'emit', (original) => socketEmit(client, original));
  wrap(proto, 'packet', (original) => socketPacket(client, original));
  wrap(proto, 'onevent', (original) => socketOnevent(client, original));
  wrap(proto, '_onerror', socketOnerror);
  return exports;
}

/** socket.io/dist/typed-events.js */
export function patchTypedEvents(exports: unknown): unknown {
  const proto = (exports as { StrictEventEmitter?: { prototype?: Proto } })?.StrictEventEmitter?.prototype;
  if (proto !== undefined) wrap(proto, 'emitUntyped', emitUntyped);
  return exports;
}

/** socket.io/dist/broadcast-operator.js */
export function patchBroadcastOperator(exports: unknown, telemetry: Telemetry): unknown {
  const proto = (exports as { BroadcastOperator?: { prototype?: Proto } })?.BroadcastOperator?.prototype;
  if (proto === undefined) return exports;
  const client = socketIoClient(telemetry);
  wrap(proto, 'emit', (original) => broadcastEmit(client, original));
  return exports;
}
