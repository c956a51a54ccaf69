import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Guard } from '../../src/hook/guard.js';

test('a guarded subscriber runs while the instrumentation is on; its first throw turns it off without reaching the publisher', () => {
  const guard = new Guard('test');
  const seen: unknown[] = [];
  const subscriber = guard.subscriber((message: { n: number }) => {
    seen.push(message.n);
    if (message.n === 2) throw new Error('ours');
  });
  subscriber({ n: 1 });
  assert.doesNotThrow(() => subscriber({ n: 2 }));
  assert.equal(guard.enabled, false);
  subscriber({ n: 3 });
  assert.deepEqual(seen, [1, 2]);
});
