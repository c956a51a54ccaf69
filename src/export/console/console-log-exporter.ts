// One JSON object per log record on stdout, one per line, with Python's ConsoleLogExporter field names.

import type { ReadableLogRecord } from '../../logs/log-record-data.js';
import type { Exporter } from '../../core/export-result.js';
import { createLineExporter } from './line-exporter.js';
import { isoTime } from './iso-time.js';

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

export function createConsoleLogExporter(write?: (text: string) => void): Exporter<ReadableLogRecord> {
  return createLineExporter(logRecordToJson, write);
}
