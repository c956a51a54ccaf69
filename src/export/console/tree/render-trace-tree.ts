// One trace as an indented tree: spans under their parents, a span's log records and exception
// events under it, siblings in the order they started. A span whose parent is not among the spans
// given starts a tree of its own, saying why (its parent is in another process we did not hear from,
// or was never seen). A span from another service than its parent's says which: `[stock]`.
//
//   GET /api/orders/:id  200  12.4 ms
//   ├─ request handler - /api/orders/:id  11.9 ms
//   │  ├─ GET (client) http://127.0.0.1:41231/stock/tea  3.1 ms
//   │  │  └─ GET /stock/:sku  200  1.2 ms   [stock]
//   │  └─ log INFO  order 42 checked out

import type { HrTime } from '../../../core/types.js';
import { durationNs, formatDuration } from './format-duration.js';
import { paint, type Paint, type TreeStyle } from './terminal-style.js';
import type { TreeEvent, TreeLog, TreeSpan } from './tree-records.js';

const SERVER = 1;
const KIND_NOTES = ['', '', ' (client)', ' (producer)', ' (consumer)'];
const STATUS_ERROR = 2;
/** A client span's URL or query is cut here even without a terminal width. */
const MAX_TARGET = 100;
const MIN_FLEX = 12;
/** Control characters (a log body's ANSI escapes, a newline in a span name) never reach the terminal. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

type Item =
  | { readonly type: 'span'; readonly time: HrTime; readonly span: TreeSpan; readonly children: Item[] }
  | { readonly type: 'log'; readonly time: HrTime; readonly log: TreeLog }
  | { readonly type: 'event'; readonly time: HrTime; readonly event: TreeEvent };

/** A piece of a line: its text, its color, and whether it may be shortened to fit the width. */
interface Segment {
  text: string;
  readonly paint?: Paint;
  readonly flex?: boolean;
}

function compareTime(a: HrTime, b: HrTime): number {
  return a[0] - b[0] || a[1] - b[1];
}

function byTime(a: Item, b: Item): number {
  // A log record written at the very instant a span starts reads better after it.
  return compareTime(a.time, b.time) || (a.type === 'span' ? -1 : 0) - (b.type === 'span' ? -1 : 0);
}

function clean(text: string): string {
  return text.replace(CONTROL, ' ');
}

function firstLine(text: string): string {
  const newline = text.search(/\r?\n/);
  return newline === -1 ? text : `${text.slice(0, newline)} …`;
}

function shortId(id: string): string {
  return id.slice(0, 8);
}

/** Builds the forest: the items whose parent is not here, each with its descendants, all sorted by time. */
function buildForest(spans: readonly TreeSpan[], logs: readonly TreeLog[]): Item[] {
  const items = new Map<string, Extract<Item, { type: 'span' }>>();
  for (const span of spans) {
    if (items.has(span.spanId)) continue; // the same span twice (a retried batch) shows once
    const children: Item[] = [];
    for (const event of span.events ?? []) children.push({ type: 'event', time: event.time, event });
    items.set(span.spanId, { type: 'span', time: span.start, span, children });
  }
  const roots: Item[] = [];
  for (const item of items.values()) {
    const parent = item.span.parentSpanId === undefined ? undefined : items.get(item.span.parentSpanId);
    if (parent !== undefined && parent !== item) parent.children.push(item);
    else roots.push(item);
  }
  breakCycles(items, roots);
  for (const log of logs) {
    const owner = log.spanId === undefined ? undefined : items.get(log.spanId);
    (owner?.children ?? roots).push({ type: 'log', time: log.time, log });
  }
  const sortAll = (list: Item[]): void => {
    list.sort(byTime);
    for (const item of list) if (item.type === 'span') sortAll(item.children);
  };
  sortAll(roots);
  return roots;
}

/** Spans in a parent cycle (corrupt input) are reachable from no root: the first of each becomes one. */
function breakCycles(items: ReadonlyMap<string, Extract<Item, { type: 'span' }>>, roots: Item[]): void {
  const reached = new Set<Item>();
  const mark = (item: Item): void => {
    if (reached.has(item)) return;
    reached.add(item);
    if (item.type === 'span') for (const child of item.children) mark(child);
  };
  for (const root of roots) mark(root);
  for (const item of items.values()) {
    if (reached.has(item)) continue;
    const parent = items.get(item.span.parentSpanId!)!;
    parent.children.splice(parent.children.indexOf(item), 1);
    roots.push(item);
    mark(item);
  }
}

