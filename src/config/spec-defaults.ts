// Defaults the OpenTelemetry specification gives (configuration/sdk-environment-variables.md,
// protocol/exporter.md, trace/sdk.md, logs/sdk.md, metrics/sdk.md), written once. The settings
// table, the SDK and the exporters import them from here instead of repeating the numbers.

/** OTEL_EXPORTER_OTLP_TIMEOUT: 10 s per export. Also the bound used where a timeout of 0 (no limit) must end somewhere. */
export const OTLP_TIMEOUT_MS = 10_000;
export const OTLP_GRPC_PORT = 4317;
export const OTLP_HTTP_PORT = 4318;
export const OTLP_GRPC_ENDPOINT = `http://localhost:${OTLP_GRPC_PORT}`;
export const OTLP_HTTP_ENDPOINT = `http://localhost:${OTLP_HTTP_PORT}`;

/** Batch span processor (OTEL_BSP_*). */
export const BSP_SCHEDULE_DELAY_MS = 5000;
/** Batch log record processor (OTEL_BLRP_*): the same as the BSP's but a 1 s delay. */
export const BLRP_SCHEDULE_DELAY_MS = 1000;
export const BATCH_EXPORT_TIMEOUT_MS = 30_000;
export const BATCH_MAX_QUEUE_SIZE = 2048;
export const BATCH_MAX_EXPORT_BATCH_SIZE = 512;

/** Attribute, event and link count limits. Value lengths are unlimited by default. */
export const COUNT_LIMIT = 128;

export const METRIC_EXPORT_INTERVAL_MS = 60_000;
export const METRIC_EXPORT_TIMEOUT_MS = 30_000;

/** The spec's Prometheus exporter default is localhost (not 0.0.0.0), so nothing is exposed by default. */
export const PROMETHEUS_HOST = 'localhost';
export const PROMETHEUS_PORT = 9464;

export const SERVICE_NAME = 'unknown_service:node';
