import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderLogLine, renderTraceTree } from '../../../../src/export/console/tree/render-trace-tree.js';
import { PLAIN } from '../../../../src/export/console/tree/terminal-style.js';
import { log, orderTrace, span } from './tree-fixtures.js';

test('a trace prints as a tree: children under parents, durations, the other service named, the log under its span', () => {
  const { spans, logs } = orderTrace();
  assert.deepEqual(renderTraceTree(spans, logs, PLAIN), [
    'GET /api/orders/:id  200  12.4 ms',
    '└─ request handler - /api/orders/:id  11.9 ms',
    '   ├─ GET (client) http://127.0.0.1:41231/stock/tea  3.1 ms',
    '   │  └─ GET /stock/:sku  200  1.2 ms   [stock]',
    '   └─ log INFO  order 42 checked out',
  ]);
});

test('siblings are ordered by start time, whatever order they arrived in, with log records among them', () => {
  const spans = [
    span({ spanId: 'a1', name: 'root', from: 0, to: 10 }),
    span({ spanId: 'a4', parentSpanId: 'a1', name: 'third', from: 6, to: 7 }),
    span({ spanId: 'a2', parentSpanId: 'a1', name: 'first', from: 1, to: 2 }),
    span({ spanId: 'a3', parentSpanId: 'a1', name: 'second', from: 3, to: 4 }),
  ];
  const logs = [log({ spanId: 'a1', at: 5, body: 'between second and third' }), log({ spanId: 'a1', at: 0.5, body: 'before first' })];
  const names = renderTraceTree(spans, logs, PLAIN).map((line) => line.replace(/^[│├└─ ]+/, '').replace(/  [\d.]+ (µs|ms)$/, ''));
  assert.deepEqual(names, ['root', 'log INFO  before first', 'first', 'second', 'log INFO  between second and third', 'third']);
});

test('a span whose parent was never seen starts a tree of its own and says so; its children stay under it', () => {
  const spans = [
    span({ spanId: 'a1', name: 'GET /a', kind: 1, from: 0, to: 5 }),
    span({ spanId: 'b1', parentSpanId: 'ffffffff00000000', name: 'orphan', from: 1, to: 2 }),
    span({ spanId: 'b2', parentSpanId: 'b1', name: 'child of orphan', from: 1.2, to: 1.4 }),
  ];
  assert.deepEqual(renderTraceTree(spans, [], PLAIN), [
    'GET /a  5.0 ms',
    'orphan  1.0 ms   (parent ffffffff not seen)',
    '└─ child of orphan  0.2 ms',
  ]);
});

test('a span whose parent is in another process we did not hear from says where its parent is', () => {
  const { spans } = orderTrace();
  const stockOnly = spans.filter((s) => s.service === 'stock');
  assert.deepEqual(renderTraceTree(stockOnly, [], PLAIN), ['GET /stock/:sku  200  1.2 ms   (parent c0000000 in another process)']);
});

test('a log record whose span is not in the trace is shown at the top, in time order', () => {
  const spans = [span({ spanId: 'a1', name: 'root', from: 0, to: 3 })];
  const logs = [log({ spanId: '9999999999999999', at: 5, body: 'after the root', service: 'worker' })];
  assert.deepEqual(renderTraceTree(spans, logs, PLAIN), ['root  3.0 ms', 'log INFO  after the root   [worker]']);
});

test('errors show the status description, and exception events sit under their span', () => {
  const spans = [
    span({
      spanId: 'a1',
      name: 'POST /api/orders/:id/refund',
      kind: 1,
      httpStatus: 500,
      status: 2,
      errorType: '500',
      from: 0,
      to: 2,
      events: [{ name: 'exception', time: [1_700_000_000, 1_000_000], text: 'Error: refunds are closed today' }],
    }),
    span({ spanId: 'a2', parentSpanId: 'a1', name: 'GET', kind: 2, status: 2, errorType: 'ECONNREFUSED', from: 0.2, to: 0.5 }),
  ];
  assert.deepEqual(renderTraceTree(spans, [], PLAIN), [
    'POST /api/orders/:id/refund  500  2.0 ms  ERROR',
    '├─ GET (client)  0.3 ms  ERROR ECONNREFUSED',
    '└─ exception  Error: refunds are closed today',
  ]);
});

test('control characters from names and log bodies never reach the terminal, and a multi-line body shows its first line', () => {
  const spans = [span({ spanId: 'a1', name: 'evil\u001b[2Jname', from: 0, to: 1 })];
  const logs = [log({ spanId: 'a1', at: 0.5, body: 'first line\nsecond line' })];
  const lines = renderTraceTree(spans, logs, PLAIN);
  assert.equal(lines.join('\n').includes('\u001b'), false);
  assert.deepEqual(lines, ['evil [2Jname  1.0 ms', '└─ log INFO  first line …']);
});

test('with a terminal width, long URLs and bodies are cut so each line fits; without one nothing is cut', () => {
  const url = `http://127.0.0.1:8080/${'x'.repeat(300)}`;
  const spans = [
    span({ spanId: 'a1', name: 'root', from: 0, to: 1 }),
    span({ spanId: 'a2', parentSpanId: 'a1', name: 'GET', kind: 2, target: url, from: 0.1, to: 0.2 }),
  ];
  const logs = [log({ spanId: 'a1', at: 0.5, body: 'y'.repeat(300) })];
  const narrow = renderTraceTree(spans, logs, { color: false, width: 60 });
  for (const line of narrow) assert.ok(line.length <= 60, `${line.length}: ${line}`);
  assert.match(narrow[1]!, /^├─ GET \(client\) http:\/\/127\.0\.0\.1:8080\/x+…  0.1 ms$/);
  const wide = renderTraceTree(spans, logs, { color: false, width: undefined });
  assert.ok(wide[2]!.endsWith('y'.repeat(300)));
  // A URL is cut at 100 characters even then: the tree is for reading.
  assert.ok(wide[1]!.length < 140);
});

test('colors are ANSI sequences only when the style asks for them', () => {
  const { spans, logs } = orderTrace();
  const colored = renderTraceTree(spans, logs, { color: true, width: undefined });
  assert.match(colored[0]!, /\u001b\[1mGET \/api\/orders\/:id\u001b\[22m/);
  assert.equal(colored.map((line) => line.replace(/\u001b\[\d+m/g, '')).join('\n'), renderTraceTree(spans, logs, PLAIN).join('\n'));
});

test('a span twice (a batch sent again) shows once, and a parent cycle loses no span', () => {
  const spans = [
    span({ spanId: 'a1', name: 'root', from: 0, to: 1 }),
    span({ spanId: 'a1', name: 'root', from: 0, to: 1 }),
    span({ spanId: 'c1', parentSpanId: 'c2', name: 'loop one', from: 0.1, to: 0.2 }),
    span({ spanId: 'c2', parentSpanId: 'c1', name: 'loop two', from: 0.3, to: 0.4 }),
  ];
  const lines = renderTraceTree(spans, [], PLAIN);
  assert.equal(lines.filter((line) => line.startsWith('root')).length, 1);
  assert.ok(lines.some((line) => line.includes('loop one')));
  assert.ok(lines.some((line) => line.includes('loop two')));
});

test('a log record outside any trace is one line that names its service', () => {
  assert.equal(renderLogLine(log({ at: 0, body: 'listening on 3000', severity: 'WARN' }), PLAIN), 'log WARN  listening on 3000   [shop]');
});
