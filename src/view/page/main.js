// The viewer page: traces, one trace's waterfall, logs and metrics, routed by the URL's hash
// (#/traces, #/trace/<id>, #/logs, #/metrics). Polls /api/summary; views reload when its version moves.
// Keys: t, l, m switch views; / focuses the search; Esc goes back to the list.

import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { getJson } from './api.js';
import { html } from './html.js';
import { Logs } from './logs.js';
import { Metrics } from './metrics.js';
import { TraceList } from './trace-list.js';
import { Waterfall } from './waterfall.js';

const POLL_MS = 2000;
const EMPTY = { services: [], routes: [], logServices: [], metricServices: [], spans: 0, traces: 0, logs: 0, version: -1 };

function useHash() {
  const [hash, setHash] = useState(location.hash || '#/traces');
  useEffect(() => {
    const on = () => setHash(location.hash || '#/traces');
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return hash;
}

const go = (hash) => {
  location.hash = hash;
};

function App() {
  const hash = useHash();
  const [summary, setSummary] = useState(EMPTY);
  const [offline, setOffline] = useState(false);
  const [filters, setFilters] = useState({ traces: {}, logs: {}, metrics: {} });

  useEffect(() => {
    let timer;
    const poll = () =>
      getJson('/api/summary').then(
        (s) => {
          setOffline(false);
          setSummary((old) => (old.version === s.version ? old : s));
        },
        () => setOffline(true),
      ).finally(() => (timer = setTimeout(poll, POLL_MS)));
    poll();
    return () => clearTimeout(timer);
  }, []);

  useEffect(() => {
    const onKey = (e) => {
      if (e.target.closest?.('input, select, textarea') || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === 't') go('#/traces');
      else if (e.key === 'l') go('#/logs');
      else if (e.key === 'm') go('#/metrics');
      else if (e.key === 'Escape' && location.hash.startsWith('#/trace/')) history.length > 1 ? history.back() : go('#/traces');
      else if (e.key === '/') {
        const search = document.querySelector('input[type=search]');
        if (search) (e.preventDefault(), search.focus());
      }
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, []);

  const view = hash.startsWith('#/trace/') ? 'trace' : hash.startsWith('#/logs') ? 'logs' : hash.startsWith('#/metrics') ? 'metrics' : 'traces';
  const bind = (name) => ({ summary, filters: filters[name], setFilters: (f) => setFilters({ ...filters, [name]: f }), go });
  const tab = (name, label, key) =>
    html`<a href=${`#/${name}`} class=${view === name || (name === 'traces' && view === 'trace') ? 'active' : ''} aria-current=${view === name ? 'page' : undefined}
      title=${`${label} (${key})`}>${label}</a>`;

  return html`<div class="shell">
    <header class="top">
      <span class="brand">otel-instrument <b>view</b></span>
      <nav aria-label="Views">${tab('traces', 'Traces', 't')}${tab('logs', 'Logs', 'l')}${tab('metrics', 'Metrics', 'm')}</nav>
      <span class="stats muted" aria-live="polite">${offline ? html`<span class="error-text">viewer not reachable</span>` : `${summary.traces} traces · ${summary.spans} spans · ${summary.logs} logs`}</span>
    </header>
    <main>
      ${view === 'trace' && html`<${Waterfall} traceId=${hash.slice('#/trace/'.length)} version=${summary.version} />`}
      ${view === 'traces' && html`<${TraceList} ...${bind('traces')} />`}
      ${view === 'logs' && html`<${Logs} ...${bind('logs')} />`}
      ${view === 'metrics' && html`<${Metrics} ...${bind('metrics')} />`}
    </main>
  </div>`;
}

render(html`<${App} />`, document.getElementById('app'));
