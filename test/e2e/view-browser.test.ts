// `otel-instrument --view node shop.js` end to end, in a real browser: Debian's Chromium driven by
// playwright-core. The launcher hosts the viewer, the express fixture (test/fixtures/view/shop.js) exports
// to it; the page must list the request's trace by route, draw its waterfall with the client span and the
// downstream server span nested under it, show a span's attributes on click, the handler's log line under
// its span, and request metrics with points. Screenshots go to test-artifacts/view/ (gitignored).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { findOnPath, skipWithout } from '../support/debian-program.js';
import { FIXTURES, ROOT, startCli } from '../support/run-cli.js';

const ARTIFACTS = join(ROOT, 'test-artifacts', 'view');
const CHROMIUM = findOnPath('chromium') ?? '/usr/bin/chromium';

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function get(url: string): Promise<number> {
  const res = await fetch(url);
  await res.arrayBuffer();
  return res.status;
}

async function spanRow(page: Page, name: string) {
  const row = page.locator(`.wf-row[data-name="${name}"]`).first();
  await row.waitFor({ timeout: 15_000 });
  return {
    row,
    id: (await row.getAttribute('data-span-id'))!,
    parent: (await row.getAttribute('data-parent-id'))!,
    depth: Number(await row.getAttribute('data-depth')),
  };
}

