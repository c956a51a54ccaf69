// `otel-instrument view` (the local viewer alone, until Ctrl-C) and `otel-instrument --view <command>` (the
// viewer hosted by the launcher, the app's exporters pointed at it). The viewer's code (src/view) is
// required here, on use, so a plain launch never loads it.

import { isHttpProtocol, otlpVar, OTLP_SIGNALS, resolveOtlpProtocol } from '../config/otlp-endpoint.js';
import { namesOf, type Setting } from '../config/setting.js';
import { VIEW_FILE, VIEW_MAX_LOGS, VIEW_MAX_SPANS, VIEW_PORT } from '../config/settings/view.js';
import type { Viewer } from '../view/viewer.js';
import { runCommand } from './spawn.js';

const read = <T>(env: NodeJS.ProcessEnv, setting: Setting<T>): T => setting.type.read(env, namesOf(setting), setting.default);

/** Under --view an app exports often enough for the page to feel live, unless the user chose otherwise. */
const LIVELY: Record<string, string> = {
  OTEL_METRIC_EXPORT_INTERVAL: '5000',
  OTEL_BSP_SCHEDULE_DELAY: '500',
  OTEL_BLRP_SCHEDULE_DELAY: '500',
};

const say = (line: string): void => {
  process.stderr.write(`otel-instrument: ${line}\n`);
};

async function start(env: NodeJS.ProcessEnv): Promise<Viewer> {
  const { startViewer } = require('../view/viewer.js') as typeof import('../view/viewer.js');
  return startViewer({
    pagePort: read(env, VIEW_PORT),
    maxSpans: read(env, VIEW_MAX_SPANS),
    maxLogs: read(env, VIEW_MAX_LOGS),
    file: read(env, VIEW_FILE),
    warn: (message) => say(`viewer: ${message}`),
  });
}

function failed(error: unknown): void {
  say(`cannot start the viewer: ${(error as Error).message}`);
  process.exit(1);
}

const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** `otel-instrument view`: receivers and page until Ctrl-C. */
export function runView(env: NodeJS.ProcessEnv): void {
  start(env).then((viewer) => {
    say(`viewer at ${viewer.pageUrl} (OTLP: gRPC ${viewer.grpcEndpoint}, HTTP ${viewer.httpEndpoint}); Ctrl-C to stop`);
    const stop = (): void => {
      viewer.close().then(() => process.exit(0), () => process.exit(0));
    };
    for (const signal of STOP_SIGNALS) process.once(signal, stop);
  }, failed);
}

/** The app's exporters, all signals, to the viewer, keeping each signal's protocol. */
export function pointAtViewer(env: NodeJS.ProcessEnv, viewer: Pick<Viewer, 'grpcEndpoint' | 'httpEndpoint'>): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env };
  for (const signal of OTLP_SIGNALS) {
    const protocol = resolveOtlpProtocol(env, signal);
    out[otlpVar(signal, 'ENDPOINT')] = isHttpProtocol(protocol) ? `${viewer.httpEndpoint}/v1/${signal}` : viewer.grpcEndpoint;
  }
  // A certificate or client key for a remote collector would turn our plain-http loopback into a TLS attempt.
  for (const name of Object.keys(out)) if (/^OTEL_EXPORTER_OTLP_(\w+_)?(INSECURE|CERTIFICATE|CLIENT_KEY|CLIENT_CERTIFICATE)$/.test(name)) delete out[name];
  for (const [name, value] of Object.entries(LIVELY)) if (out[name] === undefined) out[name] = value;
  return out;
}

/**
 * `otel-instrument --view <command>`: starts the viewer, runs the command with its exporters pointed there.
 * When the app ends on its own the viewer stays (its last trace is often what one came to see) until
 * Ctrl-C; when it ended by a signal (Ctrl-C reached both), the launcher ends with it.
 */
export function runWithView(file: string, args: readonly string[], env: NodeJS.ProcessEnv, exitExportTimeoutMs: number, finishing?: () => Promise<void>): void {
  start(env).then((viewer) => {
    say(`viewer at ${viewer.pageUrl}`);
    let signalled = false;
    let finish: (() => void) | undefined;
    const onSignal = (): void => {
      signalled = true;
      finish?.();
    };
    for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
    const ending = (end: () => void, code: number | null, signal: NodeJS.Signals | null): void => {
      finish = () => {
        finish = undefined;
        // Ours gone, the launcher can die by the app's signal as it does without --view.
        for (const signal of STOP_SIGNALS) process.removeListener(signal, onSignal);
        viewer.close().then(end, end);
      };
      if (signalled || signal !== null) return finish();
      say(`${file} exited (${code === null ? 'no code' : `code ${code}`}); the viewer stays at ${viewer.pageUrl} until Ctrl-C`);
    };
    runCommand(file, args, pointAtViewer(env, viewer), exitExportTimeoutMs, { finishing, ending });
  }, failed);
}
