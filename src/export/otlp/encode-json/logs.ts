// OTLP/JSON for logs (same rules as encode-json/trace.ts: hex ids, int64 as strings, defaults omitted).

import type { ReadableLogRecord } from '../../../logs/log-record-data.js';
import type { LogsItem } from '../encode-protobuf/logs.js';
import type { Attributes } from '../../../core/types.js';
import { anyValue, attributesField, groupedRequestJson, hrTimeToDecimalNanos } from './common.js';

function logRecordJson(record: ReadableLogRecord): string {
  let out = '{"observedTimeUnixNano":"' + hrTimeToDecimalNanos(record.observedTimestamp) + '"';
  if (record.timestamp !== undefined) out += ',"timeUnixNano":"' + hrTimeToDecimalNanos(record.timestamp) + '"';
  if (record.severityNumber !== 0) out += ',"severityNumber":' + record.severityNumber;
  if (record.severityText) out += ',"severityText":' + JSON.stringify(record.severityText);
  if (record.body !== undefined) out += ',"body":' + anyValue(record.body);
  out += attributesField('attributes', record.attributes as Attributes);
  if (record.droppedAttributesCount > 0) out += ',"droppedAttributesCount":' + record.droppedAttributesCount;
  if (record.traceId !== undefined) {
    out += ',"flags":' + (record.traceFlags & 0xff) + ',"traceId":"' + record.traceId + '"';
    if (record.spanId !== undefined) out += ',"spanId":"' + record.spanId + '"';
  }
  if (record.eventName) out += ',"eventName":' + JSON.stringify(record.eventName);
  return out + '}';
}

const LOGS_KEYS = { resources: 'resourceLogs', scopes: 'scopeLogs', items: 'logRecords' };

/** The ExportLogsServiceRequest as OTLP/JSON, UTF-8 encoded. Throws on a record encoded ahead (protobuf bytes). */
export function encodeLogsRequestJson(records: readonly LogsItem[]): Uint8Array {
  return Buffer.from(groupedRequestJson(LOGS_KEYS, records, logRecordJson), 'utf8');
}
