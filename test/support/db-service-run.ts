// A database-backed fixture service under the real launcher, as the database e2e tests run it: started
// with its server's URL, hit by concurrent requests, stopped, and what the OTLP receiver got, grouped
// so a test can check each request's operations (a context lost in a pool would leave one request with
// none and another with twice its share) and the db.client.operation.duration histogram.

import assert from 'node:assert/strict';
import { GrpcReceiver, type FlatMetric, type FlatMetricPoint, type FlatSpan } from './otlp-receiver.js';
import { httpGet, startCli, waitFor, type Running } from './run-cli.js';

const SERVER = 2;
const CLIENT = 3;

export interface DbServiceRun {
  /** One SERVER span per request. */
  readonly servers: FlatSpan[];
  /** The CLIENT spans of the given instrumentation scopes. */
  readonly operations: FlatSpan[];
  /** db.client.operation.duration, one metric per instrumentation scope. */
  readonly durations: FlatMetric[];
  /** Every point of those, whichever scope. */
  readonly durationPoints: FlatMetricPoint[];
  /** Operations counted in the duration histograms, over every point. */
  readonly measured: number;
}

export interface DbServiceOptions {
  /** The fixture app's path; it prints `listening <port>`. */
  readonly app: string;
  /** Node options before the app (`--import tsx` for a TypeScript one). */
  readonly nodeArgs?: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly paths: readonly string[];
  /** Scope names of the instrumentations whose spans count (`otel-instrument/pg`). */
  readonly scopes: readonly string[];
  readonly operationsPerRequest: number;
}

export async function runDbService(options: DbServiceOptions): Promise<DbServiceRun> {
  const receiver = await GrpcReceiver.start();
  let app: Running | undefined;
  try {
    app = startCli(['node', ...(options.nodeArgs ?? []), options.app], { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_LOGS_EXPORTER: 'none', ...options.env });
    const port = Number((await app.waitForLine(/listening (\d+)/))[1]);
    // Concurrent: the requests share the pool or the client, as they do in production.
    const responses = await Promise.all(options.paths.map((path) => httpGet(`http://127.0.0.1:${port}${path}`)));
    assert.deepEqual(
      responses.map((r) => r.status),
      responses.map(() => 200),
      responses.map((r) => r.body).join('\n'),
    );
    app.child.kill('SIGTERM');
    const exit = await app.exited();
    const isOperation = (s: FlatSpan): boolean => s.kind === CLIENT && options.scopes.includes(s.scope.name);
    const expected = options.paths.length * options.operationsPerRequest;
    const spans = await waitFor(() => {
      const all = receiver.spans();
      return all.filter((s) => s.kind === SERVER).length >= options.paths.length && all.filter(isOperation).length >= expected && all;
    }, `${options.paths.length} server spans and ${expected} operation spans (stderr: ${exit.stderr})`);
    const durationsOf = (all: FlatMetric[]): FlatMetric[] => all.filter((m) => m.name === 'db.client.operation.duration');
    const countOf = (points: FlatMetricPoint[]): number => points.reduce((sum, point) => sum + Number(point.count), 0);
    // Every operation is measured, traced or not: wait until all of them are counted.
    const metrics = await receiver.waitForMetrics((all) => countOf(durationsOf(all).flatMap((m) => m.points)) >= expected);
    const durations = durationsOf(metrics);
    const durationPoints = durations.flatMap((m) => m.points);
    return {
      servers: spans.filter((s) => s.kind === SERVER),
      operations: spans.filter(isOperation),
      durations,
      durationPoints,
      measured: countOf(durationPoints),
    };
  } finally {
    if (app !== undefined && app.child.exitCode === null && app.child.signalCode === null) app.child.kill('SIGKILL');
    await receiver.close();
  }
}

/** The operations that are children of `server`, in its trace. */
export function childrenOf(server: FlatSpan, operations: readonly FlatSpan[]): FlatSpan[] {
  return operations.filter((o) => o.parentSpanId === server.spanId && o.traceId === server.traceId);
}

/** The duration histogram: seconds, every operation counted, never the query text. */
export function assertDurationMetric(run: DbServiceRun, atLeast: number): void {
  for (const duration of run.durations) {
    assert.equal(duration.unit, 's');
    assert.equal(duration.kind, 'histogram');
  }
  assert.ok(run.measured >= atLeast, `${run.measured} measured operations`);
  assert.ok(run.durationPoints.every((point) => point.attributes['db.query.text'] === undefined), 'the metric carries no query text');
}
