// Logs pipeline: one batch log-record processor per exporter named in OTEL_LOGS_EXPORTER.

import type { Config } from '../config/types.js';
import { BatchLogRecordProcessor, multiLogListener } from '../logs/batch-log-record-processor.js';
import type { ReadableLogRecord } from '../logs/log-record-data.js';
import { SdkLoggerProvider } from '../logs/logger-provider.js';
import type { Resource } from '../core/types.js';
import { batchPipeline, consoleBranch, otlpBranch, type BatchBranch, type EncodeAhead } from './batch-pipeline.js';
import type { Pipeline } from '../exit/app-pipeline.js';

function otlpLogsBranch(config: Config): BatchBranch<ReadableLogRecord> {
  return otlpBranch(
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
        .logRecordEncodeAhead as unknown as EncodeAhead<ReadableLogRecord>,
  );
}

export function startLogs(config: Config, resource: Resource): { provider: SdkLoggerProvider; pipeline: Pipeline } {
  const parts = config.logsExporters.map((name) => {
    const branch =
      name === 'console'
        ? consoleBranch((require('../export/console/console-log-exporter.js') as typeof import('../export/console/console-log-exporter.js')).createConsoleLogExporter())
        : otlpLogsBranch(config);
    const processor = new BatchLogRecordProcessor(branch.exporter, config.blrp);
    return { branch, processor, queue: processor.queue };
  });
  const provider = new SdkLoggerProvider({
    resource,
    limits: config.logRecordLimits,
    listener: multiLogListener(parts.map((part) => part.processor)),
  });
  const pipeline = batchPipeline('logs', parts);
  return {
    provider,
    pipeline: { ...pipeline, shutdown: (timeoutMs) => pipeline.shutdown(timeoutMs).finally(() => provider.stop()) },
  };
}
