// What the server and client sides share: the one messaging client (messaging/messaging-client.ts
// makes the spans, applies the error rule and records the messaging metrics), and the emit and
// process operations of one event.

import type { Attributes, Context } from '@opentelemetry/api';
import { activeContext, applyInContext, bindToContext } from '../../src/context/als-context-manager.js';
import type { Telemetry } from '../../src/hook/instrumentation.js';
import { createContextKey } from '../../src/otel-api/context-key.js';
import type { MessageHeaders } from '../messaging/header-carrier.js';
import { MessagingClient, type MessagingOperation } from '../messaging/messaging-client.js';
import { contextArgument, isEventPacket, PEER_TRACED, type PacketLike, type PeerTraced } from './context-marker.js';
import { ATTR_SOCKET_IO_EVENT_NAME, ATTR_SOCKET_IO_ROOMS, OPERATION_EMIT, OPERATION_PROCESS, SOCKET_IO_SYSTEM } from './semconv.js';

type AnyFunction = (...args: any[]) => any;

let shared: MessagingClient | undefined;

/** Made by the first patched file, server or client. */
export function socketIoClient(telemetry: Telemetry): MessagingClient {
  shared ??= new MessagingClient(telemetry, { instrumentation: 'socket.io', system: SOCKET_IO_SYSTEM });
  return shared;
}

/** Where the server or client says who it talks to (client side: the server it connected to). */
export interface Peer {
  readonly serverAddress?: string | undefined;
  readonly serverPort?: number | undefined;
}

const NO_PEER: Peer = {};

/** The emit running now (emit is synchronous up to the packet write), so the packet write can add its context. */
interface Emitting {
  readonly socket: object;
  readonly operation: MessagingOperation;
}

let emitting: Emitting | undefined;

function eventName(event: unknown): string {
  return typeof event === 'string' ? event : String(event);
}

/**
 * socket.emit / io.to(room).emit / io.emit: a send span around the library's emit. The ack callback
 * (a function as last argument) is bound to the context the app emitted in, as a client call's
 * callback is (grpc, messaging-client's wrapCallback): socket.io would otherwise run it in whatever
 * context the socket's incoming data has. (Not the span's own context: an app that emits again from
 * its ack would nest every later emit one level deeper, without end.) A throw (a reserved event
 * name) ends it as failed and goes on to the app.
 */
export function tracedEmit(
  client: MessagingClient,
  original: AnyFunction,
  self: object,
  args: IArguments,
  namespace: unknown,
  rooms: ReadonlySet<unknown> | undefined,
  peer: Peer = NO_PEER,
): unknown {
  let operation: MessagingOperation | undefined;
  let callArgs: ArrayLike<unknown> = args;
  try {
    const attributes: Attributes = { [ATTR_SOCKET_IO_EVENT_NAME]: eventName(args[0]) };
    if (rooms !== undefined && rooms.size !== 0) {
      const names: string[] = [];
      for (const room of rooms) names.push(String(room));
      attributes[ATTR_SOCKET_IO_ROOMS] = names;
    }
    operation = client.start({
      type: 'send',
      name: OPERATION_EMIT,
      destination: typeof namespace === 'string' ? namespace : undefined,
      serverAddress: peer.serverAddress,
      serverPort: peer.serverPort,
      attributes,
    });
    const last = args.length - 1;
    if (operation !== undefined && last > 0 && typeof args[last] === 'function') {
      const copy = Array.prototype.slice.call(args) as unknown[];
      copy[last] = bindToContext(operation.parent, args[last] as AnyFunction);
      callArgs = copy;
    }
  } catch (error) {
    client.guard.fail(error);
  }
  if (operation === undefined) return Reflect.apply(original, self, args);
  const previous = emitting;
  emitting = { socket: self, operation };
  try {
    return applyInContext(operation.context, original, self, callArgs);
  } catch (error) {
    operation.end(error, true);
    throw error;
  } finally {
    emitting = previous;
    operation.end();
  }
}

/**
 * A packet `socket` is writing: if it is the event packet of the emit running on that socket and the
 * peer runs this instrumentation, the emit's context goes with it as its last argument.
 */
export function addContextToPacket(client: MessagingClient, socket: PeerTraced & object, packet: PacketLike): void {
  const current = emitting;
  if (current === undefined || current.socket !== socket || socket[PEER_TRACED] !== true || !isEventPacket(packet) || !Array.isArray(packet.data)) return;
  const headers: MessageHeaders = {};
  client.inject(current.operation.context, headers);
  packet.data.push(contextArgument(headers));
}

/** The event being processed, in the context its listeners run in (the server finds it there when they have run). */
export const PROCESSING = createContextKey('otel-instrument.socket.io.processing');

export interface Processing {
  readonly socket: object;
  readonly operation: MessagingOperation;
}

/**
 * A received event: a process span, the child of the ambient span if there is one, else of the
 * context the sender's emit carried, and linked to that context (messaging/messaging-client.ts).
 */
export function startProcess(
  client: MessagingClient,
  socket: object,
  packet: PacketLike,
  namespace: unknown,
  headers: MessageHeaders | undefined,
  peer: Peer = NO_PEER,
): { operation: MessagingOperation; context: Context } | undefined {
  const data = packet.data;
  const event = Array.isArray(data) ? data[0] : undefined;
  const creation = headers === undefined ? undefined : client.extract(headers);
  const operation = client.startProcess(
    {
      type: 'process',
      name: OPERATION_PROCESS,
      destination: typeof namespace === 'string' ? namespace : undefined,
      serverAddress: peer.serverAddress,
      serverPort: peer.serverPort,
      attributes: { [ATTR_SOCKET_IO_EVENT_NAME]: eventName(event) },
    },
    creation,
    activeContext(),
  );
  if (operation === undefined) return undefined;
  const processing: Processing = { socket, operation };
  return { operation, context: operation.context.setValue(PROCESSING, processing) };
}

/** The event `socket` is processing in the active context, if its span is still open. */
export function processingOf(socket: object): MessagingOperation | undefined {
  const processing = activeContext().getValue(PROCESSING) as Processing | undefined;
  if (processing === undefined || processing.socket !== socket || processing.operation.ended) return undefined;
  return processing.operation;
}
