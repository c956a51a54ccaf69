import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { TraceAssembler } from '../../../../src/export/console/tree/trace-assembler.js';
import { log, orderTrace, span, TRACE } from './tree-fixtures.js';

function assembler(t: TestContext, options: { withSpans?: boolean; maxHeld?: number } = {}): { add: TraceAssembler; printed: string[] } {
  if (!timersMocked.has(t)) {
    t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
    timersMocked.add(t);
  }
  const printed: string[] = [];
  const add = new TraceAssembler({ withSpans: options.withSpans ?? true, graceMs: 300, maxHoldMs: 10_000, maxHeld: options.maxHeld, write: (text) => printed.push(text) });
  return { add, printed };
}

const timersMocked = new WeakSet<TestContext>();

test('spans of one trace from two processes, the remote part first, print as one tree once the root is quiet for the grace', (t) => {
  const { add, printed } = assembler(t);
  const { spans, logs } = orderTrace();
  // The stock service's span comes first: a root of its own for now (its parent is remote).
  add.add(spans[0]!);
  t.mock.timers.tick(100);
  for (const s of spans.slice(1)) add.add(s);
  add.add(logs[0]!);
  t.mock.timers.tick(299);
  assert.deepEqual(printed, []);
  t.mock.timers.tick(1);
  assert.equal(printed.length, 1);
  assert.equal(
    printed[0],
    [
      'GET /api/orders/:id  200  12.4 ms',
      '└─ request handler - /api/orders/:id  11.9 ms',
      '   ├─ GET (client) http://127.0.0.1:41231/stock/tea  3.1 ms',
      '   │  └─ GET /stock/:sku  200  1.2 ms   [stock]',
      '   └─ log INFO  order 42 checked out',
      '',
      '',
    ].join('\n'),
  );
  assert.equal(add.hasPending(), false);
});

test('a trace whose root has not arrived is held, and printed after the longest hold with its pieces marked', (t) => {
  const { add, printed } = assembler(t);
  add.add(span({ spanId: 'b1', parentSpanId: 'a1', name: 'child', from: 1, to: 2 }));
  t.mock.timers.tick(9_999);
  assert.deepEqual(printed, []);
  t.mock.timers.tick(1);
  assert.deepEqual(printed, ['child  1.0 ms   (parent a1 not seen)\n\n']);
});

test('what comes for a trace after it was printed is printed as a fragment after the grace, not held', (t) => {
  const { add, printed } = assembler(t);
  add.add(span({ spanId: 'a1', name: 'root', from: 0, to: 1 }));
  t.mock.timers.tick(300);
  add.add(span({ spanId: 'b1', parentSpanId: 'a1', name: 'late child', from: 0.5, to: 3 }));
  t.mock.timers.tick(300);
  assert.deepEqual(printed, ['root  1.0 ms\n\n', 'late child  2.5 ms   (parent a1 printed above)\n\n']);
});

test('log records without a trace, or when no spans come to the tree, print at once as lines', (t) => {
  const { add, printed } = assembler(t, { withSpans: false });
  add.add(log({ at: 0, body: 'in a trace, but traces go elsewhere', spanId: 'a1' }));
  const withSpans = assembler(t);
  withSpans.add.add({ ...log({ at: 0, body: 'outside any trace' }), traceId: undefined });
  assert.deepEqual(printed, ['log INFO  in a trace, but traces go elsewhere   [shop]\n']);
  assert.deepEqual(withSpans.printed, ['log INFO  outside any trace   [shop]\n']);
});

test('flushAll prints every held trace at once, oldest first (the process is leaving)', (t) => {
  const { add, printed } = assembler(t);
  add.add(span({ spanId: 'b1', parentSpanId: 'a1', name: 'open root child', from: 1, to: 2 }));
  add.add({ ...span({ spanId: 'c1', name: 'other trace', from: 0, to: 1 }), traceId: 'ffffffffffffffffffffffffffffffff' });
  add.flushAll();
  assert.deepEqual(printed, ['open root child  1.0 ms   (parent a1 not seen)\n\n', 'other trace  1.0 ms\n\n']);
  assert.equal(add.hasPending(), false);
});

test('past the limit of held records the oldest trace is printed at once', (t) => {
  const { add, printed } = assembler(t, { maxHeld: 2 });
  add.add(span({ spanId: 'b1', parentSpanId: 'a1', name: 'first', from: 1, to: 2 }));
  add.add(span({ spanId: 'b2', parentSpanId: 'a1', name: 'second', from: 2, to: 3 }));
  assert.deepEqual(printed, []);
  add.add({ ...span({ spanId: 'c1', parentSpanId: 'c0', name: 'newer', from: 0, to: 1 }), traceId: 'ffffffffffffffffffffffffffffffff' });
  assert.equal(printed.length, 1);
  assert.match(printed[0]!, /^first .*\nsecond /);
  assert.equal(TRACE.length, 32);
});

test('a write that throws (stdout closed) is not the caller\'s problem', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  const add = new TraceAssembler({ withSpans: true, write: () => { throw new Error('EPIPE'); } });
  add.add(span({ spanId: 'a1', name: 'root', from: 0, to: 1 }));
  assert.doesNotThrow(() => add.flushAll());
});
