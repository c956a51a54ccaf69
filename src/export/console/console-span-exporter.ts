// One JSON object per finished span on stdout, one per line, in the shape the
// OpenTelemetry docs show for the console exporter (Python's field names).

import type { Attributes } from '../../core/types.js';
import type { ReadableSpan, SpanLink } from '../../trace/span-data.js';
import { isoTime } from './iso-time.js';
import type { Exporter } from '../../core/export-result.js';
import { createLineExporter } from './line-exporter.js';

const KINDS = ['SpanKind.INTERNAL', 'SpanKind.SERVER', 'SpanKind.CLIENT', 'SpanKind.PRODUCER', 'SpanKind.CONSUMER'];
const STATUS = ['UNSET', 'OK', 'ERROR'];

function traceStateList(state: string | undefined): Array<[string, string]> {
  if (!state) return [];
  return state.split(',').map((member) => {
    const eq = member.indexOf('=');
    return [member.slice(0, eq).trim(), member.slice(eq + 1).trim()];
  });
}

function plain(attributes: Attributes): Record<string, unknown> {
  return { ...attributes };
}

function linkJson(link: SpanLink): object {
  return {
    context: { trace_id: `0x${link.traceId}`, span_id: `0x${link.spanId}`, trace_state: traceStateList(link.traceState) },
    attributes: plain(link.attributes),
  };
}

export function spanToJson(span: ReadableSpan): object {
  const status: Record<string, unknown> = { status_code: STATUS[span.status.code] };
  if (span.status.message) status.description = span.status.message;
  return {
    name: span.name,
    context: {
      trace_id: `0x${span.traceId}`,
      span_id: `0x${span.spanId}`,
      trace_state: traceStateList(span.traceState),
    },
    kind: KINDS[span.kind] ?? 'SpanKind.INTERNAL',
    parent_id: span.parentSpanId === undefined ? null : `0x${span.parentSpanId}`,
    start_time: isoTime(span.startTime),
    end_time: isoTime(span.endTime),
    status,
    attributes: plain(span.attributes),
    events: span.events.map((event) => ({
      name: event.name,
      timestamp: isoTime(event.time),
      attributes: plain(event.attributes),
    })),
    links: span.links.map(linkJson),
    resource: { attributes: plain(span.resource.attributes), schema_url: span.resource.schemaUrl ?? '' },
    instrumentation_scope: { name: span.scope.name, version: span.scope.version ?? null },
  };
}

export function createConsoleSpanExporter(write?: (text: string) => void): Exporter<ReadableSpan> {
  return createLineExporter(spanToJson, write);
}
