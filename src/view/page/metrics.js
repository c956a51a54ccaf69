// Metrics: per route request rate, error rate and latency percentiles (http.server.request.duration), the
// same per database operation (db.client.operation.duration), and runtime metrics as small charts.

import { useEffect, useState } from 'preact/hooks';
import { getJson } from './api.js';
import { Chart } from './chart.js';
import { html } from './html.js';

function LatencyGroup({ group, kind }) {
  const t = group.points.map((p) => p.t);
  const one = group.points.length === 1 ? ' (one interval so far)' : '';
  return html`<article class="metric-group" data-testid=${`${kind}-series`} data-key=${group.key}>
    <h3>${group.key} <span class="muted">${group.total} ${kind === 'http' ? 'requests' : 'operations'}${one}</span></h3>
    <div class="charts">
      <${Chart} title="rate (per second)" unit="/s" times=${t} series=${[{ label: 'rate', values: group.points.map((p) => p.rate) }]} testId=${`${kind}-rate`} />
      <${Chart} title="errors (%)" unit="%" times=${t} series=${[{ label: 'errors', values: group.points.map((p) => p.errorRate * 100) }]} testId=${`${kind}-errors`} />
      <${Chart} title="latency (ms)" unit="ms" times=${t} testId=${`${kind}-latency`}
        series=${['p50', 'p95', 'p99'].map((q) => ({ label: q, values: group.points.map((p) => p[q]) }))} />
    </div>
  </article>`;
}

export function Metrics({ summary, filters, setFilters }) {
  const [data, setData] = useState(null);
  const services = summary.metricServices;
  const service = filters.service || services[0] || '';
  useEffect(() => {
    let live = true;
    getJson('/api/metrics', { service }).then((d) => live && setData(d));
    return () => {
      live = false;
    };
  }, [service, summary.version]);

  return html`<section class="view metrics-view" aria-label="Metrics">
    <form class="filters" onSubmit=${(e) => e.preventDefault()}>
      <label>Service <select name="service" value=${service} onChange=${(e) => setFilters({ ...filters, service: e.currentTarget.value })}>
        ${services.map((s) => html`<option value=${s}>${s}</option>`)}</select></label>
      <span class="muted">rates and percentiles per export interval, from the histograms' buckets</span>
    </form>
    ${!data
      ? html`<p class="muted">loading…</p>`
      : html`<div class="metrics-scroll">
      <h2>HTTP server</h2>
      ${data.http.length ? data.http.map((g) => html`<${LatencyGroup} group=${g} kind="http" />`) : html`<p class="empty">No http.server.request.duration yet (metrics arrive every export interval).</p>`}
      ${data.db.length > 0 && html`<h2>Database operations</h2>${data.db.map((g) => html`<${LatencyGroup} group=${g} kind="db" />`)}`}
      <h2>Runtime</h2>
      ${data.runtime.length
        ? html`<div class="charts small">${data.runtime.map((r) => html`<${Chart} title=${`${r.name} (${r.unit})`} unit=${r.unit} height=${110}
            times=${r.points.map((p) => p.t)} series=${[{ label: r.name, values: r.points.map((p) => p.v) }]} testId="runtime-chart" />`)}</div>`
        : html`<p class="empty">No runtime metrics yet.</p>`}
    </div>`}
  </section>`;
}
