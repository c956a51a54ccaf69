// Logs pipeline: one batch log-record processor per exporter named in OTEL_LOGS_EXPORTER.

import type { Config } from '../config/types.js';
import { BatchLogRecordProcessor, multiLogListener } from '../logs/batch-log-record-processor.js';
import type { ReadableLogRecord } from '../logs/log-record-data.js';
import { SdkLoggerProvider } from '../logs/logger-provider.js';
import type { LogRecordListener } from '../logs/logger.js';
import type { Resource } from '../core/types.js';
import type { EncodedItem } from '../export/otlp/encode-protobuf/envelope.js';
import { batchPipeline, consoleBranch, otlpBranch, queuedBranch, type BatchBranch, type QueuedBranch } from './batch-pipeline.js';
import type { Pipeline } from '../exit/app-pipeline.js';

function otlpLogsBranch(config: Config): BatchBranch<ReadableLogRecord, EncodedItem> {
  return otlpBranch<ReadableLogRecord, EncodedItem>(
    'logs',
    config.otlp.logs,
    () => (require('../export/otlp/otlp-exporter.js') as typeof import('../export/otlp/otlp-exporter.js')).createOtlpLogsExporter(config.otlp.logs),
    (records, json) =>
      json
        ? (require('../export/otlp/encode-json/logs.js') as typeof import('../export/otlp/encode-json/logs.js')).encodeLogsRequestJson(records)
        : (require('../export/otlp/encode-protobuf/logs.js') as typeof import('../export/otlp/encode-protobuf/logs.js')).encodeLogsRequest(records),
    // An encoded record stands in for the record in the queue; the protobuf encoders copy it as it is.
    () =>
      (require('../export/otlp/encode-protobuf/logs.js') as typeof import('../export/otlp/encode-protobuf/logs.js'))
        .logRecordEncodeAhead,
  );
}

/** Each branch gets its processor, typed by what its queue holds (records, or records and EncodedItems). */
function withProcessor<E>(branch: BatchBranch<ReadableLogRecord, E>, config: Config): { processor: BatchLogRecordProcessor<E>; branch: QueuedBranch } {
  const processor = new BatchLogRecordProcessor(branch.exporter, config.blrp);
  return { processor, branch: queuedBranch(branch, processor.queue) };
}

export function startLogs(config: Config, resource: Resource): { provider: SdkLoggerProvider; pipeline: Pipeline } {
  const listeners: LogRecordListener[] = [];
  const branches: QueuedBranch[] = [];
  for (const name of config.logsExporters) {
    if (name === 'console' && config.consoleFormat === 'tree') {
      // No batch queue: the tree takes each record as it comes (its pipeline is start-sdk.ts's to run).
      listeners.push((require('../export/console/tree/tree-output.js') as typeof import('../export/console/tree/tree-output.js')).consoleTree(config).logs);
      continue;
    }
    const part =
      name === 'console'
        ? withProcessor(consoleBranch((require('../export/console/console-log-exporter.js') as typeof import('../export/console/console-log-exporter.js')).createConsoleLogExporter()), config)
        : withProcessor(otlpLogsBranch(config), config);
    listeners.push(part.processor);
    branches.push(part.branch);
  }
  const provider = new SdkLoggerProvider({
    resource,
    limits: config.logRecordLimits,
    listener: multiLogListener(listeners),
  });
  const pipeline = batchPipeline('logs', branches);
  return {
    provider,
    pipeline: { ...pipeline, shutdown: (timeoutMs) => pipeline.shutdown(timeoutMs).finally(() => provider.stop()) },
  };
}
