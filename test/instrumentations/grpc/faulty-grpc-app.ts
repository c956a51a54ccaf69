// The Echo service and a client in one process, with the grpc instrumentation hooked to telemetry that
// throws wherever it calls into it ('tracer', 'span', 'propagator', 'meter'), or with no
// instrumentation ('plain'). Everything the app observes goes to stdout, so a test can compare a
// faulty run with the plain one. (test/support/faulty-telemetry-app.ts does the same for http,
// express, undici and the log bridges.)
//
//   node faulty-grpc-app.js <plain|tracer|span|propagator|meter>

import { join } from 'node:path';
import type { Span, Tracer } from '@opentelemetry/api';
import type { TelemetrySources } from '../../../src/hook/instrumentation.js';
import { INSTRUMENTATIONS } from '../../../instrumentations/registry.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { traceContextPropagator } from '../../../src/context/propagation/tracecontext.js';
import { ModuleHooks } from '../../../src/hook/module-hooks.js';
import { NOOP_TRACER_PROVIDER } from '../../../src/trace/noop-tracer.js';

function fault(where: string): never {
  throw new Error(`injected fault in ${where}`);
}

function faultyTelemetry(kind: string): TelemetrySources {
  const faultySpan = new Proxy({}, { get: (_t, name) => () => fault(`span.${String(name)}`) }) as Span;
  const tracer: Tracer =
    kind === 'tracer'
      ? { startSpan: () => fault('tracer.startSpan'), startActiveSpan: () => fault('tracer.startActiveSpan') }
      : kind === 'span'
        ? { startSpan: () => faultySpan, startActiveSpan: () => fault('tracer.startActiveSpan') }
        : NOOP_TRACER_PROVIDER.getTracer('faults');
  const instrument = new Proxy({}, { get: (_t, name) => () => fault(`instrument.${String(name)}`) });
  return {
    tracerProvider: { getTracer: () => tracer },
    meterProvider: kind === 'meter' ? { getMeter: () => new Proxy({}, { get: () => () => instrument }) as never } : undefined,
    loggerProvider: undefined,
    propagator:
      kind === 'propagator'
        ? { inject: () => fault('propagator.inject'), extract: () => fault('propagator.extract'), fields: () => ['traceparent'] }
        : traceContextPropagator,
    config: loadConfig({}),
  };
}

type AnyCall = NodeJS.EventEmitter & { write(message: unknown): void; end(): void; cancel(): void };

async function main(kind: string): Promise<void> {
  if (kind !== 'plain') new ModuleHooks(INSTRUMENTATIONS.filter((entry) => entry.name === 'grpc'), faultyTelemetry(kind)).install();
  const service = require(join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'grpc', 'echo-service.js')) as {
    grpc: typeof import('@grpc/grpc-js');
    loadEcho(): new (address: string, credentials: unknown) => Record<string, (...args: unknown[]) => AnyCall>;
    startEchoServer(options: object): Promise<{ server: import('@grpc/grpc-js').Server; port: number }>;
  };
  const metadataSeen: unknown[] = [];
  const { server, port } = await service.startEchoServer({ seen: (method: string, call: { metadata: { get(key: string): unknown[] } }) => metadataSeen.push([method, call.metadata.get('x-app')]) });
  const client = new (service.loadEcho())(`127.0.0.1:${port}`, service.grpc.credentials.createInsecure());
  const events = (call: AnyCall, log: string[]): Promise<void> =>
    new Promise((resolve) => {
      for (const name of ['metadata', 'data', 'error', 'status', 'end']) {
        call.on(name, (value: { code?: number; message?: string; details?: string }) => log.push(`${name} ${value?.code ?? value?.message ?? ''} ${value?.details ?? ''}`));
      }
      call.on('status', () => resolve());
    });
  const unary = (request: object, ...rest: unknown[]) =>
    new Promise((resolve) =>
      client.Unary!(request, ...rest, (error: { code: number; details: string } | null, reply: unknown) =>
        // A deadline's details may carry timings and the port: the part that says what happened is kept.
        resolve(error ? [error.code, error.details.split(',')[0]!.replace(/ after [\d.]+s$/, '')] : reply),
      ),
    );

  const seen: unknown[] = [];
  // Twice: the first round meets the fault, the second runs after the instrumentation turned itself off.
  for (let round = 0; round < 2; round++) {
    const metadata = new service.grpc.Metadata();
    metadata.set('x-app', `round ${round}`);
    seen.push(await unary({ message: `hello ${round}` }, metadata));
    seen.push(await unary({ message: 'x', failCode: 5 }));
    seen.push(await unary({ message: 'throw' }));
    seen.push(await unary({ message: 'slow', delayMs: 500 }, { deadline: Date.now() + 50 }));
    seen.push(metadata.getMap());
    const log: string[] = [];
    const download = client.ServerStream!({ message: 'm', count: 3 });
    await events(download, log);
    const failing = client.ServerStream!({ message: 'm', count: 1, failCode: 14 });
    await events(failing, log);
    const cancelled = client.ServerStream!({ message: 'm', count: 100, delayMs: 20 });
    cancelled.once('data', () => cancelled.cancel());
    await events(cancelled, log);
    const chat = client.Bidi!();
    const chatted = events(chat, log);
    chat.write({ message: 'x' });
    chat.end();
    await chatted;
    seen.push(log);
  }
  console.log(JSON.stringify({ seen, metadataSeen }));
  client.close();
  server.forceShutdown();
}

void main(process.argv[2] ?? 'plain');
