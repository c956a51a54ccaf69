// The OTLP gRPC service methods, apart from the transport so code that only names them does not
// load node:http2.

import type { Signal } from '../../../config/types.js';

export const TRACE_SERVICE_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
export const METRICS_SERVICE_PATH = '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export';
export const LOGS_SERVICE_PATH = '/opentelemetry.proto.collector.logs.v1.LogsService/Export';

export const GRPC_SERVICE_PATHS: Readonly<Record<Signal, string>> = {
  traces: TRACE_SERVICE_PATH,
  metrics: METRICS_SERVICE_PATH,
  logs: LOGS_SERVICE_PATH,
};
