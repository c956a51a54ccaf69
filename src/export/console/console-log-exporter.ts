// One JSON object per log record on stdout, one per line, with Python's ConsoleLogExporter field names.
// Written with process.stdout.write, never console.*, so captured console calls cannot loop back.

import type { ReadableLogRecord } from '../../logs/log-record-data.js';
import { EXPORT_OK, type ExportResult, type Exporter } from '../export-result.js';
import { isoTime } from './iso-time.js';

function bytesToJson(_key: string, value: unknown): unknown {
  return value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value;
}

export function logRecordToJson(record: ReadableLogRecord): object {
  return {
    body: record.body ?? null,
    severity_number: record.severityNumber,
    severity_text: record.severityText ?? null,
    attributes: record.attributes,
    dropped_attributes: record.droppedAttributesCount,
    timestamp: record.timestamp === undefined ? null : isoTime(record.timestamp),
    observed_timestamp: isoTime(record.observedTimestamp),
    trace_id: record.traceId === undefined ? '0x00000000000000000000000000000000' : `0x${record.traceId}`,
    span_id: record.spanId === undefined ? '0x0000000000000000' : `0x${record.spanId}`,
    trace_flags: record.traceFlags,
    event_name: record.eventName ?? null,
    resource: { attributes: { ...record.resource.attributes }, schema_url: record.resource.schemaUrl ?? '' },
    instrumentation_scope: { name: record.scope.name, version: record.scope.version ?? null },
  };
}

export function createConsoleLogExporter(
  write: (text: string) => void = (text) => process.stdout.write(text),
): Exporter<ReadableLogRecord> {
  return {
    export(batch: readonly ReadableLogRecord[], done: (result: ExportResult) => void): void {
      let text = '';
      for (const record of batch) text += JSON.stringify(logRecordToJson(record), bytesToJson) + '\n';
      try {
        write(text);
        done(EXPORT_OK);
      } catch (error) {
        done({ ok: false, retryable: false, error: error as Error });
      }
    },
    shutdown: () => Promise.resolve(),
  };
}
