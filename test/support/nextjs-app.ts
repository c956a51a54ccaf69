// Test support for the Next.js e2e tests: the fixture app (test/fixtures/nextjs) copied to a temporary
// directory whose node_modules is a symlink to an install of next (the project's Next 16, or a Next 15
// installed for the test), built there once with `next build` (so no build output lands in the source
// tree), then started as a user would (`next start`, the custom server, the standalone server.js), with
// or without the launcher, and asked for a list of paths one after another. Telemetry to Vercel is off
// (NEXT_TELEMETRY_DISABLED) and the app uses nothing that fetches at build time (no next/font).

import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, realpathSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port.js';
import { GrpcReceiver, type FlatMetricPoint, type FlatSpan } from './otlp-receiver.js';
import { cleanEnv, FIXTURES, httpGet, startCli, startProcess, waitFor, type Running } from './run-cli.js';

const run = promisify(execFile);

export const INTERNAL = 1;
export const SERVER = 2;
export const CLIENT = 3;
export const HANDLE_REQUEST = 'BaseServer.handleRequest';
const NEXT_ENV = { NEXT_TELEMETRY_DISABLED: '1' };

export interface NextBuild {
  /** The built copy of the fixture. */
  readonly dir: string;
  /** next's version, from the install the copy links to. */
  readonly version: string;
  readonly major: number;
  readonly buildMs: number;
  /** The standalone server.js, when the build wrote one. */
  readonly standaloneServer: string | undefined;
}

/**
 * Copies the fixture and runs `next build` there: into `installDir` when given (a directory where
 * next is installed: its node_modules is used as it is), else into a new temporary directory whose
 * node_modules is a symlink to `nodeModules`. Next 15 gets the proxy as middleware.js, the only name it knows.
 */
