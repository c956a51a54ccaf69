// `npm run demo`, the README's first command, as a newcomer runs it: no collector, the demo shop and the
// stock service it starts, each trace printed by the launcher as one tree (the stock service's span
// nested under the shop's client call), the order's log line under its span, the failed refund, and the
// hint for the browser last. Then the same shop without the launcher (each process prints its part) and
// with the console exporter's default JSON, which the tree format leaves as it was.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FIXTURES, ROOT, httpGet, runCli, startCli, startProcess, waitFor } from '../support/run-cli.js';

const SHOP = join(FIXTURES, 'demo-shop', 'shop.js');
const DURATION = String.raw`[\d.]+ (µs|ms|s)`;
/** Colors stay off whatever the machine says: stdout is a pipe here, and FORCE_COLOR must not say otherwise. */
const NO_FORCED_COLOR = { FORCE_COLOR: undefined, NO_COLOR: undefined };

/** The lines of stdout from the first one matching `first`, as many as `patterns`. */
function block(lines: readonly string[], patterns: readonly string[]): void {
  const start = lines.findIndex((line) => new RegExp(`^${patterns[0]}$`).test(line));
  assert.notEqual(start, -1, `no line matching ${patterns[0]} in:\n${lines.join('\n')}`);
  patterns.forEach((pattern, i) => assert.match(lines[start + i] ?? '', new RegExp(`^${pattern}$`), `line ${i} of the tree in:\n${lines.join('\n')}`));
}

test('npm run demo prints each trace of the shop as a tree with the stock service nested, the log line under its span, and the browser hint last', async () => {
  const exit = await startProcess('npm', ['run', 'demo'], NO_FORCED_COLOR, ROOT).exited(30_000);
  assert.equal(exit.code, 0, exit.stderr);
  const lines = exit.stdout.split('\n');
  block(lines, [
    String.raw`GET /api/orders/:id  200  ${DURATION}`,
    String.raw`└─ request handler - /api/orders/:id  ${DURATION}`,
    String.raw`   ├─ GET \(client\) http://127\.0\.0\.1:\d+/stock/tea  ${DURATION}`,
    String.raw`   │  └─ GET /stock/:sku  200  ${DURATION}   \[stock\]`,
    String.raw`   │     └─ request handler - /stock/:sku  ${DURATION}`,
    String.raw`   └─ log INFO  order 42 checked out`,
  ]);
  block(lines, [
    String.raw`POST /api/orders/:id/refund  500  ${DURATION}  ERROR refunds are closed today`,
    String.raw`├─ request handler - /api/orders/:id/refund  ${DURATION}  ERROR refunds are closed today`,
    String.raw`│  └─ exception  Error: refunds are closed today`,
    String.raw`└─ exception  Error: refunds are closed today`,
  ]);
  // Each trace once: the launcher printed the stock service's span inside the shop's tree, not apart.
  assert.equal(lines.filter((line) => line.includes('GET /stock/:sku')).length, 1);
  assert.equal(lines.filter((line) => line.startsWith('GET /api/orders/:id')).length, 1);
  assert.equal(exit.stdout.includes('\u001b['), false, 'no colors on a pipe');
  assert.equal(
    lines.filter((line) => line !== '').at(-1),
    'The same traces, waterfalls and logs in your browser: node bin/otel-instrument --view node test/fixtures/demo-shop/shop.js --serve',
  );
  assert.match(exit.stderr, /customer: GET \/api\/orders\/42 -> HTTP\/1\.1 200 OK/);
});

test('without the launcher each process prints its own part, and the stock service\'s span says its parent is elsewhere', async () => {
  const exit = await startProcess(process.execPath, ['--require', join(ROOT, 'dist', 'src', 'bootstrap', 'register.js'), SHOP], {
    ...NO_FORCED_COLOR,
    OTEL_SERVICE_NAME: 'shop',
    OTEL_TRACES_EXPORTER: 'console',
    OTEL_LOGS_EXPORTER: 'console',
    OTEL_METRICS_EXPORTER: 'none',
    OTEL_NODE_CONSOLE_FORMAT: 'tree',
  }).exited(30_000);
  assert.equal(exit.code, 0, exit.stderr);
  const lines = exit.stdout.split('\n');
  block(lines, [
    String.raw`GET /api/orders/:id  200  ${DURATION}`,
    String.raw`└─ request handler - /api/orders/:id  ${DURATION}`,
    String.raw`   ├─ GET \(client\) http://127\.0\.0\.1:\d+/stock/tea  ${DURATION}`,
    String.raw`   └─ log INFO  order 42 checked out`,
  ]);
  block(lines, [String.raw`GET /stock/:sku  200  ${DURATION}   \(parent [0-9a-f]{8} in another process\)`, String.raw`└─ request handler - /stock/:sku  ${DURATION}`]);
});

