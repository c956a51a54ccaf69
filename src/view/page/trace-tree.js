// A trace as waterfall rows: spans depth-first under their parents (siblings by start time), each span's
// log records right under it, records of spans not received (or without a span) at the end. Iterative,
// so a 10,000-span chain does not overflow the stack.

export function traceRows(trace, collapsed) {
  const spans = trace.spans;
  const ids = new Map();
  for (const s of spans) ids.set(s.spanId, s);
  const children = new Map();
  const roots = [];
  for (const s of spans) {
    if (s.parentSpanId && ids.has(s.parentSpanId)) {
      let list = children.get(s.parentSpanId);
      if (!list) children.set(s.parentSpanId, (list = []));
      list.push(s);
    } else roots.push(s);
  }
  const byStart = (a, b) => a.startMs - b.startMs;
  roots.sort(byStart);
  for (const list of children.values()) list.sort(byStart);
  const logsOf = new Map();
  const loose = [];
  for (const l of trace.logs) {
    if (l.spanId && ids.has(l.spanId)) {
      let list = logsOf.get(l.spanId);
      if (!list) logsOf.set(l.spanId, (list = []));
      list.push(l);
    } else loose.push(l);
  }

  let start = Infinity;
  let end = -Infinity;
  for (const s of spans) {
    start = Math.min(start, s.startMs);
    end = Math.max(end, s.startMs + s.durationMs);
  }
  const rows = [];
  const stack = [];
  for (let i = roots.length - 1; i >= 0; i--) stack.push([roots[i], 0]);
  while (stack.length) {
    const [span, depth] = stack.pop();
    const kids = children.get(span.spanId) ?? [];
    const logs = logsOf.get(span.spanId) ?? [];
    rows.push({ type: 'span', span, depth, childCount: kids.length + logs.length });
    if (collapsed.has(span.spanId)) continue;
    for (const log of logs) rows.push({ type: 'log', log, depth: depth + 1, spanId: span.spanId });
    for (let i = kids.length - 1; i >= 0; i--) stack.push([kids[i], depth + 1]);
  }
  for (const log of loose) rows.push({ type: 'log', log, depth: 0, spanId: '' });
  return { rows, start: Number.isFinite(start) ? start : 0, total: Math.max(end - start, 0.001) };
}
