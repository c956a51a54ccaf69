// The page's server: the bundled page (dist/src/view/page, built by src/view/page/build.mjs) and a small
// JSON API over the store. Everything is served from here: the page works offline.
//   GET /api/summary                 counts, services and routes (for the filters)
//   GET /api/traces?service&route&status&minMs&q&limit
//   GET /api/traces/<id>             spans, their resources, and the trace's log records
//   GET /api/logs?minSeverity&q&service&traceId&limit
//   GET /api/metrics?service         http, db and runtime series

import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { dbClientSeries, httpServerSeries, runtimeSeries } from './metric-queries.js';
import type { LogRecord, ResourceInfo, SpanRecord } from './records.js';
import type { TelemetryStore } from './telemetry-store.js';

export const PAGE_DIR = join(__dirname, 'page');

const ASSETS: Record<string, string> = {
  '/': 'index.html',
  '/index.html': 'index.html',
  '/app.js': 'app.js',
  '/app.css': 'app.css',
};
const TYPES: Record<string, string> = { html: 'text/html; charset=utf-8', js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' };

// Nothing is loaded from elsewhere; uPlot sets element styles, which style-src 'unsafe-inline' allows.
const CSP = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'";

const LOOPBACK_HOST = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/i;

function json(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function num(value: string | null): number | undefined {
  if (value === null || value === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

function spanJson(s: SpanRecord): unknown {
  return { ...s, resource: s.resource.id, service: s.resource.service };
}

function logJson(l: LogRecord): unknown {
  return { ...l, resource: l.resource.id, service: l.resource.service };
}

function traceJson(store: TelemetryStore, traceId: string): unknown {
  const spans = store.traces.spans(traceId);
  if (spans === undefined) return undefined;
  const resources: Record<number, ResourceInfo> = {};
  for (const s of spans) resources[s.resource.id] = s.resource;
  const logs = store.logs.list({ traceId: traceId.toLowerCase() }).reverse();
  for (const l of logs) resources[l.resource.id] = l.resource;
  return { traceId: traceId.toLowerCase(), spans: spans.map(spanJson), logs: logs.map(logJson), resources };
}

export function handleApi(store: TelemetryStore, path: string, q: URLSearchParams): { status: number; body: unknown } {
  if (path === '/api/summary') {
    return {
      status: 200,
      body: {
        ...store.traces.facets(),
        logServices: [...new Set([...store.logs.all()].map((l) => l.resource.service))].sort(),
        metricServices: store.metrics.services(),
        spans: store.traces.spanCount,
        traces: store.traces.traceCount,
        evictedTraces: store.traces.evicted,
        logs: store.logs.count,
        version: store.version,
      },
    };
  }
  if (path === '/api/traces') {
    const status = q.get('status');
    const all = store.traces.list({
      service: q.get('service') ?? undefined,
      route: q.get('route') ?? undefined,
      status: status === 'error' || status === 'ok' ? status : undefined,
      minDurationMs: num(q.get('minMs')),
      search: q.get('q') ?? undefined,
    });
    const limit = num(q.get('limit')) ?? 1000;
    return { status: 200, body: { total: all.length, traces: all.slice(0, limit) } };
  }
  if (path.startsWith('/api/traces/')) {
    const trace = traceJson(store, decodeURIComponent(path.slice('/api/traces/'.length)));
    return trace === undefined ? { status: 404, body: { error: 'no such trace (it may have been evicted)' } } : { status: 200, body: trace };
  }
  if (path === '/api/logs') {
    const limit = num(q.get('limit')) ?? 50_000;
    const logs = store.logs.list({
      minSeverity: num(q.get('minSeverity')),
      text: q.get('q') ?? undefined,
      service: q.get('service') ?? undefined,
      traceId: q.get('traceId') ?? undefined,
      limit,
    });
    return { status: 200, body: { total: store.logs.count, logs: logs.map(logJson) } };
  }
  if (path === '/api/metrics') {
    const service = q.get('service') || undefined;
    return { status: 200, body: { http: httpServerSeries(store.metrics, service), db: dbClientSeries(store.metrics, service), runtime: runtimeSeries(store.metrics, service) } };
  }
  return { status: 404, body: { error: 'not found' } };
}

/** The page's files, read once. Missing (a build without the page): the page says how to build it. */
function loadAssets(): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const name of new Set(Object.values(ASSETS))) {
    try {
      files.set(name, readFileSync(join(PAGE_DIR, name)));
    } catch {
      // Reported per request below.
    }
  }
  return files;
}

export function createPageServer(store: TelemetryStore): Server {
  const files = loadAssets();
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    // Loopback names only: a web page that rebinds its own name to 127.0.0.1 must not read the telemetry.
    if (!LOOPBACK_HOST.test(req.headers.host ?? '')) return json(res, 421, { error: 'open the viewer as 127.0.0.1 or localhost' });
    const url = new URL(req.url ?? '/', 'http://viewer');
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { error: 'method not allowed' });
    if (url.pathname.startsWith('/api/')) {
      let answer: { status: number; body: unknown };
      try {
        answer = handleApi(store, url.pathname, url.searchParams);
      } catch (error) {
        answer = { status: 500, body: { error: (error as Error).message } };
      }
      return json(res, answer.status, answer.body);
    }
    const name = ASSETS[url.pathname];
    const file = name === undefined ? undefined : files.get(name);
    if (file === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return res.end(name === undefined ? 'not found\n' : `the page is not built (${name} missing in ${PAGE_DIR}): run npm run build\n`);
    }
    res.writeHead(200, { 'content-type': TYPES[name!.split('.').pop()!]!, 'content-security-policy': CSP, 'x-content-type-options': 'nosniff', 'content-length': file.length });
    res.end(req.method === 'HEAD' ? undefined : file);
  });
}
