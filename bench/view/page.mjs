// The viewer page's cost: the size of the bundle the package ships, and, in Debian's Chromium
// (playwright-core), the time from opening a 10,000-span trace (with 2,000 log records) to its waterfall
// drawn, and from opening the logs view to 50,000 records listed; then a scroll through each.
// Run after `npm run build`: node bench/view/page.mjs [rounds]

import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { chromium } = require('playwright-core');
const { startViewer } = require(join(ROOT, 'dist/src/view/viewer.js'));
const PAGE = join(ROOT, 'dist/src/view/page');
const ROUNDS = Number(process.argv[2] ?? 5);

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
for (const name of ['app.js', 'app.css', 'index.html']) {
  const bytes = readFileSync(join(PAGE, name));
  console.log(`bundle ${name.padEnd(10)} ${kb(bytes.length).padStart(9)}  gzip ${kb(gzipSync(bytes).length).padStart(8)}`);
}

// A deterministic random tree: each span's parent is one of the spans before it.
let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const b64 = (hex) => Buffer.from(hex, 'hex').toString('base64');
const TRACE = 'aa'.repeat(16);
const spanId = (i) => (i + 1).toString(16).padStart(16, '0');
const T0 = 1_700_000_000_000_000_000n;
const spans = [];
for (let i = 0; i < 10_000; i++) {
  const parent = i === 0 ? undefined : Math.floor(rand() * Math.min(i, 400)) + Math.max(0, i - 400);
  const start = T0 + BigInt(i) * 10_000n;
  spans.push({
    traceId: b64(TRACE), spanId: b64(spanId(i)), parentSpanId: parent === undefined ? undefined : b64(spanId(parent)),
    name: i === 0 ? 'GET /big/:id' : `op ${i % 50}`, kind: i === 0 ? 2 : 1 + (i % 3),
    startTimeUnixNano: String(start), endTimeUnixNano: String(start + BigInt(Math.floor(rand() * 5_000_000))),
    attributes: [{ key: 'i', value: { intValue: String(i) } }, { key: 'http.route', value: { stringValue: '/big/:id' } }],
  });
}
const resource = { attributes: [{ key: 'service.name', value: { stringValue: 'bench' } }] };
const logsOf = (n, withTrace) => Array.from({ length: n }, (_, i) => ({
  timeUnixNano: String(T0 + BigInt(i) * 1000n), severityNumber: [5, 9, 13, 17][i % 4], body: { stringValue: `record ${i} of the bench` },
  ...(withTrace ? { traceId: b64(TRACE), spanId: b64(spanId(i * 5)) } : {}),
}));

const viewer = await startViewer({ grpcPort: 0, httpPort: 0, pagePort: 0, maxSpans: 100_000, maxLogs: 100_000 });
viewer.store.ingest('traces', { resourceSpans: [{ resource, scopeSpans: [{ scope: { name: 'bench' }, spans }] }] });
viewer.store.ingest('logs', { resourceLogs: [{ resource, scopeLogs: [{ logRecords: logsOf(2_000, true) }] }] });
viewer.store.ingest('logs', { resourceLogs: [{ resource, scopeLogs: [{ logRecords: logsOf(48_000, false) }] }] });

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
await page.goto(`${viewer.pageUrl}#/traces`);
await page.locator('.trace-row').first().waitFor();

/** ms from setting the hash to `selector` present, measured in the page. */
async function open(hash, selector) {
  await page.evaluate(() => (location.hash = '#/metrics'));
  await page.locator('.metrics-view').waitFor();
  return page.evaluate(
    ([h, sel]) =>
      new Promise((resolve) => {
        const t0 = performance.now();
        location.hash = h;
        const check = () => (document.querySelector(sel) ? requestAnimationFrame(() => resolve(performance.now() - t0)) : setTimeout(check, 1));
        check();
      }),
    [hash, selector],
  );
}

/** ms per frame while scrolling the list from top to bottom in 60 steps. */
async function scroll(testId) {
  return page.evaluate(
    (id) =>
      new Promise((resolve) => {
        const el = document.querySelector(`[data-testid=${id}]`);
        let step = 0;
        const t0 = performance.now();
        const next = () => {
          el.scrollTop = (el.scrollHeight * step) / 60;
          el.dispatchEvent(new Event('scroll'));
          if (++step > 60) return resolve((performance.now() - t0) / 61);
          requestAnimationFrame(next);
        };
        next();
      }),
    testId,
  );
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = { trace: [], traceScroll: [], logs: [], logsScroll: [] };
for (let r = 0; r < ROUNDS; r++) {
  results.trace.push(await open(`#/trace/${TRACE}`, '[data-testid=waterfall] .wf-row'));
  results.traceScroll.push(await scroll('waterfall'));
  results.logs.push(await open('#/logs', '[data-testid=log-list] .log-row'));
  results.logsScroll.push(await scroll('log-list'));
}
const rows = await page.evaluate(() => document.querySelector('[data-testid=log-list]').getAttribute('aria-rowcount'));
console.log(`open a 10,000-span trace (+2,000 logs) to waterfall drawn: median ${median(results.trace).toFixed(0)} ms  (${results.trace.map((x) => x.toFixed(0)).join(', ')})`);
console.log(`scroll its waterfall: median ${median(results.traceScroll).toFixed(1)} ms per frame`);
console.log(`open the logs view to ${rows} records listed: median ${median(results.logs).toFixed(0)} ms  (${results.logs.map((x) => x.toFixed(0)).join(', ')})`);
console.log(`scroll the logs: median ${median(results.logsScroll).toFixed(1)} ms per frame`);
await browser.close();
await viewer.close();
