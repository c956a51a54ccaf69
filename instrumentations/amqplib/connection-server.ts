// server.address and server.port for every operation on a connection: taken from the URL (or the
// options object) the app passed to amqplib's lib/connect.js `connect`, which both the promise and
// the callback API (and 2.x's recovering connections) open connections through, and kept on the
// connection object amqplib hands back. Channels reach it as `channel.connection`.

import { wrap } from '../../src/hook/patch.js';
import type { Guard } from '../../src/hook/guard.js';

export interface Server {
  readonly address: string;
  readonly port: number;
}

const SERVER = Symbol('otel-instrument.amqplib.server');

interface ConnectModule {
  connect(url: unknown, socketOptions: unknown, openCallback: (error: unknown, connection?: object) => unknown): unknown;
}

/** amqplib's own defaults (lib/connect.js): localhost, 5672, or 5671 for amqps. */
export function serverOf(url: unknown): Server | undefined {
  if (url === undefined || url === null || url === '') return { address: 'localhost', port: 5672 };
  if (typeof url === 'string') {
    const parsed = new URL(url);
    const secure = parsed.protocol === 'amqps:';
    return { address: parsed.hostname.replace(/^\[(.*)\]$/, '$1') || 'localhost', port: parsed.port === '' ? (secure ? 5671 : 5672) : Number(parsed.port) };
  }
  if (typeof url === 'object') {
    const options = url as { protocol?: unknown; hostname?: unknown; port?: unknown };
    const secure = options.protocol === 'amqps';
    const port = Number(options.port);
    return {
      address: typeof options.hostname === 'string' && options.hostname !== '' ? options.hostname : 'localhost',
      port: Number.isInteger(port) && port > 0 ? port : secure ? 5671 : 5672,
    };
  }
  return undefined;
}

/** The server a channel's connection was opened to, when we saw it opened. */
export function channelServer(channel: unknown): Server | undefined {
  const connection = (channel as { connection?: { [SERVER]?: Server } } | null)?.connection;
  return connection?.[SERVER];
}

export function patchConnect(exports: unknown, guard: Guard): unknown {
  const module = exports as ConnectModule;
  wrap(module, 'connect', (original) =>
    function connect(this: unknown, url: unknown, socketOptions: unknown, openCallback: unknown) {
      if (!guard.enabled || typeof openCallback !== 'function') return Reflect.apply(original, this, arguments);
      let server: Server | undefined;
      try {
        server = serverOf(url);
      } catch {
        // A URL amqplib will reject itself: nothing to note.
      }
      if (server === undefined) return Reflect.apply(original, this, arguments);
      const callback = openCallback as (...args: unknown[]) => unknown;
      const noted = function (this: unknown, error: unknown, connection: unknown) {
        if ((error === null || error === undefined) && connection !== null && typeof connection === 'object') {
          (connection as { [SERVER]?: Server })[SERVER] = server;
        }
        return Reflect.apply(callback, this, arguments);
      };
      return Reflect.apply(original, this, [url, socketOptions, noted]);
    },
  );
  return exports;
}
