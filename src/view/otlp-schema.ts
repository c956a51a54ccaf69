// The OTLP wire schema the viewer's receiver decodes with: the official opentelemetry-proto files
// (./proto, copied unmodified; the build puts them beside this file in dist), loaded once by protobufjs.
// Nothing here knows our own encoder.

import { join } from 'node:path';
import * as protobuf from 'protobufjs';

export type OtlpSignal = 'traces' | 'metrics' | 'logs';
export const OTLP_SIGNALS: readonly OtlpSignal[] = ['traces', 'metrics', 'logs'];

const PROTO_DIR = join(__dirname, 'proto');

const SERVICES: Record<OtlpSignal, { file: string; pkg: string; service: string; request: string; response: string }> = {
  traces: { file: 'trace_service', pkg: 'trace', service: 'TraceService', request: 'ExportTraceServiceRequest', response: 'ExportTraceServiceResponse' },
  metrics: { file: 'metrics_service', pkg: 'metrics', service: 'MetricsService', request: 'ExportMetricsServiceRequest', response: 'ExportMetricsServiceResponse' },
  logs: { file: 'logs_service', pkg: 'logs', service: 'LogsService', request: 'ExportLogsServiceRequest', response: 'ExportLogsServiceResponse' },
};

export interface SignalSchema {
  readonly request: protobuf.Type;
  readonly response: protobuf.Type;
  /** The gRPC method path: `/opentelemetry.proto.collector.trace.v1.TraceService/Export`. */
  readonly grpcPath: string;
  /** The OTLP/HTTP path: `/v1/traces`. */
  readonly httpPath: string;
}

let schemas: Record<OtlpSignal, SignalSchema> | undefined;

/** The three signals' request and response types, loaded on first use. */
export function otlpSchema(): Record<OtlpSignal, SignalSchema> {
  if (schemas !== undefined) return schemas;
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => join(PROTO_DIR, target);
  const files = OTLP_SIGNALS.map((s) => `opentelemetry/proto/collector/${SERVICES[s].pkg}/v1/${SERVICES[s].file}.proto`);
  root.loadSync(files, { keepCase: false });
  root.resolveAll();
  const built = {} as Record<OtlpSignal, SignalSchema>;
  for (const signal of OTLP_SIGNALS) {
    const { pkg, service, request, response } = SERVICES[signal];
    const ns = `opentelemetry.proto.collector.${pkg}.v1`;
    built[signal] = {
      request: root.lookupType(`${ns}.${request}`),
      response: root.lookupType(`${ns}.${response}`),
      grpcPath: `/${ns}.${service}/Export`,
      httpPath: `/v1/${signal}`,
    };
  }
  schemas = built;
  return built;
}

/** protobufjs toObject options: exact int64 as decimal strings, bytes as base64, enums as numbers. */
export const TO_OBJECT: protobuf.IConversionOptions = { longs: String, enums: Number, bytes: String, defaults: false, arrays: true };
