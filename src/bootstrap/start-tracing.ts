// Traces pipeline: one batch processor per exporter named in OTEL_TRACES_EXPORTER.

import type { Config } from '../config/types.js';
import type { Exporter } from '../export/export-result.js';
import { createConsoleSpanExporter } from '../export/console/console-span-exporter.js';
import { lazyExporter } from '../export/lazy-exporter.js';
import { BatchSpanProcessor, multiListener } from '../trace/batch-span-processor.js';
import { createSampler } from '../trace/samplers.js';
import type { ReadableSpan, Resource } from '../trace/span-data.js';
import { SdkTracerProvider } from '../trace/tracer-provider.js';
import type { ExitSend } from '../export/otlp/send-at-exit.js';
import type { Pipeline } from './pipeline.js';

interface Branch {
  readonly processor: BatchSpanProcessor;
  /** Last-chance export of what the processor still holds: written now, or added to `sends`. */
  readonly exportAtExit: (spans: ReadableSpan[], sends: ExitSend[]) => void;
}

function otlpBranch(config: Config): Branch {
  const cfg = config.otlp.traces;
  // The OTLP modules load on first use (src/export/lazy-exporter.ts), not at startup.
  const exporter = lazyExporter(() =>
    (require('../export/otlp/otlp-exporter.js') as typeof import('../export/otlp/otlp-exporter.js')).createOtlpTraceExporter(cfg),
  );
  return {
    processor: new BatchSpanProcessor(exporter, config.bsp),
    exportAtExit: (spans, sends) => {
      const body =
        cfg.protocol === 'http/json'
          ? (require('../export/otlp/encode-json/trace.js') as typeof import('../export/otlp/encode-json/trace.js')).encodeTraceRequestJson(spans)
          : (require('../export/otlp/encode-protobuf/trace.js') as typeof import('../export/otlp/encode-protobuf/trace.js')).encodeTraceRequest(spans);
      sends.push({ signal: 'traces', config: cfg, body });
    },
  };
}

function consoleBranch(config: Config): Branch {
  const exporter: Exporter<ReadableSpan> = createConsoleSpanExporter();
  return {
    processor: new BatchSpanProcessor(exporter, config.bsp),
    // Writes to stdout pipes and files are synchronous on POSIX, so exporting directly is enough.
    exportAtExit: (spans) => exporter.export(spans, () => undefined),
  };
}

export function startTracing(config: Config, resource: Resource): { provider: SdkTracerProvider; pipeline: Pipeline } {
  const branches = config.tracesExporters.map((name) => (name === 'console' ? consoleBranch(config) : otlpBranch(config)));
  const processors = branches.map((branch) => branch.processor);
  const provider = new SdkTracerProvider({
    sampler: createSampler(config.sampler, config.samplerRatio),
    limits: config.spanLimits,
    resource,
    listener: multiListener(processors),
  });
  const pipeline: Pipeline = {
    name: 'traces',
    hasPending: () => processors.some((p) => p.queue.hasPending()),
    forceFlush: async (timeoutMs) => {
      await Promise.all(processors.map((p) => p.forceFlush(timeoutMs)));
    },
    shutdown: async (timeoutMs) => {
      await Promise.all(processors.map((p) => p.shutdown(timeoutMs)));
    },
    exportAtExit: (sends) => {
      for (const branch of branches) {
        const spans = branch.processor.queue.takeAll();
        if (spans.length > 0) branch.exportAtExit(spans, sends);
      }
    },
  };
  return { provider, pipeline };
}
