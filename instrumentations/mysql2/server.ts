// What a mysql2 connection tells about its server: db.system.name (`mariadb` when the handshake's
// server version says MariaDB, else `mysql`), db.namespace and server.address/port from its config.

import { DB_SYSTEM } from '../db/semconv.js';

/** The parts of mysql2's connection we read (its config and the server's handshake). */
export interface Mysql2Connection {
  readonly config?: {
    readonly host?: string;
    readonly port?: number;
    readonly socketPath?: string;
    readonly database?: string;
  };
  readonly _handshakePacket?: { readonly serverVersion?: unknown } | null;
}

export const MYSQL_DEFAULT_PORT = 3306;

// A query sent before its connection's handshake (createConnection, then query at once) cannot know
// the server yet: it takes what an earlier connection to the same server said. Bounded: a handful of
// servers per process is the norm.
const seenMariaDb = new Map<string, boolean>();
const SEEN_MAX = 256;

function serverKey(config: NonNullable<Mysql2Connection['config']>): string {
  return config.socketPath ?? `${config.host ?? 'localhost'}:${config.port ?? MYSQL_DEFAULT_PORT}`;
}

export function systemOf(connection: Mysql2Connection): string {
  const config = connection.config;
  const version = connection._handshakePacket?.serverVersion;
  if (typeof version === 'string') {
    const mariaDb = version.includes('MariaDB');
    if (config !== undefined) {
      const key = serverKey(config);
      if (seenMariaDb.get(key) !== mariaDb) {
        if (seenMariaDb.size >= SEEN_MAX) seenMariaDb.clear();
        seenMariaDb.set(key, mariaDb);
      }
    }
    return mariaDb ? DB_SYSTEM.mariadb : DB_SYSTEM.mysql;
  }
  return config !== undefined && seenMariaDb.get(serverKey(config)) === true ? DB_SYSTEM.mariadb : DB_SYSTEM.mysql;
}

/** db.response.status_code: the server's error number ("1146"); errors of the client or the network have none. */
export function mysqlStatusCode(error: unknown): string | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const { errno, sqlState } = error as { errno?: unknown; sqlState?: unknown };
  return typeof errno === 'number' && typeof sqlState === 'string' ? String(errno) : undefined;
}