test('--view: the trace of an express request is found by route, its waterfall nests client and downstream spans with the log line under its span, and request metrics have points', { skip: skipWithout('chromium'), timeout: 90_000 }, async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const cli = startCli(['--view', '--view_port', '0', '--service_name', 'shop', 'node', join(FIXTURES, 'view', 'shop.js')], { OTEL_METRIC_EXPORT_INTERVAL: '1000' });
  let browser: Browser | undefined;
  try {
    const pageUrl = await waitFor('the viewer URL on stderr', () => /viewer at (http:\/\/\S+)/.exec(cli.stderr())?.[1]);
    assert.equal(cli.stderr().match(/viewer at/g)?.length, 1, 'the URL is printed once');
    const port = (await cli.waitForLine(/listening (\d+)/))[1];
    for (let i = 0; i < 3; i++) assert.equal(await get(`http://127.0.0.1:${port}/api/orders/42`), 200);
    assert.equal(await get(`http://127.0.0.1:${port}/api/fail`), 500);

    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(pageUrl);

    // The trace list: found by its route; the failed request carries the error mark.
    const orderRow = page.locator('.trace-row[data-route="/api/orders/:id"]').first();
    await orderRow.waitFor({ timeout: 20_000 });
    await page.locator('.trace-row.has-error[data-route="/api/fail"]').first().waitFor({ timeout: 20_000 });
    assert.match(await orderRow.innerText(), /GET \/api\/orders\/:id/);
    assert.match(await orderRow.innerText(), /shop/);
    await page.screenshot({ path: join(ARTIFACTS, 'trace-list.png') });
    // The route filter keeps only that route.
    await page.selectOption('select[name=route]', '/api/orders/:id');
    await page.waitForFunction(() => [...document.querySelectorAll('.trace-row')].every((r) => r.getAttribute('data-route') === '/api/orders/:id'));

    // The waterfall: server span at the top, the outgoing client span under it, the /stock server span under that.
    await orderRow.click();
    await page.locator('[data-testid=waterfall]').waitFor();
    const server = await spanRow(page, 'GET /api/orders/:id');
    const stock = await spanRow(page, 'GET /stock/:sku');
    assert.equal(server.depth, 0);
    assert.equal(server.parent, '');
    // Every drawn span: id -> [parent, depth]; express's handler span may sit between server and client.
    const drawn = new Map(
      await page.$$eval('.wf-row[data-span-id]', (rows) =>
        rows.map((r) => [r.getAttribute('data-span-id')!, [r.getAttribute('data-parent-id')!, Number(r.getAttribute('data-depth')), r.getAttribute('data-name')!]] as const),
      ),
    );
    const client = drawn.get(stock.parent);
    assert.ok(client, 'the downstream server span is drawn under a span of this trace');
    assert.equal(client[2], 'GET', 'the downstream server span is a child of the client span');
    assert.equal(stock.depth, client[1] + 1);
    const ancestors: string[] = [];
    for (let id = client[0]; id !== '' && drawn.has(id); id = drawn.get(id)![0]) ancestors.push(id);
    assert.equal(ancestors[ancestors.length - 1], server.id, 'the client span descends from the server span');
    assert.equal(client[1], ancestors.length, 'each span is drawn one level below its parent');

    // The handler's log line, inline right under the span it was written in.
    const log = page.locator('.wf-log', { hasText: 'order 42 checked out' }).first();
    await log.waitFor({ timeout: 15_000 });
    // Written in the handler's callback: under the server span or a span below it (express's handler span).
    const under = (await log.getAttribute('data-log-under'))!;
    const owner = under === server.id ? [server.parent, server.depth, 'GET /api/orders/:id'] as const : drawn.get(under);
    assert.ok(owner, `the log line is under a span of the trace (${under})`);
    assert.ok(under === server.id || drawn.get(under)![0] === server.id, `the log line is under the server span or its handler span, not ${owner[2]}`);
    assert.equal(Number(await log.getAttribute('data-depth')), owner[1] + 1);
    assert.match(await log.innerText(), /INFO/);

    // A click shows the span's attributes.
    await server.row.click();
    const detail = page.locator(`[data-testid=span-detail][data-span-id="${server.id}"]`);
    await detail.waitFor();
    const route = detail.locator('tr', { has: page.locator('th', { hasText: /^http\.route$/ }) });
    assert.equal(await route.locator('td').innerText(), '/api/orders/:id');
    assert.match(await detail.innerText(), /service\.name\s+shop/);
    await page.screenshot({ path: join(ARTIFACTS, 'waterfall.png') });

    // Keyboard: Down moves the selection to the next row and its detail follows.
    await page.locator('[data-testid=waterfall]').focus();
    await page.keyboard.press('ArrowDown');
    await page.waitForFunction((id) => {
      const shown = document.querySelector('[data-testid=span-detail]');
      return shown !== null && shown.getAttribute('data-span-id') !== id;
    }, server.id);
    const rowCount = drawn.size + 1;
    for (let i = 0; i < rowCount && (await page.locator('[data-testid=log-detail]').count()) === 0; i++) await page.keyboard.press('ArrowDown');
    assert.match(await page.locator('[data-testid=log-detail]').innerText(), /order 42 checked out/);

    // Logs view: the record links to its trace.
    await page.goto(`${pageUrl}#/logs`);
    const logRow = page.locator('.log-row', { hasText: 'order 42 checked out' }).first();
    await logRow.waitFor();
    assert.match((await logRow.locator('a.c-link').getAttribute('href')) ?? '', /^#\/trace\/[0-9a-f]{32}$/);

    // Metrics: the route's request rate chart has points (exports every second here).
    await page.goto(`${pageUrl}#/metrics`);
    const rate = page.locator('[data-testid=http-series][data-key="GET /api/orders/:id"] [data-testid=http-rate]');
    await rate.waitFor({ timeout: 20_000 });
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid=http-series][data-key="GET /api/orders/:id"] [data-testid=http-rate]')?.getAttribute('data-points')) >= 1,
      undefined,
      { timeout: 20_000 },
    );
    assert.ok((await page.locator('[data-testid=runtime-chart]').count()) >= 1, 'runtime charts are drawn');
    await page.screenshot({ path: join(ARTIFACTS, 'metrics.png'), fullPage: true });
    assert.deepEqual(pageErrors, []);
  } finally {
    await browser?.close();
    cli.child.kill('SIGINT');
  }
  const exit = await cli.exited();
  assert.equal(exit.signal ?? exit.code, 'SIGINT', `ended by the Ctrl-C: ${exit.stderr}`);
});
