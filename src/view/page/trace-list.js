// Recent traces: service, root span, start, duration, span count, error mark; filters by service, route,
// status and minimum duration, and a search by trace id or attribute value. Refreshes while data arrives.

import { useEffect, useState } from 'preact/hooks';
import { getJson } from './api.js';
import { fmtDateTime, fmtDuration } from './format.js';
import { html } from './html.js';
import { VirtualList } from './virtual-list.js';

const ROW = 30;

export function TraceList({ summary, filters, setFilters, go }) {
  const [data, setData] = useState({ total: 0, traces: [] });
  const [selected, setSelected] = useState(0);
  const [error, setError] = useState('');

  useEffect(() => {
    let live = true;
    getJson('/api/traces', { ...filters, limit: 5000 }).then((d) => live && (setData(d), setError('')), (e) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [JSON.stringify(filters), summary.version]);

  const set = (key) => (e) => setFilters({ ...filters, [key]: e.currentTarget.value });
  const maxDuration = data.traces.reduce((m, t) => Math.max(m, t.durationMs), 0) || 1;

  const row = (t) => html`<div class="trace-row ${t.errorCount ? 'has-error' : ''}" data-trace-id=${t.traceId} data-route=${t.route}>
    <span class="c-mark" title=${t.errorCount ? `${t.errorCount} span(s) with error status` : ''}>${t.errorCount ? '●' : ''}</span>
    <span class="c-service">${t.service}</span>
    <span class="c-name" title=${t.rootName}>${t.rootName || html`<i>(root span not received)</i>`}</span>
    <span class="c-start">${fmtDateTime(t.startMs)}</span>
    <span class="c-duration"><span class="mini-bar" style=${`width:${Math.max(1, (t.durationMs / maxDuration) * 60)}px`}></span>${fmtDuration(t.durationMs)}</span>
    <span class="c-count">${t.spanCount}</span>
  </div>`;

  return html`<section class="view traces-view" aria-label="Traces">
    <form class="filters" onSubmit=${(e) => e.preventDefault()}>
      <label>Service <select value=${filters.service ?? ''} onChange=${set('service')} name="service">
        <option value="">all</option>${summary.services.map((s) => html`<option value=${s}>${s}</option>`)}</select></label>
      <label>Route <select value=${filters.route ?? ''} onChange=${set('route')} name="route">
        <option value="">all</option>${summary.routes.map((r) => html`<option value=${r}>${r}</option>`)}</select></label>
      <label>Status <select value=${filters.status ?? ''} onChange=${set('status')} name="status">
        <option value="">all</option><option value="error">error</option><option value="ok">no error</option></select></label>
      <label>Min duration (ms) <input type="number" min="0" step="any" size="6" value=${filters.minMs ?? ''} onInput=${set('minMs')} name="minMs" /></label>
      <label class="grow">Search <input type="search" placeholder="trace id or attribute value" value=${filters.q ?? ''} onInput=${set('q')} name="q" /></label>
      <span class="count" aria-live="polite">${data.total} trace${data.total === 1 ? '' : 's'}</span>
    </form>
    ${error && html`<p class="error-text">${error}</p>`}
    <div class="trace-head" role="presentation"><span class="c-mark"></span><span class="c-service">service</span><span class="c-name">root span</span><span class="c-start">start</span><span class="c-duration">duration</span><span class="c-count">spans</span></div>
    ${data.traces.length === 0
      ? html`<p class="empty">No traces yet. Point an OpenTelemetry SDK at this viewer's OTLP receiver, or run <code>otel-instrument --view node app.js</code>.</p>`
      : html`<${VirtualList} items=${data.traces} rowHeight=${ROW} renderRow=${row} selected=${selected} onSelect=${setSelected}
          onOpen=${(i) => go(`#/trace/${data.traces[i].traceId}`)} label="Traces" testId="trace-list" />`}
  </section>`;
}
