// App side, without the launcher (app-handoff.ts says when): the last chance to send, from process
// 'exit' or a fatal signal, where no event-loop turn will come again: a short-lived child process
// (send-requests.ts) sends the encoded requests (every signal's, in one process) while we wait for it
// synchronously, bounded by OTEL_NODE_EXIT_EXPORT_TIMEOUT and the longest export timeout. One attempt each, no retries: exit must not hang.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { diag } from '../diag/log.js';
import { exitDeadlineMs, type ExitSend, type ExitSendHeader } from './exit-sends.js';

/** Run as a script: it reads the headers from OTEL_INSTRUMENT_EXIT_SENDS and the bodies, one after the other, on stdin. */
const SENDER = join(__dirname, 'send-requests.js');

/** `boundMs`: OTEL_NODE_EXIT_EXPORT_TIMEOUT (0: the longest export timeout alone). */
export function sendAtExit(sends: readonly ExitSend[], boundMs: number): void {
  if (sends.length === 0) return;
  const started = Date.now();
  const headers: ExitSendHeader[] = sends.map(({ signal, config, body }) => ({ signal, config, length: body.byteLength }));
  const timeout = exitDeadlineMs(sends, boundMs);
  const result = spawnSync(process.execPath, [SENDER], {
    input: Buffer.concat(sends.map(({ body }) => body)),
    env: { ...process.env, NODE_OPTIONS: '', OTEL_SDK_DISABLED: 'true', OTEL_INSTRUMENT_EXIT_SENDS: JSON.stringify(headers) },
    stdio: ['pipe', 'ignore', 'ignore'],
    timeout,
    killSignal: 'SIGKILL',
    windowsHide: true,
  });
  const what = sends.map(({ signal }) => signal).join(', ');
  const took = Date.now() - started;
  if (result.status === 0) diag.debug(`sent pending ${what} at exit in ${took} ms`);
  else diag.debug(`could not send all pending ${what} at exit (status ${result.status ?? result.signal}, ${took} ms)`);
}
