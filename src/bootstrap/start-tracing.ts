// Traces pipeline: one batch processor per exporter named in OTEL_TRACES_EXPORTER.

import type { Config } from '../config/types.js';
import { BatchSpanProcessor, multiListener } from '../trace/batch-span-processor.js';
import { createSampler } from '../trace/samplers.js';
import type { Resource } from '../core/types.js';
import type { ReadableSpan } from '../trace/span-data.js';
import { SdkTracerProvider } from '../trace/tracer-provider.js';
import type { SpanEndListener } from '../trace/span.js';
import type { EncodedItem } from '../export/otlp/encode-protobuf/envelope.js';
import { batchPipeline, consoleBranch, otlpBranch, queuedBranch, type BatchBranch, type QueuedBranch } from './batch-pipeline.js';
import type { Pipeline } from '../exit/app-pipeline.js';

function otlpTraceBranch(config: Config): BatchBranch<ReadableSpan, EncodedItem> {
  return otlpBranch<ReadableSpan, EncodedItem>(
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
        .spanEncodeAhead,
  );
}

/** Each branch gets its processor, typed by what its queue holds (spans, or spans and EncodedItems). */
function withProcessor<E>(branch: BatchBranch<ReadableSpan, E>, config: Config): { processor: BatchSpanProcessor<E>; branch: QueuedBranch } {
  const processor = new BatchSpanProcessor(branch.exporter, config.bsp);
  return { processor, branch: queuedBranch(branch, processor.queue) };
}

export function startTracing(config: Config, resource: Resource): { provider: SdkTracerProvider; pipeline: Pipeline } {
  const listeners: SpanEndListener[] = [];
  const branches: QueuedBranch[] = [];
  for (const name of config.tracesExporters) {
    if (name === 'console' && config.consoleFormat === 'tree') {
      // No batch queue: the tree takes each span as it ends (its pipeline is start-sdk.ts's to run).
      listeners.push((require('../export/console/tree/tree-output.js') as typeof import('../export/console/tree/tree-output.js')).consoleTree(config).spans);
      continue;
    }
    const part =
      name === 'console'
        ? withProcessor(consoleBranch((require('../export/console/console-span-exporter.js') as typeof import('../export/console/console-span-exporter.js')).createConsoleSpanExporter()), config)
        : withProcessor(otlpTraceBranch(config), config);
    listeners.push(part.processor);
    branches.push(part.branch);
  }
  const provider = new SdkTracerProvider({
    sampler: createSampler(config.sampler, config.samplerRatio),
    limits: config.spanLimits,
    resource,
    listener: multiListener(listeners),
  });
  return { provider, pipeline: batchPipeline('traces', branches) };
}
