// One reader, several push exporters (OTEL_METRICS_EXPORTER=otlp,console): every collection goes to
// each of them. A single reader keeps one delta state, so all exporters see the same points.

import type { ExportResult, Exporter } from '../core/export-result.js';
import type { ResourceMetrics } from './metric-data.js';

export function fanOutMetricExporter(exporters: readonly Exporter<ResourceMetrics>[]): Exporter<ResourceMetrics> {
  if (exporters.length === 1) return exporters[0]!;
  return {
    export(batch, done) {
      let left = exporters.length;
      let failure: ExportResult | undefined;
      const one = (result: ExportResult): void => {
        if (!result.ok && failure === undefined) failure = result;
        if (--left === 0) done(failure ?? result);
      };
      for (const exporter of exporters) {
        let called = false;
        const once = (result: ExportResult): void => {
          if (called) return;
          called = true;
          one(result);
        };
        try {
          exporter.export(batch, once);
        } catch (err) {
          once({ ok: false, retryable: false, error: err instanceof Error ? err : new Error(String(err)) });
        }
      }
    },
    async shutdown() {
      await Promise.all(exporters.map((e) => e.shutdown()));
    },
  };
}
