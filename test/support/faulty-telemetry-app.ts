// A small service (express, http client, fetch, console, pino) run with our instrumentations hooked
// to telemetry that throws wherever our patches call into it, or with no instrumentation ('plain').
// Everything the app observes goes to stdout, so a test can compare a faulty run with the plain one.
//
//   node faulty-telemetry-app.js <plain|tracer|span|propagator|meter|logger>

import type { Span, Tracer } from '@opentelemetry/api';
import type { LoggerProvider } from '@opentelemetry/api-logs';
import type { Telemetry, TelemetrySources } from '../../src/hook/instrumentation.js';
import { INSTRUMENTATIONS } from '../../instrumentations/registry.js';
import { loadConfig } from '../../src/config/load-config.js';
import { ModuleHooks } from '../../src/hook/module-hooks.js';
import { NOOP_TRACER_PROVIDER } from '../../src/trace/noop-tracer.js';
import { traceContextPropagator } from '../../src/context/propagation/tracecontext.js';

export const FAULT_KINDS = ['tracer', 'span', 'propagator', 'meter', 'logger'] as const;
type Kind = 'plain' | (typeof FAULT_KINDS)[number];

// express has no types installed here: just what this app uses.
interface ExpressResponse {
  setHeader(name: string, value: string): void;
  json(body: unknown): void;
  status(code: number): ExpressResponse;
  send(body: string): void;
}
type Handler = (req: { params: Record<string, string> }, res: ExpressResponse, next: (error?: unknown) => void) => unknown;
interface ExpressApp {
  (req: unknown, res: unknown): void;
  use(handler: Handler): void;
  use(handler: (error: Error & { status?: number }, req: unknown, res: ExpressResponse, next: unknown) => void): void;
  get(path: string, handler: Handler): void;
}

function fault(where: string): never {
  throw new Error(`injected fault in ${where}`);
}

/** Every method throws, as a broken SDK span would. */
const FAULTY_SPAN = new Proxy({}, { get: (_t, name) => () => fault(`span.${String(name)}`) }) as Span;

function faultyTelemetry(kind: Kind): TelemetrySources {
  const working = NOOP_TRACER_PROVIDER.getTracer('faults');
  const tracer: Tracer =
    kind === 'tracer'
      ? { startSpan: () => fault('tracer.startSpan'), startActiveSpan: () => fault('tracer.startActiveSpan') }
      : kind === 'span'
        ? { startSpan: () => FAULTY_SPAN, startActiveSpan: () => fault('tracer.startActiveSpan') }
        : working;
  const instrument = new Proxy({}, { get: (_t, name) => () => fault(`instrument.${String(name)}`) });
  const meter = kind === 'meter' ? (new Proxy({}, { get: () => () => instrument }) as Telemetry['meter']) : undefined;
  const loggerProvider: LoggerProvider = {
    getLogger: () => ({
      emit: () => (kind === 'logger' ? fault('logger.emit') : undefined),
      enabled: () => true,
    }),
  };
  const propagator =
    kind === 'propagator'
      ? { inject: () => fault('propagator.inject'), extract: () => fault('propagator.extract'), fields: () => ['traceparent'] }
      : traceContextPropagator;
  return {
    tracerProvider: { getTracer: () => tracer },
    meterProvider: meter === undefined ? undefined : { getMeter: () => meter },
    loggerProvider,
    propagator,
    config: loadConfig({}),
  };
}

async function main(kind: Kind): Promise<void> {
  if (kind !== 'plain') {
    const hooks = new ModuleHooks(INSTRUMENTATIONS, faultyTelemetry(kind));
    hooks.install();
    for (const entry of INSTRUMENTATIONS) if (entry.modules.length === 0) entry.load().subscribe?.(hooks.telemetryFor(entry.name));
  }
  /* eslint-disable @typescript-eslint/no-require-imports */
  const http = require('node:http') as typeof import('node:http');
  const express = require('express') as () => ExpressApp;
  const pino = require('pino') as typeof import('pino');
  /* eslint-enable @typescript-eslint/no-require-imports */

  const pinoLines: string[] = [];
  const logger = pino({ base: undefined, timestamp: false }, { write: (line: string) => void pinoLines.push(line) });

  const downstream = http.createServer((req, res) => res.end(`pong ${req.url}`));
  await new Promise<void>((resolve) => downstream.listen(0, '127.0.0.1', resolve));
  const downPort = (downstream.address() as { port: number }).port;

  const get = (url: string, headers: Record<string, string> = {}) =>
    new Promise<{ status: number | undefined; body: string; mw: unknown }>((resolve, reject) => {
      http
        .get(url, { headers }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode, body, mw: res.headers['x-mw'] }));
        })
        .on('error', reject);
    });

  const app = express();
  app.use((_req, res, next) => {
    res.setHeader('x-mw', 'yes');
    next();
  });
  app.get('/work/:id', async (req, res) => {
    console.log('handling', req.params.id);
    logger.info({ id: req.params.id }, 'working');
    const viaHttp = await get(`http://127.0.0.1:${downPort}/http`);
    const viaFetch = await (await fetch(`http://127.0.0.1:${downPort}/fetch`)).text();
    res.json({ id: req.params.id, viaHttp: viaHttp.body, viaFetch });
  });
  app.get('/boom', (): never => {
    throw new Error('handler failed');
  });
  app.get('/teapot', (_req, _res, next) => next(Object.assign(new Error('short and stout'), { status: 418 })));
  // Answers with the message only: stack traces show the wrappers' frames, which is not what this compares.
  app.use((error: Error & { status?: number }, _req: unknown, res: ExpressResponse, _next: unknown) => {
    console.error('error handler:', error.message);
    res.status(error.status ?? 500).send(error.message);
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

  // Twice: the first round meets the fault, the second runs after the instrumentation turned itself off.
  const seen: unknown[] = [];
  for (let round = 0; round < 2; round++) {
    seen.push(await get(`${base}/work/${round}`));
    seen.push(await get(`${base}/boom`));
    seen.push(await get(`${base}/teapot`));
    const fetched = await fetch(`${base}/work/f${round}`);
    seen.push({ status: fetched.status, body: await fetched.text(), mw: fetched.headers.get('x-mw') });
    seen.push(await get(`http://127.0.0.1:${downPort}/direct`));
  }
  console.log(JSON.stringify({ seen, pino: pinoLines }));
  server.close();
  downstream.close();
  // Keep-alive fetch connections must not hold the process: it ends as the plain run does.
}

void main((process.argv[2] ?? 'plain') as Kind);
