import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createContextKey, context as apiContext, trace } from '@opentelemetry/api';
import { ROOT_CONTEXT } from '../../src/context/context.js';
import { activeContext, contextManager, runWithContext } from '../../src/context/als-context-manager.js';
import { isSuppressed, runSuppressed } from '../../src/context/suppress.js';

const A = createContextKey('a');
const B = createContextKey('b');

test('setValue returns a new context and leaves the old one unchanged', () => {
  const one = ROOT_CONTEXT.setValue(A, 1);
  const two = one.setValue(A, 2).setValue(B, 'b');
  assert.equal(ROOT_CONTEXT.getValue(A), undefined);
  assert.equal(one.getValue(A), 1);
  assert.equal(two.getValue(A), 2);
  assert.equal(two.getValue(B), 'b');
});

test('deleteValue hides the value in the new context only', () => {
  const one = ROOT_CONTEXT.setValue(A, 1);
  const deleted = one.deleteValue(A);
  assert.equal(deleted.getValue(A), undefined);
  assert.equal(one.getValue(A), 1);
});

test('the active context follows async work started inside runWithContext', async () => {
  const ctx = ROOT_CONTEXT.setValue(A, 'request');
  const seen = await runWithContext(ctx, () => new Promise((resolve) => setTimeout(() => resolve(activeContext().getValue(A)), 1)));
  assert.equal(seen, 'request');
  assert.equal(activeContext().getValue(A), undefined);
});

test('with() passes this and arguments through', () => {
  const target = { factor: 3 };
  const result = contextManager.with(ROOT_CONTEXT.setValue(A, 1), function (this: typeof target, x: number) {
    return this.factor * x + (activeContext().getValue(A) as number);
  }, target, 2);
  assert.equal(result, 7);
});

test('bind() keeps the context of the bind for later calls and keeps the arity', () => {
  const bound = contextManager.bind(ROOT_CONTEXT.setValue(A, 'bound'), (x: number, y: number) => `${activeContext().getValue(A)}:${x + y}`);
  assert.equal(bound.length, 2);
  assert.equal(bound(1, 2), 'bound:3');
});

test('runSuppressed marks the active context as suppressed only inside', () => {
  assert.equal(isSuppressed(), false);
  assert.equal(runSuppressed(() => isSuppressed()), true);
});

test('contexts interoperate with the API span helpers', () => {
  const span = trace.wrapSpanContext({ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1 });
  const ctx = trace.setSpan(ROOT_CONTEXT, span);
  assert.equal(trace.getSpan(ctx), span);
  assert.equal(apiContext.active !== undefined, true);
});
