// The OFFICIAL OTLP schema the test receivers decode and answer with: protobufjs static code generated
// from opentelemetry-proto, shipped in @opentelemetry/otlp-transformer@0.57.2, never our encoder's code.
//
// That generated code predates Span.flags / Span.Link.flags (proto 1.1+), so those two fields are read with a
// small protobufjs schema below that transcribes their field numbers from trace.proto (flags = 16, links = 13,
// Link.flags = 6). Everything else comes from the generated schema.

import * as protobuf from 'protobufjs';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const root = require('@opentelemetry/otlp-transformer/build/src/generated/root') as any;
const collector = root.opentelemetry.proto.collector;

export type OtlpSignal = 'traces' | 'metrics' | 'logs';

export const TYPES: Record<OtlpSignal, { request: any; response: any; grpcPath: string; httpPath: string; rejectedKey: string }> = {
  traces: {
    request: collector.trace.v1.ExportTraceServiceRequest,
    response: collector.trace.v1.ExportTraceServiceResponse,
    grpcPath: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
    httpPath: '/v1/traces',
    rejectedKey: 'rejectedSpans',
  },
  metrics: {
    request: collector.metrics.v1.ExportMetricsServiceRequest,
    response: collector.metrics.v1.ExportMetricsServiceResponse,
    grpcPath: '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
    httpPath: '/v1/metrics',
    rejectedKey: 'rejectedDataPoints',
  },
  logs: {
    request: collector.logs.v1.ExportLogsServiceRequest,
    response: collector.logs.v1.ExportLogsServiceResponse,
    grpcPath: '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
    httpPath: '/v1/logs',
    rejectedKey: 'rejectedLogRecords',
  },
};

// Span.flags and Link.flags (see the header comment), plus google.rpc.Status / RetryInfo for error responses.
const extra = protobuf.parse(`
syntax = "proto3";
package t;
message Req { repeated RS resource_spans = 1; }
message RS { repeated SS scope_spans = 2; }
message SS { repeated Span spans = 2; }
message Span { repeated Link links = 13; fixed32 flags = 16; }
message Link { fixed32 flags = 6; }
message Any { string type_url = 1; bytes value = 2; }
message Duration { int64 seconds = 1; int32 nanos = 2; }
message RetryInfo { Duration retry_delay = 1; }
message Status { int32 code = 1; string message = 2; repeated Any details = 3; }
`).root;
export const FlagsReq = extra.lookupType('t.Req');
const RpcStatus = extra.lookupType('t.Status');
const RetryInfo = extra.lookupType('t.RetryInfo');

export const TO_OBJECT = { longs: String, enums: Number, bytes: String, defaults: false, arrays: true };

/** The members of Metric's data oneof. */
export const METRIC_KINDS = ['sum', 'gauge', 'histogram', 'exponentialHistogram', 'summary'] as const;

/** A google.rpc.Status, with RetryInfo when `retryDelayMs` is set: the error body of both receivers. */
export function encodeRpcStatus(code: number, message: string, retryDelayMs: number | undefined): Buffer {
  const details: any[] = [];
  if (retryDelayMs !== undefined) {
    const seconds = Math.floor(retryDelayMs / 1000);
    const nanos = (retryDelayMs % 1000) * 1e6;
    details.push({
      // protobufjs.parse camel-cases field names: typeUrl, retryDelay.
      typeUrl: 'type.googleapis.com/google.rpc.RetryInfo',
      value: RetryInfo.encode(RetryInfo.fromObject({ retryDelay: { seconds, nanos } })).finish(),
    });
  }
  return Buffer.from(RpcStatus.encode(RpcStatus.fromObject({ code, message, details })).finish());
}
