// The last chance to send, from process 'exit' or a fatal signal, where no event-loop turn
// will come again: a short-lived child process sends the encoded request while we wait for
// it synchronously, bounded by the export timeout. One attempt, no retries: exit must not hang.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { OtlpSignalConfig, Signal } from '../../config/types.js';
import { diag } from '../../diag/log.js';

const SENDER = join(__dirname, 'exit-sender.js');
const DEFAULT_EXIT_TIMEOUT_MS = 10_000;

export function sendAtExit(signal: Signal, config: OtlpSignalConfig, body: Uint8Array): void {
  const started = Date.now();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_OPTIONS: '',
    OTEL_SDK_DISABLED: 'true',
    OTEL_INSTRUMENT_EXIT_CONFIG: JSON.stringify(config),
  };
  const result = spawnSync(process.execPath, [SENDER, signal], {
    input: body,
    env,
    stdio: ['pipe', 'ignore', 'ignore'],
    timeout: config.timeoutMs > 0 ? config.timeoutMs : DEFAULT_EXIT_TIMEOUT_MS,
    killSignal: 'SIGKILL',
    windowsHide: true,
  });
  const took = Date.now() - started;
  if (result.status === 0) diag.debug(`sent pending ${signal} at exit in ${took} ms`);
  else diag.debug(`could not send pending ${signal} at exit (status ${result.status ?? result.signal}, ${took} ms)`);
}