export async function buildFixture(nodeModules: string, standalone: boolean, installDir?: string): Promise<NextBuild> {
  const dir = realpathSync(installDir ?? mkdtempSync(join(tmpdir(), 'otel-instrument-next-')));
  cpSync(join(FIXTURES, 'nextjs'), dir, { recursive: true });
  if (installDir === undefined) symlinkSync(nodeModules, join(dir, 'node_modules'), 'dir');
  const version = (JSON.parse(readFileSync(join(nodeModules, 'next', 'package.json'), 'utf8')) as { version: string }).version;
  const major = Number(version.split('.')[0]);
  if (major < 16) renameSync(join(dir, 'proxy.js'), join(dir, 'middleware.js'));
  const started = Date.now();
  const env = cleanEnv({ ...NEXT_ENV, ...(standalone ? { NEXT_FIXTURE_STANDALONE: '1' } : {}) });
  await run(process.execPath, [join(dir, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build'], { cwd: dir, env, timeout: 300_000, maxBuffer: 16 * 1024 * 1024 });
  // Turbopack's root is '/': the standalone tree repeats the app's absolute path under it.
  const standaloneServer = standalone ? join(dir, '.next', 'standalone', dir.slice(1), 'server.js') : undefined;
  return { dir, version, major, buildMs: Date.now() - started, standaloneServer };
}

export function removeBuild(build: NextBuild | undefined): void {
  if (build !== undefined) rmSync(build.dir, { recursive: true, force: true });
}

export type Launch = 'next start' | 'custom server' | 'custom server (ESM)' | 'standalone';

export interface Answer {
  readonly status: number;
  readonly body: string;
}

export interface NextRun {
  readonly spans: FlatSpan[];
  /** The points of http.server.request.duration. */
  readonly durations: FlatMetricPoint[];
  readonly answers: ReadonlyMap<string, Answer>;
  /** Paths the upstream service was asked for. */
  readonly upstreamPaths: readonly string[];
}

/** The service the route handler calls (UPSTREAM_URL): it answers with the path it was asked for. */
async function startUpstream(asked: string[]): Promise<Server> {
  const server = createServer((req, res) => {
    asked.push(req.url ?? '');
    res.end(`stock for ${req.url ?? ''}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

async function command(build: NextBuild, launch: Launch): Promise<{ args: string[]; cwd: string; env: NodeJS.ProcessEnv; ready: RegExp; port?: number }> {
  const ready = /Ready in/;
  switch (launch) {
    case 'next start': {
      const port = await freePort();
      const next = join(build.dir, 'node_modules', 'next', 'dist', 'bin', 'next');
      return { args: ['node', next, 'start', '-p', String(port), '-H', '127.0.0.1'], cwd: build.dir, env: {}, ready, port };
    }
    case 'custom server':
      return { args: ['node', 'server.js'], cwd: build.dir, env: {}, ready: /listening (\d+)/ };
    case 'custom server (ESM)':
      return { args: ['node', 'server.mjs'], cwd: build.dir, env: {}, ready: /listening (\d+)/ };
    case 'standalone': {
      const port = await freePort();
      return { args: ['node', build.standaloneServer!], cwd: dirname(build.standaloneServer!), env: { PORT: String(port), HOSTNAME: '127.0.0.1' }, ready, port };
    }
  }
}

function stop(app: Running | undefined): void {
  if (app !== undefined && app.child.exitCode === null && app.child.signalCode === null) app.child.kill('SIGKILL');
}

/**
 * Starts the build the way `launch` says (under the launcher when `instrumented`), asks for `paths`
 * one after another, stops it with SIGTERM and returns what it answered and, when instrumented, what
 * a real OTLP receiver got: at least one http SERVER span and one Next request span per path.
 */
export async function runNext(build: NextBuild, launch: Launch, paths: readonly string[], instrumented: boolean, env: NodeJS.ProcessEnv = {}): Promise<NextRun> {
  const upstreamPaths: string[] = [];
  const upstream = await startUpstream(upstreamPaths);
  const receiver = instrumented ? await GrpcReceiver.start() : undefined;
  const how = await command(build, launch);
  const appEnv: NodeJS.ProcessEnv = {
    ...NEXT_ENV,
    UPSTREAM_URL: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`,
    ...how.env,
    ...(receiver !== undefined ? { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_LOGS_EXPORTER: 'none' } : {}),
    ...env,
  };
  let app: Running | undefined;
  try {
    app = receiver !== undefined ? startCli(how.args, appEnv, how.cwd) : startProcess(process.execPath, how.args.slice(1), appEnv, how.cwd);
    const ready = await app.waitForLine(how.ready, 60_000);
    const port = how.port ?? Number(ready[1]);
    const answers = new Map<string, Answer>();
    for (const path of paths) answers.set(path, await httpGet(`http://127.0.0.1:${port}${path}`));
    app.child.kill('SIGTERM');
    await app.exited(30_000);
    if (receiver === undefined) return { spans: [], durations: [], answers, upstreamPaths };
    const spans = await waitFor(() => {
      const all = receiver.spans();
      const servers = all.filter((s) => s.kind === SERVER && s.scope.name === 'otel-instrument/http').length;
      const nextRequests = all.filter((s) => s.attributes['next.span_type'] === HANDLE_REQUEST).length;
      return servers >= paths.length && nextRequests >= paths.length && all;
    }, `${paths.length} http server spans and Next request spans`);
    let durations: FlatMetricPoint[] = [];
    if (appEnv.OTEL_METRICS_EXPORTER !== 'none') {
      const metrics = await receiver.waitForMetrics((all) => all.some((m) => m.name === 'http.server.request.duration'));
      durations = metrics.filter((m) => m.name === 'http.server.request.duration').flatMap((m) => m.points);
    }
    return { spans, durations, answers, upstreamPaths };
  } finally {
    stop(app);
    upstream.close();
    await receiver?.close();
  }
}

/** The http instrumentation's SERVER spans (Next's own request span is SERVER when nextjs is off). */
export function httpServerSpans(spans: readonly FlatSpan[]): FlatSpan[] {
  return spans.filter((s) => s.kind === SERVER && s.scope.name === 'otel-instrument/http');
}

export function httpServerSpan(spans: readonly FlatSpan[], path: string): FlatSpan {
  const found = httpServerSpans(spans).filter((s) => s.attributes['url.path'] === path);
  if (found.length !== 1) throw new Error(`one http server span for ${path}; got ${found.length}`);
  return found[0]!;
}

/** Every span below `root` in its trace. */
export function descendantsOf(spans: readonly FlatSpan[], root: FlatSpan): FlatSpan[] {
  const inTrace = spans.filter((s) => s.traceId === root.traceId);
  const found: FlatSpan[] = [];
  let frontier = [root.spanId];
  while (frontier.length > 0) {
    const children = inTrace.filter((s) => frontier.includes(s.parentSpanId));
    found.push(...children);
    frontier = children.map((s) => s.spanId);
  }
  return found;
}

export function ofType(spans: readonly FlatSpan[], type: string): FlatSpan[] {
  return spans.filter((s) => s.attributes['next.span_type'] === type);
}
