// Metrics pipeline: one meter provider; one periodic reader fanned out to the push exporters
// named in OTEL_METRICS_EXPORTER (otlp, console), and a /metrics endpoint for prometheus.

import type { Config } from '../config/types.js';
import { warnOnce } from '../diag/log.js';
import type { Exporter } from '../core/export-result.js';
import { lazyExporter } from '../export/lazy-exporter.js';
import type { ResourceMetrics } from '../metrics/metric-data.js';
import { fanOutMetricExporter } from '../metrics/fan-out-exporter.js';
import type { TemporalityPreference } from '../metrics/instruments.js';
import { SdkMeterProvider } from '../metrics/meter-provider.js';
import { PeriodicExportingMetricReader } from '../metrics/periodic-reader.js';
import type { Resource } from '../core/types.js';
import type { ExitSend } from '../exit/exit-sends.js';
import type { PrometheusServer } from '../export/prometheus/prometheus-server.js';
import type { Pipeline } from '../exit/app-pipeline.js';

interface Branch {
  readonly exporter: Exporter<ResourceMetrics>;
  /** Last-chance export of the final collection: written now, or added to `sends`. */
  readonly exportAtExit: (collection: ResourceMetrics, sends: ExitSend[]) => void;
}

function otlpBranch(config: Config): Branch {
  const cfg = config.otlp.metrics;
  // The OTLP modules load on first use (src/export/lazy-exporter.ts), not at startup.
  const exporter = lazyExporter(() =>
    (require('../export/otlp/otlp-exporter.js') as typeof import('../export/otlp/otlp-exporter.js')).createOtlpMetricsExporter(cfg),
  );
  return {
    exporter,
    exportAtExit: (collection, sends) => {
      const body =
        cfg.protocol === 'http/json'
          ? (require('../export/otlp/encode-json/metrics.js') as typeof import('../export/otlp/encode-json/metrics.js')).encodeMetricsRequestJson([collection])
          : (require('../export/otlp/encode-protobuf/metrics.js') as typeof import('../export/otlp/encode-protobuf/metrics.js')).encodeMetricsRequest([collection]);
      sends.push({ signal: 'metrics', config: cfg, body });
    },
  };
}

function consoleBranch(): Branch {
  const { createConsoleMetricExporter } = require('../export/console/console-metric-exporter.js') as typeof import('../export/console/console-metric-exporter.js');
  const exporter = createConsoleMetricExporter();
  // Writes to stdout pipes and files are synchronous on POSIX.
  return { exporter, exportAtExit: (collection) => exporter.export([collection], () => undefined) };
}

/**
 * Prometheus reads cumulative totals at each scrape, from the same storage as the push exporters
 * (one state per series), so with it everything is cumulative; a delta preference is overridden.
 */
function temporalityWith(config: Config, prometheus: boolean, pushExporters: number): TemporalityPreference {
  const preference = config.metricsTemporalityPreference;
  if (!prometheus || preference === 'cumulative') return preference;
  if (pushExporters > 0) {
    warnOnce(
      'metrics-temporality-prometheus',
      `OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE=${preference} is not applied: with OTEL_METRICS_EXPORTER=prometheus every exporter gets cumulative data`,
    );
  }
  return 'cumulative';
}

function startPrometheus(config: Config, provider: SdkMeterProvider): PrometheusServer | undefined {
  // Loaded only when configured: nothing Prometheus-related costs startup otherwise.
  const { startPrometheusServer } = require('../export/prometheus/prometheus-server.js') as typeof import('../export/prometheus/prometheus-server.js');
  return startPrometheusServer({
    host: config.prometheusHost,
    port: config.prometheusPort,
    collect: () => provider.collectForPull(config.metricExportTimeoutMs),
  });
}

export interface Metrics {
  readonly provider: SdkMeterProvider;
  readonly pipeline: Pipeline;
  /** The preference the provider applies (cumulative whenever Prometheus is on). */
  readonly temporality: TemporalityPreference;
}

export function startMetrics(config: Config, resource: Resource): Metrics | undefined {
  const branches: Branch[] = [];
  let prometheus = false;
  for (const name of config.metricsExporters) {
    if (name === 'otlp') branches.push(otlpBranch(config));
    else if (name === 'console') branches.push(consoleBranch());
    else if (name === 'prometheus') prometheus = true;
  }
  if (branches.length === 0 && !prometheus) return undefined;
  const temporality = temporalityWith(config, prometheus, branches.length);
  const provider = new SdkMeterProvider({
    resource,
    temporalityPreference: temporality,
    exemplarFilter: config.metricsExemplarFilter,
  });
  const server = prometheus ? startPrometheus(config, provider) : undefined;
  // Prometheus pulls: a periodic reader exists only for push exporters.
  const reader =
    branches.length === 0
      ? undefined
      : new PeriodicExportingMetricReader(
          provider,
          fanOutMetricExporter(branches.map((branch) => branch.exporter)),
          { intervalMs: config.metricExportIntervalMs, timeoutMs: config.metricExportTimeoutMs },
        );
  const pipeline: Pipeline = {
    name: 'metrics',
    hasPending: () => reader?.hasPending() ?? false,
    forceFlush: (timeoutMs) => reader?.forceFlush(timeoutMs) ?? Promise.resolve(),
    shutdown: async (timeoutMs) => {
      await Promise.all([reader === undefined ? provider.stop() : reader.shutdown(timeoutMs), server?.close()]);
    },
    dropped: () => (reader === undefined || reader.failedExports === 0 ? undefined : `${reader.failedExports} metric exports`),
    exportAtExit: (sends) => {
      const collection = reader?.collectForExit();
      if (collection === undefined) return;
      for (const branch of branches) branch.exportAtExit(collection, sends);
    },
  };
  return { provider, pipeline, temporality };
}
