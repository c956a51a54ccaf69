// What the console tree needs of a span or a log record, and nothing more: a few fields, small
// enough to hold whole traces for a moment and to send as one JSON line to the launcher, which
// assembles the traces of every process it started (tree-output.ts, src/cli/console-tree-host.ts).

import type { HrTime } from '../../../core/types.js';
import type { AnyValue, ReadableLogRecord } from '../../../logs/log-record-data.js';
import type { ReadableSpan } from '../../../trace/span-data.js';

/** An event shown under its span: exceptions with their type and message, others by name. */
export interface TreeEvent {
  readonly name: string;
  readonly time: HrTime;
  readonly text?: string;
}

export interface TreeSpan {
  readonly type: 'span';
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  /** The parent lives in another process (propagated to us). */
  readonly parentIsRemote?: boolean;
  readonly name: string;
  /** As in @opentelemetry/api: 0 INTERNAL, 1 SERVER, 2 CLIENT, 3 PRODUCER, 4 CONSUMER. */
  readonly kind: number;
  readonly start: HrTime;
  readonly end: HrTime;
  /** 0 UNSET, 1 OK, 2 ERROR. */
  readonly status: number;
  readonly statusMessage?: string;
  readonly service: string;
  /** http.response.status_code. */
  readonly httpStatus?: number;
  /** What a client span called: url.full, else the database query summary. */
  readonly target?: string;
  readonly errorType?: string;
  readonly events?: readonly TreeEvent[];
}

export interface TreeLog {
  readonly type: 'log';
  readonly traceId?: string;
  readonly spanId?: string;
  readonly time: HrTime;
  readonly severity: string;
  readonly body: string;
  readonly service: string;
}

export type TreeRecord = TreeSpan | TreeLog;

const CLIENT = 2;
/** Log bodies and attribute values are cut here: the tree is for reading, not for the whole payload. */
const MAX_TEXT = 500;

function clip(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
}

function serviceOf(resource: { readonly attributes: Readonly<Record<string, unknown>> }): string {
  const name = resource.attributes['service.name'];
  return typeof name === 'string' ? name : 'unknown_service';
}

function stringAttribute(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? clip(value) : undefined;
}

function eventsOf(span: ReadableSpan): TreeEvent[] | undefined {
  if (span.events.length === 0) return undefined;
  const events: TreeEvent[] = [];
  for (const event of span.events) {
    if (event.name === 'exception') {
      const type = stringAttribute(event.attributes['exception.type']);
      const message = stringAttribute(event.attributes['exception.message']);
      const text = type !== undefined && message !== undefined ? `${type}: ${message}` : (type ?? message);
      events.push(text === undefined ? { name: event.name, time: event.time } : { name: event.name, time: event.time, text });
    } else {
      events.push({ name: clip(event.name), time: event.time });
    }
  }
  return events;
}

export function treeSpanOf(span: ReadableSpan): TreeSpan {
  const attributes = span.attributes;
  const httpStatus = attributes['http.response.status_code'];
  const target =
    span.kind === CLIENT
      ? (stringAttribute(attributes['url.full']) ?? stringAttribute(attributes['db.query.summary']) ?? stringAttribute(attributes['db.query.text']))
      : undefined;
  const record: Record<string, unknown> = {
    type: 'span',
    traceId: span.traceId,
    spanId: span.spanId,
    name: clip(span.name),
    kind: span.kind,
    start: span.startTime,
    end: span.endTime,
    status: span.status.code,
    service: serviceOf(span.resource),
  };
  // Absent fields stay absent: smaller lines to the launcher.
  if (span.parentSpanId !== undefined) record.parentSpanId = span.parentSpanId;
  if (span.parentIsRemote) record.parentIsRemote = true;
  if (span.status.message) record.statusMessage = clip(span.status.message);
  if (typeof httpStatus === 'number') record.httpStatus = httpStatus;
  if (target !== undefined) record.target = target;
  const errorType = stringAttribute(attributes['error.type']);
  if (errorType !== undefined) record.errorType = errorType;
  const events = eventsOf(span);
  if (events !== undefined) record.events = events;
  return record as unknown as TreeSpan;
}

/** The severity ranges of the logs data model (1-4 TRACE ... 21-24 FATAL). */
const SEVERITY_NAMES = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];

export function severityName(severityNumber: number, severityText: string | undefined): string {
  if (severityText) return severityText.toUpperCase();
  if (severityNumber < 1 || severityNumber > 24) return 'LOG';
  return SEVERITY_NAMES[Math.floor((severityNumber - 1) / 4)]!;
}

function bodyText(body: AnyValue | undefined): string {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString('base64');
  try {
    return JSON.stringify(body, (_key, value: unknown) =>
      value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value,
    );
  } catch {
    return String(body);
  }
}

export function treeLogOf(record: ReadableLogRecord): TreeLog {
  const log: Record<string, unknown> = {
    type: 'log',
    time: record.timestamp ?? record.observedTimestamp,
    severity: severityName(record.severityNumber, record.severityText),
    body: clip(bodyText(record.body)),
    service: serviceOf(record.resource),
  };
  if (record.traceId !== undefined) log.traceId = record.traceId;
  if (record.spanId !== undefined) log.spanId = record.spanId;
  return log as unknown as TreeLog;
}

/** A line received from another process, checked enough that rendering it cannot throw. */
export function parseTreeRecord(line: string): TreeRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const isTime = (time: unknown): boolean => Array.isArray(time) && time.length === 2 && typeof time[0] === 'number' && typeof time[1] === 'number';
  if (typeof record.service !== 'string') return undefined;
  if (record.type === 'span') {
    if (typeof record.traceId !== 'string' || typeof record.spanId !== 'string' || typeof record.name !== 'string') return undefined;
    if (!isTime(record.start) || !isTime(record.end) || typeof record.kind !== 'number' || typeof record.status !== 'number') return undefined;
    if (record.events !== undefined && !(Array.isArray(record.events) && record.events.every((e) => typeof e?.name === 'string' && isTime(e.time)))) return undefined;
    return record as unknown as TreeSpan;
  }
  if (record.type === 'log') {
    if (!isTime(record.time) || typeof record.severity !== 'string' || typeof record.body !== 'string') return undefined;
    return record as unknown as TreeLog;
  }
  return undefined;
}
