// OTLP/JSON for logs (same rules as encode-json/trace.ts: hex ids, int64 as strings, defaults omitted).

import type { ReadableLogRecord } from '../../../logs/log-record-data.js';
import type { Attributes } from '../../../trace/span-data.js';
import { groupByResourceAndScope } from '../encode-protobuf/trace.js';
import { anyValue, attributesField, hrTimeToDecimalNanos, resourceJson, scopeJson } from './common.js';

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

/** The ExportLogsServiceRequest as OTLP/JSON, UTF-8 encoded. */
export function encodeLogsRequestJson(records: readonly ReadableLogRecord[]): Uint8Array {
  let out = '{"resourceLogs":[';
  let firstResource = true;
  for (const [resource, groups] of groupByResourceAndScope(records)) {
    if (!firstResource) out += ',';
    firstResource = false;
    out += '{"resource":' + resourceJson(resource) + ',"scopeLogs":[';
    for (let g = 0; g < groups.length; g++) {
      const group = groups[g]!;
      if (g > 0) out += ',';
      out += '{"scope":' + scopeJson(group.scope) + ',"logRecords":[';
      for (let i = 0; i < group.items.length; i++) out += (i > 0 ? ',' : '') + logRecordJson(group.items[i]!);
      out += ']';
      if (group.scope.schemaUrl) out += ',"schemaUrl":' + JSON.stringify(group.scope.schemaUrl);
      out += '}';
    }
    out += ']';
    if (resource.schemaUrl) out += ',"schemaUrl":' + JSON.stringify(resource.schemaUrl);
    out += '}';
  }
  return Buffer.from(out + ']}', 'utf8');
}