function spanSegments(span: TreeSpan, top: boolean, parentService: string, late: boolean): Segment[] {
  const segments: Segment[] = [{ text: clean(span.name), paint: top ? 'bold' : undefined, flex: span.target === undefined }];
  const kindNote = KIND_NOTES[span.kind] ?? '';
  if (kindNote !== '') segments.push({ text: kindNote, paint: 'dim' });
  if (span.target !== undefined) {
    const target = clean(span.target);
    segments.push({ text: ` ${target.length > MAX_TARGET ? `${target.slice(0, MAX_TARGET - 1)}…` : target}`, flex: true });
  }
  if (span.httpStatus !== undefined && span.kind === SERVER) {
    const status = span.httpStatus;
    segments.push({ text: `  ${status}`, paint: status >= 500 ? 'red' : status >= 400 ? 'yellow' : 'green' });
  }
  segments.push({ text: `  ${formatDuration(durationNs(span.start, span.end))}`, paint: 'cyan' });
  if (span.status === STATUS_ERROR) {
    const why = span.statusMessage ?? (span.errorType !== String(span.httpStatus) ? span.errorType : undefined);
    segments.push({ text: `  ERROR${why === undefined ? '' : ` ${clean(firstLine(why))}`}`, paint: 'red' });
  }
  if (span.service !== parentService) segments.push({ text: `   [${clean(span.service)}]`, paint: 'magenta' });
  if (top && span.parentSpanId !== undefined) {
    const where = span.parentIsRemote === true ? 'in another process' : late ? 'printed above' : 'not seen';
    segments.push({ text: `   (parent ${shortId(span.parentSpanId)} ${where})`, paint: 'dim' });
  }
  return segments;
}

const SEVERITY_PAINT: Record<string, Paint> = { TRACE: 'dim', DEBUG: 'dim', INFO: 'green', WARN: 'yellow', ERROR: 'red', FATAL: 'red' };

function logSegments(log: TreeLog, ownerService: string): Segment[] {
  const severity = clean(log.severity);
  const segments: Segment[] = [
    { text: 'log ', paint: 'dim' },
    { text: severity, paint: SEVERITY_PAINT[severity.replace(/\d+$/, '')] },
    { text: `  ${clean(firstLine(log.body))}`, flex: true },
  ];
  if (log.service !== ownerService) segments.push({ text: `   [${clean(log.service)}]`, paint: 'magenta' });
  return segments;
}

function eventSegments(event: TreeEvent): Segment[] {
  if (event.name === 'exception') {
    return [{ text: 'exception', paint: 'red' }, { text: event.text === undefined ? '' : `  ${clean(firstLine(event.text))}`, flex: true }];
  }
  return [{ text: 'event ', paint: 'dim' }, { text: clean(event.name), flex: true }];
}

/** Shortens the flexible segments (from the last) so that the line fits `width` columns. */
function fit(prefixLength: number, segments: Segment[], width: number | undefined): void {
  if (width === undefined) return;
  let over = prefixLength + segments.reduce((sum, s) => sum + s.text.length, 0) - width;
  for (let i = segments.length - 1; i >= 0 && over > 0; i--) {
    const segment = segments[i]!;
    if (segment.flex !== true || segment.text.length <= MIN_FLEX) continue;
    const keep = Math.max(MIN_FLEX, segment.text.length - over - 1);
    over -= segment.text.length - (keep + 1);
    segment.text = `${segment.text.slice(0, keep)}…`;
  }
}

function line(prefix: string, segments: Segment[], style: TreeStyle): string {
  fit(prefix.length, segments, style.width);
  let text = paint(style, 'dim', prefix);
  for (const segment of segments) text += paint(style, segment.paint, segment.text);
  return text;
}

function renderItem(item: Item, prefix: string, childPrefix: string, ownerService: string, top: boolean, late: boolean, style: TreeStyle, out: string[]): void {
  if (item.type === 'log') {
    out.push(line(prefix, logSegments(item.log, ownerService), style));
    return;
  }
  if (item.type === 'event') {
    out.push(line(prefix, eventSegments(item.event), style));
    return;
  }
  out.push(line(prefix, spanSegments(item.span, top, ownerService, late), style));
  const children = item.children;
  for (let i = 0; i < children.length; i++) {
    const last = i === children.length - 1;
    renderItem(children[i]!, `${childPrefix}${last ? '└─ ' : '├─ '}`, `${childPrefix}${last ? '   ' : '│  '}`, item.span.service, false, late, style, out);
  }
}

/**
 * The lines of one trace (no trailing newline). The first top-level span's service is the trace's own:
 * other services are named where they appear. `late`: the rest of this trace was printed before, so a
 * missing parent is there rather than never seen.
 */
export function renderTraceTree(spans: readonly TreeSpan[], logs: readonly TreeLog[], style: TreeStyle, late = false): string[] {
  const roots = buildForest(spans, logs);
  const first = roots.find((item) => item.type === 'span');
  const service = first?.type === 'span' ? first.span.service : (logs[0]?.service ?? '');
  const out: string[] = [];
  for (const root of roots) renderItem(root, '', '', service, true, late, style, out);
  return out;
}

/** A log record outside any trace we hold: one line, named by its service. */
export function renderLogLine(log: TreeLog, style: TreeStyle): string {
  return line('', logSegments(log, ''), style);
}
