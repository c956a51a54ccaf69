// Which server a MongoDB connection talks to, and the code of a failure.
//
// server.address is the host as the app named it (the seed list, or an SRV record's host), not the
// address it resolved to: the pool's connect() is handed that HostAddress, and each connection it makes
// is marked with it. A connection made elsewhere (the monitor's) falls back to its socket's address.

import type { DbSystem } from '../db/db-call.js';
import { DB_SYSTEM } from '../db/semconv.js';
import { redactMongoMessage } from '../db/error-message.js';

export const MONGODB_DEFAULT_PORT = 27017;
const HOST = Symbol('otel-instrument.mongodb.host');

export interface Server {
  readonly address: string | undefined;
  readonly port: number | undefined;
}

/** The driver's HostAddress: host and port, or a Unix socket path. */
interface HostAddress {
  readonly host?: unknown;
  readonly port?: unknown;
  readonly socketPath?: unknown;
}

interface MarkedConnection {
  [HOST]?: Server;
  readonly address?: unknown;
}

export function serverOf(hostAddress: HostAddress | undefined): Server | undefined {
  if (hostAddress === undefined || hostAddress === null) return undefined;
  if (typeof hostAddress.socketPath === 'string') return { address: hostAddress.socketPath, port: undefined };
  if (typeof hostAddress.host !== 'string') return undefined;
  return { address: hostAddress.host, port: typeof hostAddress.port === 'number' ? hostAddress.port : MONGODB_DEFAULT_PORT };
}

export function markConnection(connection: unknown, server: Server | undefined): void {
  if (server !== undefined && connection !== null && typeof connection === 'object') (connection as MarkedConnection)[HOST] = server;
}

/** `host:port` or `[v6]:port`, as the driver writes a connection's address. */
const ADDRESS = /^\[?([^\]]*?)\]?:(\d+)$/;

export function connectionServer(connection: object): Server | undefined {
  const marked = connection as MarkedConnection;
  const server = marked[HOST];
  if (server !== undefined) return server;
  const match = typeof marked.address === 'string' ? ADDRESS.exec(marked.address) : null;
  return match === null ? undefined : { address: match[1], port: Number(match[2]) };
}

/** db.response.status_code: the server's numeric error code ("11000"); client and network errors have none. */
export function mongoStatusCode(error: unknown): string | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'number' ? String(code) : undefined;
}

export const MONGODB_SYSTEM: DbSystem = {
  instrumentation: 'mongodb',
  system: DB_SYSTEM.mongodb,
  defaultPort: MONGODB_DEFAULT_PORT,
  statusCodeOf: mongoStatusCode,
  redactMessage: redactMongoMessage,
};
