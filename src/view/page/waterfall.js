// One trace: its spans as nested bars on a time axis, with kind, status and duration; the selected span's
// attributes, events, links, resource and scope beside it; log records inline under their span.

import { useEffect, useMemo, useState } from 'preact/hooks';
import { getJson } from './api.js';
import { KINDS, bodyText, fmtDateTime, fmtDuration, fmtValue, severityClass, severityName } from './format.js';
import { html } from './html.js';
import { traceRows } from './trace-tree.js';
import { VirtualList } from './virtual-list.js';

const ROW = 26;

/** A stable colour per service, from teal to violet: red stays the error colour. */
function hue(service) {
  let h = 0;
  for (let i = 0; i < service.length; i++) h = (h * 31 + service.charCodeAt(i)) % 150;
  return 170 + h;
}

function Attributes({ title, attributes }) {
  const keys = Object.keys(attributes ?? {}).sort();
  if (!keys.length) return null;
  return html`<section class="kv"><h3>${title}</h3><table><tbody>
    ${keys.map((k) => html`<tr><th scope="row">${k}</th><td>${fmtValue(attributes[k])}</td></tr>`)}
  </tbody></table></section>`;
}

function SpanDetail({ span, start, trace }) {
  const resource = trace.resources[span.resource];
  const status = ['unset', 'ok', 'error'][span.statusCode] ?? String(span.statusCode);
  return html`<div class="detail" data-testid="span-detail" data-span-id=${span.spanId}>
    <h2>${span.name}</h2>
    <dl class="facts">
      <dt>service</dt><dd>${span.service}</dd>
      <dt>kind</dt><dd>${KINDS[span.kind] ?? span.kind}</dd>
      <dt>status</dt><dd class=${span.statusCode === 2 ? 'error-text' : ''}>${status}${span.statusMessage ? `: ${span.statusMessage}` : ''}</dd>
      <dt>duration</dt><dd>${fmtDuration(span.durationMs)}</dd>
      <dt>start</dt><dd>+${span.startMs - start > 0 ? fmtDuration(span.startMs - start) : "0"} (${fmtDateTime(span.startMs)})</dd>
      <dt>span id</dt><dd><code>${span.spanId}</code></dd>
      ${span.parentSpanId && html`<dt>parent</dt><dd><code>${span.parentSpanId}</code></dd>`}
    </dl>
    <${Attributes} title="Attributes" attributes=${span.attributes} />
    ${span.events.length > 0 && html`<section class="kv"><h3>Events</h3>${span.events.map((e) => html`<div class="event">
      <div><b>${e.name}</b> <span class="muted">+${fmtDuration(e.timeMs - span.startMs)}</span></div>
      <${Attributes} title="" attributes=${e.attributes} /></div>`)}</section>`}
    ${span.links.length > 0 && html`<section class="kv"><h3>Links</h3>${span.links.map((l) => html`<div class="event">
      <a href=${`#/trace/${l.traceId}`}><code>${l.traceId}</code></a> span <code>${l.spanId}</code>
      <${Attributes} title="" attributes=${l.attributes} /></div>`)}</section>`}
    <${Attributes} title="Resource" attributes=${resource?.attributes} />
    <section class="kv"><h3>Scope</h3><p>${span.scope.name}${span.scope.version ? ` ${span.scope.version}` : ''}</p></section>
  </div>`;
}

function LogDetail({ log, trace }) {
  return html`<div class="detail" data-testid="log-detail">
    <h2><span class=${`sev ${severityClass(log.severityNumber)}`}>${severityName(log.severityNumber, log.severityText)}</span> log record</h2>
    <pre class="log-body">${bodyText(log.body)}</pre>
    <dl class="facts"><dt>time</dt><dd>${fmtDateTime(log.timeMs)}</dd><dt>service</dt><dd>${log.service}</dd>
      ${log.spanId && html`<dt>span id</dt><dd><code>${log.spanId}</code></dd>`}</dl>
    <${Attributes} title="Attributes" attributes=${log.attributes} />
    <${Attributes} title="Resource" attributes=${trace.resources[log.resource]?.attributes} />
  </div>`;
}

function Axis({ total }) {
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  return html`<div class="axis" aria-hidden="true">${ticks.map((f) => html`<span style=${`left:${f * 100}%`}>${f === 0 ? '0' : fmtDuration(total * f)}</span>`)}</div>`;
}

export function Waterfall({ traceId, version }) {
  const [trace, setTrace] = useState(null);
  const [error, setError] = useState('');
  const [collapsed, setCollapsed] = useState(new Set());
  const [selected, setSelected] = useState(0);

  useEffect(() => {
    let live = true;
    getJson(`/api/traces/${traceId}`).then((t) => live && (setTrace(t), setError('')), (e) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [traceId, version]);

  const built = useMemo(() => (trace ? traceRows(trace, collapsed) : null), [trace, collapsed]);
  if (error) return html`<section class="view"><p class="error-text">Trace ${traceId}: ${error}</p><a href="#/traces">back to traces</a></section>`;
  if (!built) return html`<section class="view"><p class="muted">loading…</p></section>`;
  const { rows, start, total } = built;
  const toggle = (spanId) => {
    const next = new Set(collapsed);
    if (next.has(spanId)) next.delete(spanId);
    else next.add(spanId);
    setCollapsed(next);
  };

  const row = (r) => {
    const indent = `padding-left:${r.depth * 14 + 4}px`;
    if (r.type === 'log') {
      const at = ((r.log.timeMs - start) / total) * 100;
      return html`<div class="wf-row wf-log" data-log-under=${r.spanId} data-depth=${r.depth}>
        <div class="wf-name" style=${indent}><span class=${`sev ${severityClass(r.log.severityNumber)}`}>${severityName(r.log.severityNumber, r.log.severityText)}</span> <span class="log-text">${bodyText(r.log.body)}</span></div>
        <div class="wf-track"><span class="log-tick" style=${`left:${Math.min(100, Math.max(0, at))}%`}></span></div>
      </div>`;
    }
    const s = r.span;
    const left = ((s.startMs - start) / total) * 100;
    const width = Math.max(0.2, (s.durationMs / total) * 100);
    const isOpen = !collapsed.has(s.spanId);
    // The duration goes after the bar, else before it, else (a bar across the whole track) inside its end.
    const labelInside = left + width > 82 && left < 18;
    const labelStyle = left + width <= 82 ? `left:${left + width + 0.5}%` : labelInside ? `right:${100 - left - width + 0.5}%` : `right:${100 - left + 0.5}%`;
    return html`<div class="wf-row ${s.statusCode === 2 ? 'has-error' : ''}" data-span-id=${s.spanId} data-parent-id=${s.parentSpanId} data-depth=${r.depth} data-name=${s.name}>
      <div class="wf-name" style=${indent} title=${s.name}>
        ${r.childCount > 0
          ? html`<button class="caret" tabindex="-1" aria-label=${isOpen ? 'collapse' : 'expand'} onClick=${(e) => (e.stopPropagation(), toggle(s.spanId))}>${isOpen ? '▾' : '▸'}</button>`
          : html`<span class="caret"></span>`}
        <span class="kind kind-${KINDS[s.kind] ?? 'unspecified'}" title=${`kind: ${KINDS[s.kind]}`}>${(KINDS[s.kind] ?? '?')[0].toUpperCase()}</span>
        ${s.statusCode === 2 && html`<span class="err-dot" title="error status">●</span>`}
        <span class="span-name">${s.name}</span> <span class="muted svc">${s.service}</span>
      </div>
      <div class="wf-track">
        <span class="bar" style=${`left:${left}%;width:${width}%;--hue:${hue(s.service)}`}></span>
        <span class=${labelInside ? 'bar-label inside' : 'bar-label'} style=${labelStyle}>${fmtDuration(s.durationMs)}</span>
      </div>
    </div>`;
  };

  const current = rows[Math.min(selected, rows.length - 1)];
  const root = rows.find((r) => r.type === 'span')?.span;
  return html`<section class="view trace-view" aria-label="Trace">
    <header class="trace-title">
      <a href="#/traces" class="back">← traces</a>
      <h1>${root?.name ?? traceId}</h1>
      <span class="muted">${root?.service} · ${fmtDuration(total)} · ${trace.spans.length} spans · ${trace.logs.length} log records · <code>${traceId}</code></span>
    </header>
    <div class="trace-body">
      <div class="wf">
        <div class="wf-head"><div class="wf-name">span</div><div class="wf-track"><${Axis} total=${total} /></div></div>
        <${VirtualList} items=${rows} rowHeight=${ROW} renderRow=${row} selected=${selected} onSelect=${setSelected} label="Waterfall" testId="waterfall"
          onOpen=${(i, how) => how === 'key' && rows[i].type === 'span' && rows[i].childCount > 0 && toggle(rows[i].span.spanId)} />
      </div>
      <aside class="side">${current?.type === 'span' ? html`<${SpanDetail} span=${current.span} start=${start} trace=${trace} />` : current ? html`<${LogDetail} log=${current.log} trace=${trace} />` : null}</aside>
    </div>
  </section>`;
}
