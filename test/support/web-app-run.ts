// Test support for web framework e2e tests (fastify, koa, hono, hapi): a fixture app that prints "listening <port>"
// is run under the launcher against a real OTLP receiver, or with plain node, and asked for a list of
// paths one after another; then stopped with SIGTERM, which flushes what it recorded.

import assert from 'node:assert/strict';
import { GrpcReceiver, type FlatMetricPoint, type FlatSpan } from './otlp-receiver.js';
import { httpGet, startCli, startProcess, waitFor, type Running } from './run-cli.js';

export const INTERNAL = 1;
export const SERVER = 2;
export const CLIENT = 3;

export interface Answer {
  readonly status: number;
  readonly body: string;
}

export interface InstrumentedRun {
  readonly spans: FlatSpan[];
  /** The points of http.server.request.duration. */
  readonly durations: FlatMetricPoint[];
  readonly answers: ReadonlyMap<string, Answer>;
  readonly stdout: string;
  readonly stderr: string;
}

async function askAll(app: Running, paths: readonly string[]): Promise<Map<string, Answer>> {
  const port = Number((await app.waitForLine(/listening (\d+)/, 30_000))[1]);
  const answers = new Map<string, Answer>();
  for (const path of paths) answers.set(path, await httpGet(`http://127.0.0.1:${port}${path}`));
  return answers;
}

function stop(app: Running | undefined): void {
  if (app !== undefined && app.child.exitCode === null && app.child.signalCode === null) app.child.kill('SIGKILL');
}

/**
 * `command` under the launcher; returns once the receiver holds `serverSpans` server spans (one per
 * path unless the app calls itself) and, when metrics are on, the server duration histogram.
 */
export async function runInstrumented(
  command: readonly string[],
  paths: readonly string[],
  serverSpans: number,
  env: NodeJS.ProcessEnv = {},
): Promise<InstrumentedRun> {
  const receiver = await GrpcReceiver.start();
  let app: Running | undefined;
  try {
    app = startCli(command, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_LOGS_EXPORTER: 'none', ...env });
    const answers = await askAll(app, paths);
    app.child.kill('SIGTERM');
    const exit = await app.exited();
    const spans = await waitFor(() => {
      const all = receiver.spans();
      return all.filter((s) => s.kind === SERVER).length >= serverSpans && all;
    }, `${serverSpans} server spans`);
    let durations: FlatMetricPoint[] = [];
    if (env.OTEL_METRICS_EXPORTER !== 'none') {
      const metrics = await receiver.waitForMetrics((all) => all.some((m) => m.name === 'http.server.request.duration'));
      durations = metrics.filter((m) => m.name === 'http.server.request.duration').flatMap((m) => m.points);
    }
    return { spans, durations, answers, stdout: exit.stdout, stderr: exit.stderr };
  } finally {
    stop(app);
    await receiver.close();
  }
}

/** The same app and paths with plain node, no launcher: what the instrumented run must answer too. */
export async function runPlain(command: readonly string[], paths: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Map<string, Answer>> {
  let app: Running | undefined;
  try {
    app = startProcess(process.execPath, command.slice(1), env);
    const answers = await askAll(app, paths);
    app.child.kill('SIGTERM');
    await app.exited();
    return answers;
  } finally {
    stop(app);
  }
}

export function serverSpan(spans: readonly FlatSpan[], path: string): FlatSpan {
  const found = spans.filter((s) => s.kind === SERVER && s.attributes['url.path'] === path);
  assert.equal(found.length, 1, `one server span for ${path}; got ${found.length}`);
  return found[0]!;
}

export function childrenOf(spans: readonly FlatSpan[], parent: FlatSpan): FlatSpan[] {
  return spans.filter((s) => s.traceId === parent.traceId && s.parentSpanId === parent.spanId);
}

/** The one child of `parent` named `name`. */
export function child(spans: readonly FlatSpan[], parent: FlatSpan, name: string): FlatSpan {
  const found = childrenOf(spans, parent).filter((s) => s.name === name);
  assert.equal(found.length, 1, `"${name}" under "${parent.name}"; children: ${childrenOf(spans, parent).map((s) => s.name).join(', ')}`);
  return found[0]!;
}

export function exceptionEvents(span: FlatSpan): Record<string, unknown>[] {
  return span.events.filter((e) => e.name === 'exception').map((e) => e.attributes);
}

/** The duration point of requests to `route` answered `status` (http.route absent when `route` is undefined). */
export function durationPoint(points: readonly FlatMetricPoint[], route: string | undefined, status: number): FlatMetricPoint {
  const found = points.filter((p) => p.attributes['http.route'] === route && p.attributes['http.response.status_code'] === status);
  assert.equal(found.length, 1, `one duration point for ${String(route)} ${status}: ${JSON.stringify(points.map((p) => p.attributes))}`);
  return found[0]!;
}
