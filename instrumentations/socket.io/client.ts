// The socket.io client (socket.io-client 4), patched in its Socket class, one copy per build
// (build/cjs for require, build/esm-debug for Node's import, build/esm for other import setups):
// - emit: a send span (socket.send and emitWithAck come through it too).
// - packet: every packet to the server goes through it; an emit's event packet carries its context
//   when the server said it is instrumented (context-marker.ts).
// - onpacket: the server's CONNECT answer says whether it is instrumented.
// - onevent: a received event: its context argument taken off, and, when the socket is connected
//   (socket.io then calls the listeners at once), a process span around them. An event received
//   before the socket connected is buffered by socket.io and delivered later, without a span.

import { applyInContext } from '../../src/context/als-context-manager.js';
import type { Telemetry } from '../../src/hook/instrumentation.js';
import { wrap } from '../../src/hook/patch.js';
import type { MessagingClient } from '../messaging/messaging-client.js';
import { announcesTracing, PacketType, PEER_TRACED, takeContextArgument, type PacketLike, type PeerTraced } from './context-marker.js';
import { addContextToPacket, socketIoClient, startProcess, tracedEmit, type Peer } from './socket-io-events.js';

type AnyFunction = (...args: any[]) => any;
type Proto = Record<string, AnyFunction>;

interface ClientSocketLike extends PeerTraced {
  readonly nsp?: unknown;
  readonly connected?: boolean;
  readonly io?: { readonly engine?: { readonly hostname?: unknown; readonly port?: unknown } };
}

/** server.address and server.port: the host and port the engine connects to. */
function serverOf(socket: ClientSocketLike): Peer {
  const engine = socket.io?.engine;
  if (engine === undefined || engine === null) return {};
  const hostname = engine.hostname;
  const port = Number(engine.port);
  return { serverAddress: typeof hostname === 'string' && hostname !== '' ? hostname : undefined, serverPort: Number.isInteger(port) && port > 0 ? port : undefined };
}

function clientEmit(client: MessagingClient, original: AnyFunction): AnyFunction {
  return function emit(this: ClientSocketLike) {
    if (!client.guard.enabled) return Reflect.apply(original, this, arguments);
    return tracedEmit(client, original, this, arguments, this.nsp, undefined, serverOf(this));
  };
}

function clientPacket(client: MessagingClient, original: AnyFunction): AnyFunction {
  return function packet(this: ClientSocketLike, packet: PacketLike) {
    if (client.guard.enabled && packet !== null && typeof packet === 'object') {
      try {
        addContextToPacket(client, this, packet);
      } catch (error) {
        client.guard.fail(error);
      }
    }
    return Reflect.apply(original, this, arguments);
  };
}

function clientOnpacket(original: AnyFunction): AnyFunction {
  return function onpacket(this: ClientSocketLike, packet: PacketLike) {
    if (packet !== null && typeof packet === 'object' && packet.type === PacketType.CONNECT && packet.nsp === this.nsp) {
      this[PEER_TRACED] = announcesTracing(packet);
    }
    return Reflect.apply(original, this, arguments);
  };
}

function clientOnevent(client: MessagingClient, original: AnyFunction): AnyFunction {
  return function onevent(this: ClientSocketLike, packet: PacketLike) {
    let started: ReturnType<typeof startProcess>;
    try {
      // Taken off even when tracing turned itself off: the server only sends it because we sent ours.
      const headers = packet !== null && typeof packet === 'object' ? takeContextArgument(packet) : undefined;
      if (client.guard.enabled && this.connected === true) started = startProcess(client, this, packet, this.nsp, headers, serverOf(this));
    } catch (error) {
      client.guard.fail(error);
    }
    if (started === undefined) return Reflect.apply(original, this, arguments);
    try {
      return applyInContext(started.context, original, this, arguments);
    } catch (error) {
      started.operation.end(error, true);
      throw error;
    } finally {
      started.operation.end();
    }
  };
}

/** socket.io-client/build/{cjs,esm,esm-debug}/socket.js */
export function patchClientSocket(exports: unknown, telemetry: Telemetry): unknown {
  const proto = (exports as { Socket?: { prototype?: Proto } })?.Socket?.prototype;
  if (proto === undefined || typeof proto.emit !== 'function' || typeof proto.onevent !== 'function' || typeof proto.onpacket !== 'function') return exports;
  const client = socketIoClient(telemetry);
  wrap(proto, 'emit', (original) => clientEmit(client, original));
  wrap(proto, 'packet', (original) => clientPacket(client, original));
  wrap(proto, 'onpacket', clientOnpacket);
  wrap(proto, 'onevent', (original) => clientOnevent(client, original));
  return exports;
}
