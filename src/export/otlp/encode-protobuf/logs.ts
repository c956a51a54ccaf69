// ExportLogsServiceRequest written directly from ReadableLogRecord objects (logs.proto, logs_service.proto).

import type { Writer } from './writer.js';
import type { ReadableLogRecord } from '../../../logs/log-record-data.js';
import type { Attributes } from '../../../core/types.js';
import { writeAnyValueBody, writeAttributes, writeFixed64Time, writeHexId } from './common.js';
import { encodeAhead, releaseEncoded, writeGroupedRequest, type EncodedItem } from './envelope.js';

// ScopeLogs.log_records (the envelope around it is in envelope.ts)
const SL_LOG_RECORDS = 18; // 2
// LogRecord
const LR_TIME = 9; // 1 fixed64
const LR_SEVERITY_NUMBER = 16; // 2 enum
const LR_SEVERITY_TEXT = 26; // 3 string
const LR_BODY = 42; // 5 AnyValue
const LR_ATTRIBUTES = 50; // 6 KeyValue
const LR_DROPPED_ATTRIBUTES = 56; // 7 uint32
const LR_FLAGS = 69; // 8 fixed32
const LR_TRACE_ID = 74; // 9 bytes
const LR_SPAN_ID = 82; // 10 bytes
const LR_OBSERVED_TIME = 89; // 11 fixed64
const LR_EVENT_NAME = 98; // 12 string

function writeLogRecord(w: Writer, record: ReadableLogRecord): void {
  w.uint32(SL_LOG_RECORDS).fork();
  if (record.timestamp !== undefined) {
    w.uint32(LR_TIME);
    writeFixed64Time(w, record.timestamp);
  }
  if (record.severityNumber !== 0) w.uint32(LR_SEVERITY_NUMBER).uint32(record.severityNumber);
  if (record.severityText) w.uint32(LR_SEVERITY_TEXT).string(record.severityText);
  if (record.body !== undefined) {
    w.uint32(LR_BODY).fork();
    writeAnyValueBody(w, record.body);
    w.ldelim();
  }
  writeAttributes(w, LR_ATTRIBUTES, record.attributes as Attributes);
  if (record.droppedAttributesCount > 0) w.uint32(LR_DROPPED_ATTRIBUTES).uint32(record.droppedAttributesCount);
  if (record.traceId !== undefined) {
    w.uint32(LR_FLAGS).fixed32(record.traceFlags & 0xff);
    writeHexId(w, LR_TRACE_ID, record.traceId);
    if (record.spanId !== undefined) writeHexId(w, LR_SPAN_ID, record.spanId);
  }
  w.uint32(LR_OBSERVED_TIME);
  writeFixed64Time(w, record.observedTimestamp);
  if (record.eventName) w.uint32(LR_EVENT_NAME).string(record.eventName);
  w.ldelim();
}

/** Log records, or records encoded ahead, or a mix: the request bytes are the same. */
export type LogsItem = ReadableLogRecord | EncodedItem;

/** Encodes log records as an ExportLogsServiceRequest. Throws only on programming errors (the exporter catches). */
export function encodeLogsRequest(records: readonly LogsItem[]): Uint8Array {
  return writeGroupedRequest(records, writeLogRecord);
}

/** The record written now, for the batch queue to hold instead of it (see EncodedItem). Never throws. */
export function encodeLogRecordAhead(record: LogsItem): LogsItem {
  return encodeAhead(record, writeLogRecord);
}

/** What the batch pipeline uses to encode records as they are queued, and to free their bytes after the export. */
export const logRecordEncodeAhead = { encode: encodeLogRecordAhead, release: releaseEncoded };
