// The configurations every app runs under. All get the same OTEL_* environment: all three signals
// over OTLP gRPC to the local sink, 100% sampled, no cloud detectors. 'collector down' is
// otel-instrument exporting to a port nothing listens on (configEnv), so the table shows what an
// outage costs: retries and queues must stay bounded.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { basename, join } from 'node:path';
import { APPS } from './apps.mjs';

export const CONFIG_NAMES = ['baseline', 'otel-instrument', 'collector down', 'official'];
/** Configs that are expected to reach the sink (collector down must not). */
export const EXPORTING = new Set(['otel-instrument', 'official', 'before']);

/** Per-config additions to otelEnv(): `deadPort` is a local port nothing listens on. */
export function configEnv(name, deadPort) {
  return name === 'collector down' ? { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${deadPort}` } : {};
}

/** A local port nothing listens on: bound once by the OS, then closed. */
export function closedPort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export function otelEnv(sinkPort) {
  return {
    OTEL_SERVICE_NAME: 'bench',
    OTEL_TRACES_EXPORTER: 'otlp',
    OTEL_METRICS_EXPORTER: 'otlp',
    OTEL_LOGS_EXPORTER: 'otlp',
    OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${sinkPort}`,
    OTEL_TRACES_SAMPLER: 'always_on',
    // The official default includes cloud detectors that call metadata endpoints at startup.
    OTEL_NODE_RESOURCE_DETECTORS: 'env,host,os,process',
  };
}

/** The official configuration's extra preloads for the app whose script this is (APPS[app].official, in bench/official). */
function officialPreloads(root, script) {
  const app = Object.values(APPS).find((entry) => entry.script === basename(script));
  return (app?.official ?? []).flatMap((file) => ['--require', join(root, 'bench', 'official', file)]);
}

/**
 * name -> (script) => [command, args]; the official preload resolves from bench/official only.
 * `before`: another built otel-instrument checkout, run as config 'before' (run.mjs --before).
 */
export function configCommands(root, before) {
  const officialRequire = createRequire(join(root, 'bench', 'official', 'package.json'));
  const officialRegister = officialRequire.resolve('@opentelemetry/auto-instrumentations-node/register');
  const node = process.execPath;
  return {
    baseline: (script) => [node, [script]],
    'otel-instrument': (script) => [node, [join(root, 'bin', 'otel-instrument'), node, script]],
    'collector down': (script) => [node, [join(root, 'bin', 'otel-instrument'), node, script]],
    official: (script) => [node, ['--require', officialRegister, ...officialPreloads(root, script), script]],
    ...(before === undefined ? {} : { before: (script) => [node, [join(before, 'bin', 'otel-instrument'), node, script]] }),
  };
}

/**
 * Startup only: the preload without the launcher (`node --require .../register.js`), as the Operator and
 * `--require` users run it; issue budgets differ for the two ways in. Named '<config> --require'.
 */
export function preloadCommands(root, before) {
  const node = process.execPath;
  const preload = (dir) => (script) => [node, ['--require', join(dir, 'dist', 'src', 'bootstrap', 'register.js'), script]];
  return {
    'otel-instrument --require': preload(root),
    ...(before === undefined ? {} : { 'before --require': preload(before) }),
  };
}

/** Each round starts with a different configuration, so none always runs first or last. */
export function rotated(names, round) {
  const k = round % names.length;
  return [...names.slice(k), ...names.slice(0, k)];
}

/** What was compared: the official package version and our git commit (marked when the tree has changes). */
export function versions(root) {
  // Its package.json is not in its "exports", so read the file.
  const manifest = join(root, 'bench', 'official', 'node_modules', '@opentelemetry', 'auto-instrumentations-node', 'package.json');
  const official = JSON.parse(readFileSync(manifest, 'utf8')).version;
  let ours = 'unknown commit';
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root }).toString().trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src', 'instrumentations'], { cwd: root }).toString().trim() !== '';
    ours = `${head}${dirty ? ' + uncommitted changes' : ''}`;
  } catch {
    // Not a git checkout.
  }
  return { official, ours };
}
