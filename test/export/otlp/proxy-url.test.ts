// The proxy URL config resolved, as the transports use it: where to connect, the Proxy-Authorization its
// credentials make (percent-decoded, as curl does), and how warnings name it (credentials redacted).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeTarget, parseProxy } from '../../../src/export/otlp/transport/proxy-url.js';

test('credentials in the proxy URL become Basic Proxy-Authorization, percent-decoded', () => {
  assert.deepEqual(parseProxy('http://us%40er:p%3As%20s@[::1]:3128'), {
    host: '::1',
    port: 3128,
    authorization: `Basic ${Buffer.from('us@er:p:s s').toString('base64')}`,
  });
  assert.deepEqual(parseProxy('http://proxy:1080'), { host: 'proxy', port: 1080, authorization: undefined });
  assert.equal(parseProxy('http://alice@proxy:3128').authorization, `Basic ${Buffer.from('alice:').toString('base64')}`);
});

test('warnings name the collector and the proxy, credentials of both redacted', () => {
  assert.equal(describeTarget({ url: 'https://collector:4318/v1/traces' }), 'https://collector:4318/v1/traces');
  assert.equal(
    describeTarget({ url: 'https://u:p@collector:4318/v1/traces?key=k', proxy: 'http://alice:s3cret@proxy:3128' }),
    'https://collector:4318/v1/traces?key=REDACTED through the proxy http://REDACTED:REDACTED@proxy:3128',
  );
});
