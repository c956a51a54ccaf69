// require('otel-instrument') / import { start, shutdown } from 'otel-instrument'.
// Kept in step with src/programmatic/index.ts by test/programmatic/types.test.ts.

/** A setting's value: lists as arrays or comma-separated strings. */
export type OptionValue = string | number | boolean | readonly string[];

/**
 * The settings of `otel-instrument --help`, named after their flags in camelCase
 * (`--service_name` is `serviceName`, `--exporter_otlp_endpoint` is `exporterOtlpEndpoint`); they win
 * over the environment, as the launcher's flags do. An unknown name is warned about and ignored.
 */
export interface StartOptions {
  readonly serviceName?: string;
  readonly resourceAttributes?: string;
  readonly tracesExporter?: string | readonly string[];
  readonly metricsExporter?: string | readonly string[];
  readonly logsExporter?: string | readonly string[];
  readonly exporterOtlpEndpoint?: string;
  readonly exporterOtlpProtocol?: 'grpc' | 'http/protobuf' | 'http/json';
  readonly exporterOtlpHeaders?: string;
  readonly tracesSampler?: string;
  readonly tracesSamplerArg?: string | number;
  readonly propagators?: string | readonly string[];
  readonly enabledInstrumentations?: string | readonly string[];
  readonly disabledInstrumentations?: string | readonly string[];
  readonly logLevel?: string;
  readonly sdkDisabled?: boolean;
  readonly [option: string]: OptionValue | undefined;
}

/**
 * Starts the SDK and the instrumentations, once per process: when the preload (the launcher, or
 * `--require otel-instrument/register`) already started it, this changes nothing. Call it before the app
 * loads what it wants instrumented. Never throws.
 */
export function start(options?: StartOptions): void;

/** Sends what is pending and stops exporting. Never rejects. */
export function shutdown(): Promise<void>;