test('--traces_exporter console keeps printing one JSON object a line by default, the stock service\'s spans included', async () => {
  const exit = await runCli(['--traces_exporter', 'console', '--logs_exporter', 'none', '--metrics_exporter', 'none', '--service_name', 'shop', 'node', SHOP], NO_FORCED_COLOR, 30_000);
  assert.equal(exit.code, 0, exit.stderr);
  const spans = exit.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { name: string; parent_id: string | null; resource: { attributes: Record<string, unknown> } });
  const stock = spans.find((span) => span.name === 'GET /stock/:sku');
  assert.equal(stock?.resource.attributes['service.name'], 'stock');
  assert.ok(spans.some((span) => span.name === 'GET /api/orders/:id' && span.parent_id === null));
  assert.equal(exit.stdout.includes('└─'), false);
});

test('a process that exits at once still gets its tree printed, under the launcher and without it', async () => {
  const script = join(FIXTURES, 'console', 'tree-exit-at-once.js');
  const env = { ...NO_FORCED_COLOR, OTEL_SERVICE_NAME: 'quick' };
  const flags = ['--traces_exporter', 'console', '--logs_exporter', 'console', '--metrics_exporter', 'none', '--console_format', 'tree'];
  const launched = await runCli([...flags, 'node', script], env);
  const alone = await startProcess(process.execPath, ['--require', join(ROOT, 'dist', 'src', 'bootstrap', 'register.js'), script], {
    ...env,
    OTEL_TRACES_EXPORTER: 'console',
    OTEL_LOGS_EXPORTER: 'console',
    OTEL_METRICS_EXPORTER: 'none',
    OTEL_NODE_CONSOLE_FORMAT: 'tree',
  }).exited();
  for (const exit of [launched, alone]) {
    assert.equal(exit.code, 3, exit.stderr);
    const lines = exit.stdout.split('\n');
    // Outside any span: a line of its own, at once. Inside the call's callback: under nothing either
    // (the span has ended), but in the trace.
    assert.ok(lines.includes('log INFO  calling a port nobody listens on   [quick]'), exit.stdout);
    block(lines, [String.raw`GET \(client\) http://127\.0\.0\.1:1/nothing  ${DURATION}  ERROR connect ECONNREFUSED 127\.0\.0\.1:1`]);
    assert.match(exit.stdout, /log WARN  the call failed/);
  }
});

test('a running service gets each trace printed once it is complete, while it keeps serving', async () => {
  const flags = ['--service_name', 'shop', '--traces_exporter', 'console', '--logs_exporter', 'console', '--metrics_exporter', 'none', '--console_format', 'tree'];
  const shop = startCli([...flags, 'node', SHOP, '--serve'], NO_FORCED_COLOR);
  try {
    const [, port] = await waitFor(() => /serving until Ctrl-C: try http:\/\/127\.0\.0\.1:(\d+)\//.exec(shop.stderr()) ?? undefined, 'the shop serving');
    await shop.waitForLine(/^└─ exception {2}Error: refunds are closed today$/m);
    const response = await httpGet(`http://127.0.0.1:${port}/api/orders/7`);
    assert.equal(response.status, 200);
    // Printed by the grace after its root, not at exit: the shop is still up.
    await shop.waitForLine(/^ {3}└─ log INFO {2}order 7 checked out$/m);
    assert.equal(shop.child.exitCode, null);
    const lines = shop.stdout().split('\n');
    assert.equal(lines.filter((line) => /GET \/stock\/:sku {2}200 .*\[stock\]$/.test(line)).length, 2, shop.stdout());
  } finally {
    shop.child.kill('SIGINT');
    await shop.exited();
  }
});
