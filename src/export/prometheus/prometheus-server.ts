// The pull endpoint: GET /metrics collects now and answers in the Prometheus text format.
// It never holds the app up: it binds on a later turn of the event loop, the listening socket
// and every scrape connection are unref'd (Prometheus keeps its connections alive), a failed bind
// is one warning, and its requests are neither traced nor counted (the http instrumentation
// skips servers carrying UNTRACED_SERVER, and the collection runs with tracing suppressed).

import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { runSuppressed } from '../../context/suppress.js';
import { diag, warnOnce } from '../../diag/log.js';
import type { ResourceMetrics } from '../../metrics/metric-data.js';

// Same registry symbol as instrumentations/http/server.ts; not imported, so the http
// instrumentation only loads when the app itself uses http.
const UNTRACED_SERVER = Symbol.for('otel-instrument.untraced-server');

export interface PrometheusServerOptions {
  /** Config.prometheusHost */
  readonly host: string;
  /** Config.prometheusPort */
  readonly port: number;
  /** One fresh cumulative collection per scrape. */
  readonly collect: () => Promise<ResourceMetrics>;
}

type Render = typeof import('./render-text.js');

export class PrometheusServer {
  readonly #options: PrometheusServerOptions;
  #server: Server | undefined;
  #pendingBind: NodeJS.Immediate | undefined;
  #render: Render | undefined;
  #closed = false;

  constructor(options: PrometheusServerOptions) {
    this.#options = options;
    // Binding (and loading node:http) waits for the app's first turn: startup is not delayed.
    this.#pendingBind = setImmediate(() => {
      this.#pendingBind = undefined;
      this.#listen();
    });
    this.#pendingBind.unref();
  }

  /** Where it listens, once bound (for tests and diagnostics). */
  address(): { address: string; port: number } | undefined {
    const address = this.#server?.address();
    return address !== null && typeof address === 'object' ? { address: address.address, port: address.port } : undefined;
  }

  close(): Promise<void> {
    this.#closed = true;
    if (this.#pendingBind !== undefined) clearImmediate(this.#pendingBind);
    const server = this.#server;
    if (server === undefined) return Promise.resolve();
    return new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  #listen(): void {
    if (this.#closed) return;
    const { host, port } = this.#options;
    try {
      const { createServer } = require('node:http') as typeof import('node:http');
      const server = createServer((req, res) => runSuppressed(() => this.#handle(req, res)));
      (server as { [UNTRACED_SERVER]?: boolean })[UNTRACED_SERVER] = true;
      server.on('connection', (socket) => socket.unref());
      // Our own server: an 'error' event without a listener would crash the app.
      server.on('error', (error: NodeJS.ErrnoException) => {
        if (server.listening) return diag.debug(`prometheus: server error: ${error.message}`);
        const why = error.code === 'EADDRINUSE' ? 'address already in use' : error.code ?? error.message;
        warnOnce('prometheus.listen', `prometheus: cannot serve /metrics on ${host}:${port} (OTEL_EXPORTER_PROMETHEUS_HOST=${host}, OTEL_EXPORTER_PROMETHEUS_PORT=${port}): ${why}; the app runs on without it`);
      });
      server.listen({ host, port }, () => diag.debug(`prometheus: serving http://${host}:${port}/metrics`));
      server.unref();
      this.#server = server;
    } catch (error) {
      warnOnce('prometheus.listen', `prometheus: cannot serve /metrics on ${host}:${port}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    if ((query === -1 ? url : url.slice(0, query)) !== '/metrics') return reply(res, 404, 'Not Found\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return reply(res, 405, 'Method Not Allowed\n');
    }
    this.#scrape(req, res).catch((error: unknown) => {
      diag.debug(`prometheus: scrape failed: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) reply(res, 500, 'collection failed\n');
      else res.destroy();
    });
  }

  async #scrape(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rm = await this.#options.collect();
    // The renderer loads on the first scrape, not at startup.
    const render = (this.#render ??= require('./render-text.js') as Render);
    const body = render.renderText(rm);
    res.statusCode = 200;
    res.setHeader('content-type', render.CONTENT_TYPE);
    res.end(req.method === 'HEAD' ? undefined : body);
  }
}

function reply(res: ServerResponse, status: number, body: string): void {
  res.statusCode = status;
  res.setHeader('content-type', 'text/plain; charset=utf-8');
  res.end(body);
}

/** Worker threads run the preload too; only the main thread can own the port. */
export function startPrometheusServer(options: PrometheusServerOptions): PrometheusServer | undefined {
  const { isMainThread } = require('node:worker_threads') as typeof import('node:worker_threads');
  if (!isMainThread) {
    diag.debug('prometheus: not serving /metrics from a worker thread');
    return undefined;
  }
  return new PrometheusServer(options);
}
