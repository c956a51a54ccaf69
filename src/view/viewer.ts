// The local viewer: OTLP receivers (gRPC on 4317, HTTP on 4318, or free ports when taken) feeding a
// bounded store, and the page with its JSON API (16686 or the next free port). All on loopback: it is a
// developer's tool, not a collector for other hosts. Loaded only by `view` and `--view` (src/cli).

import type { Server } from 'node:net';
import { createPageServer } from './api.js';
import { createOtlpGrpcServer } from './grpc-receiver.js';
import { createOtlpHttpServer } from './http-receiver.js';
import { listenNear } from './listen.js';
import type { OtlpSignal } from './otlp-schema.js';
import { readSnapshot, writeSnapshot } from './snapshot-file.js';
import { TelemetryStore } from './telemetry-store.js';

export interface ViewerOptions {
  readonly host?: string;
  readonly pagePort?: number;
  readonly grpcPort?: number;
  readonly httpPort?: number;
  readonly maxSpans?: number;
  readonly maxLogs?: number;
  readonly maxPoints?: number;
  /** Persist to this file (snapshot-file.ts). */
  readonly file?: string;
  /** How often a changed store is written to `file`. */
  readonly saveEveryMs?: number;
  /** One line of diagnostics (a snapshot that could not be written). */
  readonly warn?: (message: string) => void;
}

export interface Viewer {
  readonly store: TelemetryStore;
  readonly pageUrl: string;
  /** http://host:port of the OTLP/gRPC and OTLP/HTTP receivers. */
  readonly grpcEndpoint: string;
  readonly httpEndpoint: string;
  close(): Promise<void>;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    (server as Server & { closeAllConnections?: () => void }).closeAllConnections?.();
  });
}

export async function startViewer(options: ViewerOptions = {}): Promise<Viewer> {
  const host = options.host ?? '127.0.0.1';
  const warn = options.warn ?? (() => undefined);
  const store = new TelemetryStore({ maxSpans: options.maxSpans ?? 200_000, maxLogs: options.maxLogs ?? 200_000, maxPoints: options.maxPoints ?? 720 });
  if (options.file !== undefined) readSnapshot(store, options.file);
  const ingest = (signal: OtlpSignal, body: unknown): void => {
    store.ingest(signal, body);
  };
  const grpc = createOtlpGrpcServer(ingest);
  const http = createOtlpHttpServer(ingest);
  const page = createPageServer(store);
  const servers: Server[] = [grpc as unknown as Server, http, page];
  // HTTP/2 sessions of exporters would keep close() waiting: sessions are tracked and destroyed on close.
  const sessions = new Set<{ destroy(): void }>();
  grpc.on('session', (session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  try {
    const grpcPort = await listenNear(grpc as unknown as Server, host, options.grpcPort ?? 4317);
    const httpPort = await listenNear(http, host, options.httpPort ?? 4318);
    const pagePort = await listenNear(page, host, options.pagePort ?? 16686, 20);
    let saved = store.version;
    const save = (): void => {
      if (options.file === undefined || saved === store.version) return;
      saved = store.version;
      try {
        writeSnapshot(store, options.file);
      } catch (error) {
        warn(`cannot write ${options.file}: ${(error as Error).message}`);
      }
    };
    const timer = options.file === undefined ? undefined : setInterval(save, options.saveEveryMs ?? 5000).unref();
    const urlHost = host.includes(':') ? `[${host}]` : host;
    return {
      store,
      pageUrl: `http://${urlHost}:${pagePort}/`,
      grpcEndpoint: `http://${urlHost}:${grpcPort}`,
      httpEndpoint: `http://${urlHost}:${httpPort}`,
      async close() {
        clearInterval(timer);
        for (const session of sessions) session.destroy();
        await Promise.all(servers.map(closeServer));
        save();
      },
    };
  } catch (error) {
    await Promise.all(servers.filter((s) => s.listening).map(closeServer));
    throw error;
  }
}
