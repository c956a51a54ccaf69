// Optional persistence (OTEL_NODE_VIEW_FILE): the store is written to one JSON file when it changed, at
// most every few seconds and when the viewer stops, through a temporary file and a rename so a crash
// never leaves half a file; it is read back at start, so a restart keeps what was seen.

import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { LogRecord, ResourceInfo, SpanRecord } from './records.js';
import type { TelemetryStore } from './telemetry-store.js';

const FORMAT = 1;

interface Snapshot {
  readonly format: number;
  readonly resources: { id: number; attributes: Record<string, unknown> }[];
  readonly spans: (Omit<SpanRecord, 'resource'> & { resource: number })[];
  readonly logs: (Omit<LogRecord, 'resource'> & { resource: number })[];
  readonly metrics: { stream: any; points: any[] }[];
}

export function writeSnapshot(store: TelemetryStore, path: string): void {
  const resources = new Map<number, ResourceInfo>();
  const ref = (r: ResourceInfo): number => {
    resources.set(r.id, r);
    return r.id;
  };
  const spans = [...store.traces.allSpans()].map((s) => ({ ...s, resource: ref(s.resource) }));
  const logs = [...store.logs.all()].map((l) => ({ ...l, resource: ref(l.resource) }));
  const metrics = store.metrics.streams().map(({ points, ...stream }) => ({ stream, points }));
  const snapshot: Snapshot = {
    format: FORMAT,
    resources: [...resources.values()].map((r) => ({ id: r.id, attributes: r.attributes })),
    spans,
    logs,
    metrics,
  };
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(snapshot));
  renameSync(tmp, path);
}

/** Loads `path` into `store`; false when there is no file yet. Throws for a file that is not a snapshot. */
export function readSnapshot(store: TelemetryStore, path: string): boolean {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  const snapshot = JSON.parse(text) as Snapshot;
  if (snapshot?.format !== FORMAT) throw new Error(`${path} is not a viewer snapshot (format ${FORMAT})`);
  const resources = new Map<number, ResourceInfo>();
  for (const r of snapshot.resources) resources.set(r.id, store.interned.resourceOf(r.attributes));
  const resource = (id: number): ResourceInfo => resources.get(id) ?? store.interned.resourceOf({});
  store.traces.add(snapshot.spans.map((s) => ({ ...s, resource: resource(s.resource) })));
  store.logs.add(snapshot.logs.map((l) => ({ ...l, resource: resource(l.resource) })));
  for (const { stream, points } of snapshot.metrics) for (const p of points) store.metrics.add(stream, p);
  return true;
}
