// Spans grouped by trace, bounded by a total span count: when a batch goes over it, whole traces leave,
// the one first received first (a Map iterates in insertion order), so what stays is always complete.

import type { SpanRecord } from './records.js';

export interface TraceSummary {
  readonly traceId: string;
  readonly service: string;
  readonly services: readonly string[];
  readonly rootName: string;
  /** http.route of the root span, when it has one. */
  readonly route: string;
  readonly startMs: number;
  readonly durationMs: number;
  readonly spanCount: number;
  readonly errorCount: number;
  /** The root span has no parent (false while its parent has not arrived). */
  readonly complete: boolean;
}

export interface TraceFilter {
  readonly service?: string;
  readonly route?: string;
  readonly status?: 'error' | 'ok';
  readonly minDurationMs?: number;
  /** A trace id (or its start), or text found in an attribute value or span name. */
  readonly search?: string;
  readonly limit?: number;
}

class Trace {
  readonly spans: SpanRecord[] = [];
  #summary: TraceSummary | undefined;

  constructor(readonly traceId: string) {}

  add(span: SpanRecord): void {
    this.spans.push(span);
    this.#summary = undefined;
  }

  summary(): TraceSummary {
    return (this.#summary ??= summarize(this.traceId, this.spans));
  }
}

function summarize(traceId: string, spans: readonly SpanRecord[]): TraceSummary {
  const ids = new Set<string>();
  for (const span of spans) ids.add(span.spanId);
  let root: SpanRecord | undefined;
  let start = Infinity;
  let end = -Infinity;
  let errorCount = 0;
  const services = new Set<string>();
  for (const span of spans) {
    const isRoot = span.parentSpanId === '' || !ids.has(span.parentSpanId);
    // The true root (no parent at all) wins over an orphan; among equals the earliest.
    if (isRoot && (root === undefined || rank(span) < rank(root) || (rank(span) === rank(root) && span.startMs < root.startMs))) root = span;
    start = Math.min(start, span.startMs);
    end = Math.max(end, span.startMs + span.durationMs);
    if (span.statusCode === 2) errorCount++;
    services.add(span.resource.service);
  }
  const route = root?.attributes['http.route'];
  return {
    traceId,
    service: root?.resource.service ?? '',
    services: [...services],
    rootName: root?.name ?? '',
    route: typeof route === 'string' ? route : '',
    startMs: start,
    durationMs: Math.max(0, end - start),
    spanCount: spans.length,
    errorCount,
    complete: root !== undefined && root.parentSpanId === '',
  };
}

const rank = (span: SpanRecord): number => (span.parentSpanId === '' ? 0 : 1);

function valueMatches(value: unknown, needle: string): boolean {
  if (typeof value === 'string') return value.toLowerCase().includes(needle);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value) === needle;
  if (Array.isArray(value)) return value.some((v) => valueMatches(v, needle));
  return false;
}

function traceMatches(trace: Trace, needle: string): boolean {
  if (trace.traceId.startsWith(needle)) return true;
  for (const span of trace.spans) {
    if (span.spanId === needle || span.name.toLowerCase().includes(needle)) return true;
    for (const key in span.attributes) if (valueMatches(span.attributes[key], needle)) return true;
  }
  return false;
}

export class TraceStore {
  readonly #traces = new Map<string, Trace>();
  #spanCount = 0;
  #evicted = 0;

  constructor(readonly maxSpans: number) {}

  get spanCount(): number {
    return this.#spanCount;
  }
  get traceCount(): number {
    return this.#traces.size;
  }
  /** Traces dropped to stay under maxSpans. */
  get evicted(): number {
    return this.#evicted;
  }

  add(spans: readonly SpanRecord[]): void {
    for (const span of spans) {
      let trace = this.#traces.get(span.traceId);
      if (trace === undefined) {
        trace = new Trace(span.traceId);
        this.#traces.set(span.traceId, trace);
      }
      trace.add(span);
      this.#spanCount++;
    }
    for (const [id, trace] of this.#traces) {
      if (this.#spanCount <= this.maxSpans) break;
      this.#traces.delete(id);
      this.#spanCount -= trace.spans.length;
      this.#evicted++;
    }
  }

  spans(traceId: string): readonly SpanRecord[] | undefined {
    return this.#traces.get(traceId.toLowerCase())?.spans;
  }

  /** Every span, trace by trace (for the snapshot file). */
  *allSpans(): Iterable<SpanRecord> {
    for (const trace of this.#traces.values()) yield* trace.spans;
  }

  /** Matching traces, the latest start first. */
  list(filter: TraceFilter = {}): TraceSummary[] {
    const needle = filter.search?.trim().toLowerCase() ?? '';
    const out: TraceSummary[] = [];
    for (const trace of this.#traces.values()) {
      const s = trace.summary();
      if (filter.service && !s.services.includes(filter.service)) continue;
      if (filter.route && s.route !== filter.route && s.rootName !== filter.route) continue;
      if (filter.status === 'error' && s.errorCount === 0) continue;
      if (filter.status === 'ok' && s.errorCount > 0) continue;
      if (filter.minDurationMs !== undefined && s.durationMs < filter.minDurationMs) continue;
      if (needle !== '' && !traceMatches(trace, needle)) continue;
      out.push(s);
    }
    out.sort((a, b) => b.startMs - a.startMs);
    return filter.limit !== undefined ? out.slice(0, filter.limit) : out;
  }

  /** Services and root routes seen, for the page's filters. */
  facets(): { services: string[]; routes: string[] } {
    const services = new Set<string>();
    const routes = new Set<string>();
    for (const trace of this.#traces.values()) {
      const s = trace.summary();
      for (const name of s.services) services.add(name);
      if (s.route !== '') routes.add(s.route);
    }
    return { services: [...services].sort(), routes: [...routes].sort() };
  }
}
