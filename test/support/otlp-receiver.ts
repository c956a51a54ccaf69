// Real OTLP peers for tests, and what decodes and flattens what they receive. The pieces live in
// ./otlp-receiver/: schema (the official definitions), decode, flatten, base-receiver (recording and
// scripted answers), grpc-receiver, http-receiver and fixtures. Tests import them from here.

export type { OtlpSignal } from './otlp-receiver/schema.js';
export { decodeJson, decodeProtobuf } from './otlp-receiver/decode.js';
export {
  flattenLogs,
  flattenMetrics,
  flattenSpans,
  plainAttributes,
  plainValue,
  type FlatEvent,
  type FlatExemplar,
  type FlatLink,
  type FlatLog,
  type FlatMetric,
  type FlatMetricPoint,
  type FlatSpan,
} from './otlp-receiver/flatten.js';
export type { ReceivedRequest, ReceiverOptions, ScriptedResponse, SpanIdTally, TlsServerOptions } from './otlp-receiver/base-receiver.js';
export { GrpcReceiver, startGrpcReceiver } from './otlp-receiver/grpc-receiver.js';
export { HttpReceiver, startHttpReceiver } from './otlp-receiver/http-receiver.js';
export { makeTestSpan, TEST_RESOURCE, TEST_SCOPE } from './otlp-receiver/fixtures.js';
