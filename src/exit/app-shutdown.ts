// Pending telemetry leaves the process on every way out, and the process leaves exactly as
// it would without us: same exit code, same signal, same stderr.
//  - event loop drains: 'beforeExit' flushes asynchronously (our timers are unref'd); under the launcher
//    it does not, and 'exit' hands everything to the launcher instead.
//  - process.exit(), fatal exception, after an app's own signal handler exits: 'exit' sends synchronously.
//  - SIGTERM/SIGINT/SIGHUP the app does not handle: send synchronously, then re-raise the signal.
// Two plug points stay with the layers that call them: instrumentations register exit work in
// src/hook/at-exit.ts, and retries read src/export/leaving.ts, which the beforeExit flush sets.

import { SpanStatusCode } from '../otel-api/enums.js';
import { trace } from '../otel-api/trace.js';
import { activeContext } from '../context/als-context-manager.js';
import { diag } from '../diag/log.js';
import { runAtExitCallbacks } from './app-exit-callbacks.js';
import { beginLeaving, endLeaving, pendingGoesToTheLauncher } from '../export/leaving.js';
import { exceptionAttributes } from '../core/exception-attributes.js';
import type { ExitSend } from './exit-sends.js';
import { detectHandoff, handOff } from './app-handoff.js';
import { flushLiveBacklog, liveHandoff } from './app-live-handoff.js';
import { setLiveHandover } from '../export/otlp/live-handover.js';
import type { Pipeline } from './app-pipeline.js';
import { markOwnSignalListener, signalExitListeners } from './own-signal-listeners.js';

const SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];

/** "Why don't I see my spans?": what this process dropped, once, as it leaves (debug). */
function reportDropped(pipelines: readonly Pipeline[]): void {
  const dropped: string[] = [];
  for (const pipeline of pipelines) {
    try {
      const what = pipeline.dropped();
      if (what !== undefined) dropped.push(what);
    } catch {
      // a summary is never worth a fault at exit
    }
  }
  diag.debug(dropped.length === 0 ? 'dropped nothing during this run' : `dropped during this run: ${dropped.join(', ')} (full queues and failed exports)`);
}

/** Each send marked with whether this process has already warned that its collector is unreachable. */
function withOutagesSaid(sends: readonly ExitSend[]): ExitSend[] {
  try {
    const { outageSaidFor } = require('../export/otlp/exporter/outage-reporter.js') as typeof import('../export/otlp/exporter/outage-reporter.js');
    return sends.map((send) => (outageSaidFor(send.config.url) ? { ...send, outageSaid: true } : send));
  } catch {
    return [...sends];
  }
}

/** Flushes and shuts down every pipeline: the app's own `shutdown()` (src/programmatic). */
export type ShutdownNow = () => Promise<void>;

/**
 * `exitExportTimeoutMs` (OTEL_NODE_EXIT_EXPORT_TIMEOUT) bounds the sender process at exit, without the
 * launcher; the launcher applies it to what it was handed (src/cli/spawn.ts).
 */
export function installShutdown(pipelines: readonly Pipeline[], flushTimeoutMs: number, exitExportTimeoutMs: number): ShutdownNow {
  if (pipelines.length === 0) return async () => undefined;
  // Under the launcher nothing pending holds the app: its exports in flight do not keep it alive, and
  // when it ends, what is left is the launcher's to send (no flush here that a slow collector could hold).
  const launcher = detectHandoff();
  if (launcher) {
    pendingGoesToTheLauncher();
    // OTEL_NODE_EXPORT_VIA_LAUNCHER: from now on the OTLP exporters hand each batch over as it is made.
    const live = liveHandoff();
    if (live !== undefined) setLiveHandover((send) => live.hand(send));
  }
  let exited = false;

  const exportAllAtExit = (): void => {
    if (exited) return;
    exited = true;
    runAtExitCallbacks();
    if (diag.isEnabled('debug')) reportDropped(pipelines);
    const sends: ExitSend[] = [];
    for (const pipeline of pipelines) {
      try {
        if (pipeline.hasPending()) pipeline.exportAtExit(sends);
      } catch (error) {
        diag.debug(`exporting ${pipeline.name} at exit failed: ${String(error)}`);
      }
    }
    // What waits for the launcher to read goes first: the exit frames follow it on the same stream.
    if (launcher && !flushLiveBacklog()) return;
    if (sends.length === 0) return;
    // Under the launcher, the launcher sends them after we are gone (lossless, and no wait here). It says
    // an unreachable collector as we would, unless we said so already.
    if (handOff(withOutagesSaid(sends)) !== 'no launcher') return;
    // Otherwise one sender process for every signal: each spawn costs the exit about 100 ms.
    try {
      (require('./app-send-at-exit.js') as typeof import('./app-send-at-exit.js')).sendAtExit(sends, exitExportTimeoutMs);
    } catch (error) {
      diag.debug(`sending at exit failed: ${String(error)}`);
    }
  };

  let flushing = false;
  process.on('beforeExit', () => {
    if (launcher || flushing || exited || !pipelines.some((p) => p.hasPending())) return;
    flushing = true;
    // The pending export keeps the loop alive; when it is done, beforeExit fires again with nothing left.
    const keepAlive = setTimeout(() => undefined, flushTimeoutMs);
    beginLeaving();
    Promise.all(pipelines.map((p) => p.forceFlush(flushTimeoutMs))).finally(() => {
      clearTimeout(keepAlive);
      flushing = false;
      endLeaving();
    });
  });

  process.on('exit', exportAllAtExit);

  // Record the fatal error on the span that was active when it was thrown, and end it,
  // before Node prints it and exits (the monitor changes nothing about that).
  process.on('uncaughtExceptionMonitor', (error) => {
    try {
      const span = trace.getSpan(activeContext());
      if (span === undefined || !span.isRecording()) return;
      span.addEvent('exception', exceptionAttributes(error));
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      span.end();
    } catch (internal) {
      diag.debug(`recording the uncaught exception failed: ${String(internal)}`);
    }
  });

  for (const signal of SIGNALS) {
    const onSignal = (): void => {
      // Someone else listens: the app decides what the signal means; 'exit' will flush if it exits.
      // signal-exit's listeners (execa, write-file-atomic, ...) are no such decision: they re-raise the
      // signal only when they are the last listeners, so counting them would leave the process alive.
      if (process.listenerCount(signal) - signalExitListeners() > 1) return;
      exportAllAtExit();
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    };
    markOwnSignalListener(onSignal);
    process.on(signal, onSignal);
  }

  let shutDown: Promise<void> | undefined;
  return () => {
    // Once: what it sends is gone, and at exit there is nothing left to send. The app awaits it: the
    // process lives until it is done (bounded), even where an export in flight alone would not hold it.
    if (shutDown === undefined) {
      const keepAlive = setTimeout(() => undefined, flushTimeoutMs);
      shutDown = Promise.all(pipelines.map((p) => p.shutdown(flushTimeoutMs))).then(() => {
        exited = true;
      }).finally(() => clearTimeout(keepAlive));
    }
    return shutDown;
  };
}
