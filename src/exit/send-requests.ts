// Sends encoded OTLP requests once each, in parallel, each bounded by its config's timeout. Both
// deliverers of the app's last telemetry use it: the launcher for what its child handed over at exit
// (launcher-receiver.ts), and the app's own fallback, app-send-at-exit.ts, which runs
// `node send-requests.js` with the requests on stdin, one after the other, described by
// OTEL_INSTRUMENT_EXIT_SENDS (exit code 0 means all were delivered).

import { readFileSync } from 'node:fs';
import type { ExitFrame, ExitSendHeader } from './exit-sends.js';
import { transportFor } from '../export/otlp/transport/for-protocol.js';
import { describeTarget } from '../export/otlp/transport/proxy-url.js';
import { isConnectionError } from '../export/otlp/transport/types.js';
import { OutageReporter, sayRejected } from '../export/otlp/exporter/outage-reporter.js';
import { partialSuccessWarnings } from '../export/otlp/exporter/partial-success-warnings.js';

/** Resolves with whether every request was delivered; never rejects. `deadlineMs` (absolute) bounds them all. */
export function sendRequests(requests: readonly ExitFrame[], deadlineMs = Infinity): Promise<boolean> {
  if (requests.length === 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    let left = requests.length;
    let failed = false;
    const settle = (ok: boolean): void => {
      if (!ok) failed = true;
      if (--left === 0) resolve(!failed);
    };
    for (const { header, body } of requests) {
      try {
        const { signal, config } = header;
        // What the collector says of these requests is said as the app's own exporter says it: a rejection,
        // a partial success, escaped and bounded; a collector (or proxy) it cannot reach, unless the app
        // has said so already. Running out of time is not said: that is the exit's bound, not the collector.
        const url = describeTarget(config);
        const transport = transportFor(signal, config, partialSuccessWarnings(signal, url));
        const deadline = Math.min(deadlineMs, config.timeoutMs > 0 ? Date.now() + config.timeoutMs : Infinity);
        transport.send(body, deadline, (result) => {
          void transport.shutdown();
          if (!result.ok) {
            if (isConnectionError(result.error)) {
              if (header.outageSaid !== true) new OutageReporter(signal, config, url).attemptEnded(result);
            } else if (!result.retryable) sayRejected(signal, url, result.error);
          }
          settle(result.ok);
        });
      } catch {
        settle(false);
      }
    }
  });
}

function main(): void {
  const headers = JSON.parse(process.env.OTEL_INSTRUMENT_EXIT_SENDS ?? '[]') as ExitSendHeader[];
  const input = readFileSync(0);
  let offset = 0;
  const requests = headers.map((header) => {
    const body = input.subarray(offset, offset + header.length);
    offset += header.length;
    return { header, body };
  });
  void sendRequests(requests).then((ok) => (process.exitCode = ok ? 0 : 1));
}

// Only as a script: the launcher requires this file for sendRequests.
if (require.main === module) {
  try {
    main();
  } catch {
    process.exitCode = 2;
  }
}
