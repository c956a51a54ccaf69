// Run by send-at-exit.ts as `node exit-sender.js` with the encoded requests on stdin, one after
// the other, described by OTEL_INSTRUMENT_EXIT_SENDS. Exit code 0 means all were delivered.

import { readFileSync } from 'node:fs';
import type { OtlpSignalConfig, Signal } from '../../config/types.js';
import type { ExitSendHeader } from './send-at-exit.js';
import { createGrpcTransport, LOGS_SERVICE_PATH, METRICS_SERVICE_PATH, TRACE_SERVICE_PATH } from './transport/grpc.js';
import { createHttpTransport } from './transport/http.js';
import type { Transport } from './transport/types.js';

const GRPC_PATHS: Record<Signal, string> = {
  traces: TRACE_SERVICE_PATH,
  metrics: METRICS_SERVICE_PATH,
  logs: LOGS_SERVICE_PATH,
};

function transportFor(signal: Signal, config: OtlpSignalConfig): Transport {
  if (config.protocol === 'grpc') return createGrpcTransport({ ...config, path: GRPC_PATHS[signal] });
  return createHttpTransport({
    ...config,
    contentType: config.protocol === 'http/json' ? 'application/json' : 'application/x-protobuf',
  });
}

function main(): void {
  const headers = JSON.parse(process.env.OTEL_INSTRUMENT_EXIT_SENDS ?? '[]') as ExitSendHeader[];
  const input = readFileSync(0);
  let offset = 0;
  let left = headers.length;
  let failed = false;
  for (const { signal, config, length } of headers) {
    const body = input.subarray(offset, offset + length);
    offset += length;
    const transport = transportFor(signal, config);
    const deadline = config.timeoutMs > 0 ? Date.now() + config.timeoutMs : Infinity;
    transport.send(body, deadline, (result) => {
      if (!result.ok) failed = true;
      void transport.shutdown();
      if (--left === 0) process.exitCode = failed ? 1 : 0;
    });
  }
}

try {
  main();
} catch {
  process.exitCode = 2;
}
