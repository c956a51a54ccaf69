// Run by send-at-exit.ts as `node exit-sender.js <signal>` with the encoded request on stdin
// and the resolved OTLP config in OTEL_INSTRUMENT_EXIT_CONFIG. Exit code 0 means delivered.

import { readFileSync } from 'node:fs';
import type { OtlpSignalConfig, Signal } from '../../config/types.js';
import type { ExportResult } from '../export-result.js';
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
  const signal = process.argv[2] as Signal;
  const config = JSON.parse(process.env.OTEL_INSTRUMENT_EXIT_CONFIG ?? '') as OtlpSignalConfig;
  const body = readFileSync(0);
  const transport = transportFor(signal, config);
  const deadline = config.timeoutMs > 0 ? Date.now() + config.timeoutMs : Infinity;
  transport.send(body, deadline, (result: ExportResult) => {
    process.exitCode = result.ok ? 0 : 1;
    void transport.shutdown();
  });
}

try {
  main();
} catch {
  process.exitCode = 2;
}
