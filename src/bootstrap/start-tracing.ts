// Traces pipeline: one batch processor per exporter named in OTEL_TRACES_EXPORTER.

import type { Config } from '../config/types.js';
import { BatchSpanProcessor, multiListener } from '../trace/batch-span-processor.js';
import { createSampler } from '../trace/samplers.js';
import type { Resource } from '../core/types.js';
import type { ReadableSpan } from '../trace/span-data.js';
import { SdkTracerProvider } from '../trace/tracer-provider.js';
import { batchPipeline, consoleBranch, otlpBranch, type BatchBranch, type EncodeAhead } from './batch-pipeline.js';
import type { Pipeline } from '../exit/app-pipeline.js';

function otlpTraceBranch(config: Config): BatchBranch<ReadableSpan> {
  return otlpBranch(
    'traces',
    config.otlp.traces,
    () => (require('../export/otlp/otlp-exporter.js') as typeof import('../export/otlp/otlp-exporter.js')).createOtlpTraceExporter(config.otlp.traces),
    (spans, json) =>
      json
        ? (require('../export/otlp/encode-json/trace.js') as typeof import('../export/otlp/encode-json/trace.js')).encodeTraceRequestJson(spans)
        : (require('../export/otlp/encode-protobuf/trace.js') as typeof import('../export/otlp/encode-protobuf/trace.js')).encodeTraceRequest(spans),
    // An encoded span stands in for the span in the queue; the protobuf encoders copy it as it is.
    () =>
      (require('../export/otlp/encode-protobuf/trace.js') as typeof import('../export/otlp/encode-protobuf/trace.js'))
        .spanEncodeAhead as unknown as EncodeAhead<ReadableSpan>,
  );
}

export function startTracing(config: Config, resource: Resource): { provider: SdkTracerProvider; pipeline: Pipeline } {
  const parts = config.tracesExporters.map((name) => {
    const branch =
      name === 'console'
        ? consoleBranch((require('../export/console/console-span-exporter.js') as typeof import('../export/console/console-span-exporter.js')).createConsoleSpanExporter())
        : otlpTraceBranch(config);
    const processor = new BatchSpanProcessor(branch.exporter, config.bsp);
    return { branch, processor, queue: processor.queue };
  });
  const provider = new SdkTracerProvider({
    sampler: createSampler(config.sampler, config.samplerRatio),
    limits: config.spanLimits,
    resource,
    listener: multiListener(parts.map((part) => part.processor)),
  });
  return { provider, pipeline: batchPipeline('traces', parts) };
}
