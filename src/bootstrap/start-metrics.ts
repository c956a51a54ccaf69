// Metrics pipeline: one meter provider, one periodic reader, fanned out to the exporters named
// in OTEL_METRICS_EXPORTER.

import type { Config } from '../config/types.js';
import { warnOnce } from '../diag/log.js';
import type { Exporter } from '../export/export-result.js';
import { lazyExporter } from '../export/lazy-exporter.js';
import type { ResourceMetrics } from '../metrics/metric-data.js';
import { fanOutMetricExporter } from '../metrics/fan-out-exporter.js';
import { SdkMeterProvider } from '../metrics/meter-provider.js';
import { PeriodicExportingMetricReader } from '../metrics/periodic-reader.js';
import type { Resource } from '../trace/span-data.js';
import type { ExitSend } from '../export/otlp/send-at-exit.js';
import type { Pipeline } from './pipeline.js';

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

export function startMetrics(config: Config, resource: Resource): { provider: SdkMeterProvider; pipeline: Pipeline } | undefined {
  const branches: Branch[] = [];
  for (const name of config.metricsExporters) {
    if (name === 'otlp') branches.push(otlpBranch(config));
    else if (name === 'console') branches.push(consoleBranch());
    else warnOnce('metrics-exporter-prometheus', 'OTEL_METRICS_EXPORTER=prometheus is not available yet; ignored');
  }
  if (branches.length === 0) return undefined;
  const provider = new SdkMeterProvider({
    resource,
    temporalityPreference: config.metricsTemporalityPreference,
    exemplarFilter: config.metricsExemplarFilter,
  });
  const reader = new PeriodicExportingMetricReader(
    provider,
    fanOutMetricExporter(branches.map((branch) => branch.exporter)),
    { intervalMs: config.metricExportIntervalMs, timeoutMs: config.metricExportTimeoutMs },
  );
  const pipeline: Pipeline = {
    name: 'metrics',
    hasPending: () => reader.hasPending(),
    forceFlush: (timeoutMs) => reader.forceFlush(timeoutMs),
    shutdown: (timeoutMs) => reader.shutdown(timeoutMs),
    exportAtExit: (sends) => {
      const collection = reader.collectForExit();
      if (collection === undefined) return;
      for (const branch of branches) branch.exportAtExit(collection, sends);
    },
  };
  return { provider, pipeline };
}
