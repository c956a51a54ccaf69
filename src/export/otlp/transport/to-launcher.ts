// PROTOTYPE of issue 21's design direction, for the bench only (OTEL_INSTRUMENT_EXPORT_VIA_LAUNCHER=1):
// under the launcher, each encoded request is handed to the launcher as one frame on the handoff socket
// (src/exit/exit-sends.ts), in one non-blocking write, and counts as exported; the launcher sends it
// (src/exit/launcher-receiver.ts, live mode). Dropped (a non-retryable failure, counted by the queue)
// when the launcher is this far behind.

import { Socket } from 'node:net';
import type { OtlpSignalConfig, Signal } from '../../../config/types.js';
import { EXPORT_OK } from '../../../core/export-result.js';
import { HANDOFF_FD_VAR } from '../../../exit/app-handoff.js';
import { encodeFrame } from '../../../exit/exit-sends.js';
import { launcherFd } from '../../../exit/launcher-fd.js';
import { failure, type Transport } from './types.js';

export const VIA_LAUNCHER_VAR = 'OTEL_INSTRUMENT_EXPORT_VIA_LAUNCHER';
const MAX_BACKLOG_BYTES = 16 * 1024 * 1024;

let socket: Socket | undefined;

export function launcherTransport(signal: Signal, config: OtlpSignalConfig): Transport | undefined {
  if (process.env[VIA_LAUNCHER_VAR] !== '1') return undefined;
  const fd = launcherFd(HANDOFF_FD_VAR);
  if (fd === undefined) return undefined;
  if (socket === undefined) {
    socket = new Socket({ fd, readable: false, writable: true });
    socket.unref();
    socket.on('error', () => undefined);
  }
  const out = socket;
  return {
    send(body, _deadlineMs, done) {
      if (out.writableLength > MAX_BACKLOG_BYTES) {
        process.nextTick(done, failure('the launcher cannot keep up', 'LAUNCHER_BACKLOG'));
        return;
      }
      out.write(encodeFrame({ signal, config, body }));
      process.nextTick(done, EXPORT_OK);
    },
    shutdown: () => Promise.resolve(),
  };
}
