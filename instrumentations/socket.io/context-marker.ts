// Trace context across the socket. socket.io's packets have no headers: an event is its name and its
// arguments. So the context travels as one extra, last argument of the event packet, an object
// `{ "otel-instrument.context": { traceparent, tracestate, baggage } }`, written only when the peer
// is known to run this instrumentation too, and taken off again by the receiving side before the
// app's listeners (or socket.io's ack handling) see the arguments. A peer that is not instrumented
// never gets one, so what its app receives is unchanged.
//
// How each side knows:
// - The server says so in its CONNECT packet's data ({ sid, pid, "otel-instrument": 1 }): socket.io
//   clients read sid and pid only, so an uninstrumented client's app sees nothing of it. A client that
//   saw it sends the context with each event.
// - The server learns that a client is instrumented from the first event that carries a context,
//   and from then on sends its own emits to that socket with one. (A client cannot say so earlier
//   without a change its server's app could see: its CONNECT data is the app's `handshake.auth`.)
//
// Not carried: events broadcast to rooms or a namespace (one packet, encoded once for every
// recipient, instrumented or not), events sent before the socket connected (buffered, then
// flushed outside the emit), and server emits with connection state recovery on (they go through
// the adapter). Their receivers' spans start a trace of their own.

import type { MessageHeaders } from '../messaging/header-carrier.js';

export const CAPABILITY_KEY = 'otel-instrument';
const MARKER_KEY = 'otel-instrument.context';

export const PacketType = { CONNECT: 0, EVENT: 2, BINARY_EVENT: 5 } as const;

/** The part of a socket.io packet read or written here. */
export interface PacketLike {
  type?: unknown;
  data?: unknown;
  nsp?: unknown;
}

/** Set on a socket (server or client side) whose peer runs this instrumentation. */
export const PEER_TRACED = Symbol('otel-instrument.socket.io.peer-traced');

export interface PeerTraced {
  [PEER_TRACED]?: boolean;
}

export function isEventPacket(packet: PacketLike): boolean {
  return packet.type === PacketType.EVENT || packet.type === PacketType.BINARY_EVENT;
}

/** The argument that carries `headers` (filled by the propagator). */
export function contextArgument(headers: MessageHeaders): object {
  return { [MARKER_KEY]: headers };
}

/**
 * Takes the context argument off a received event packet's arguments, if it has one (in place: the
 * packet is socket.io's own, not yet handed to the app). Returns its headers.
 */
export function takeContextArgument(packet: PacketLike): MessageHeaders | undefined {
  const data = packet.data;
  if (!Array.isArray(data) || data.length < 2) return undefined;
  const last: unknown = data[data.length - 1];
  if (typeof last !== 'object' || last === null || Array.isArray(last) || !Object.prototype.hasOwnProperty.call(last, MARKER_KEY)) return undefined;
  const headers = (last as Record<string, unknown>)[MARKER_KEY];
  if (typeof headers !== 'object' || headers === null) return undefined;
  data.pop();
  return headers as MessageHeaders;
}

/** Adds the capability flag to the data of a CONNECT packet the server sends (protocol 5: { sid, pid }). */
export function announceTracing(packet: PacketLike): void {
  const data = packet.data;
  if (packet.type === PacketType.CONNECT && typeof data === 'object' && data !== null) (data as Record<string, unknown>)[CAPABILITY_KEY] = 1;
}

/** Whether a CONNECT packet a client received comes from a server running this instrumentation. */
export function announcesTracing(packet: PacketLike): boolean {
  const data = packet.data;
  return typeof data === 'object' && data !== null && (data as Record<string, unknown>)[CAPABILITY_KEY] === 1;
}
