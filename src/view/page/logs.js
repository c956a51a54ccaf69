// All log records, newest first: filter by lowest severity and text; each linked to its trace when it has one.

import { useEffect, useState } from 'preact/hooks';
import { getJson } from './api.js';
import { bodyText, fmtDateTime, severityClass, severityName } from './format.js';
import { html } from './html.js';
import { VirtualList } from './virtual-list.js';

const ROW = 26;
const LEVELS = [['', 'all'], ['5', 'debug+'], ['9', 'info+'], ['13', 'warn+'], ['17', 'error+']];

export function Logs({ summary, filters, setFilters, go }) {
  const [data, setData] = useState({ total: 0, logs: [] });
  const [selected, setSelected] = useState(0);
  // Text filtering waits for a pause in typing: a search over 200,000 records is not per keystroke.
  const [q, setQ] = useState(filters.q ?? '');
  useEffect(() => {
    const t = setTimeout(() => q !== (filters.q ?? '') && setFilters({ ...filters, q }), 250);
    return () => clearTimeout(t);
  }, [q]);

  useEffect(() => {
    let live = true;
    getJson('/api/logs', { ...filters, limit: 50000 }).then((d) => live && setData(d));
    return () => {
      live = false;
    };
  }, [JSON.stringify(filters), summary.version]);

  const row = (l) => html`<div class="log-row" data-seq=${l.seq}>
    <span class="c-time">${fmtDateTime(l.timeMs)}</span>
    <span class=${`sev ${severityClass(l.severityNumber)}`}>${severityName(l.severityNumber, l.severityText)}</span>
    <span class="c-service">${l.service}</span>
    <span class="log-text" title=${bodyText(l.body)}>${bodyText(l.body)}</span>
    ${l.traceId ? html`<a class="c-link" href=${`#/trace/${l.traceId}`} onClick=${(e) => e.stopPropagation()}>trace</a>` : html`<span class="c-link"></span>`}
  </div>`;

  return html`<section class="view logs-view" aria-label="Logs">
    <form class="filters" onSubmit=${(e) => e.preventDefault()}>
      <label>Severity <select name="minSeverity" value=${filters.minSeverity ?? ''} onChange=${(e) => setFilters({ ...filters, minSeverity: e.currentTarget.value })}>
        ${LEVELS.map(([v, label]) => html`<option value=${v}>${label}</option>`)}</select></label>
      <label>Service <select name="service" value=${filters.service ?? ''} onChange=${(e) => setFilters({ ...filters, service: e.currentTarget.value })}>
        <option value="">all</option>${summary.logServices.map((s) => html`<option value=${s}>${s}</option>`)}</select></label>
      <label class="grow">Text <input type="search" name="q" placeholder="in body or attributes" value=${q} onInput=${(e) => setQ(e.currentTarget.value)} /></label>
      <span class="count" aria-live="polite">${data.logs.length} of ${data.total}</span>
    </form>
    ${data.logs.length === 0
      ? html`<p class="empty">No log records${filters.q || filters.minSeverity ? ' match' : ' yet'}.</p>`
      : html`<${VirtualList} items=${data.logs} rowHeight=${ROW} renderRow=${row} selected=${selected} onSelect=${setSelected} label="Log records" testId="log-list"
          onOpen=${(i, how) => how === 'key' && data.logs[i].traceId && go(`#/trace/${data.logs[i].traceId}`)} />`}
  </section>`;
}
