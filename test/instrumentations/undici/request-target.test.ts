import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildUrlFull } from '../../../instrumentations/http/semconv.js';
import { describeRequest } from '../../../instrumentations/undici/request-target.js';

test('an origin and path give method, address, port and url.full', () => {
  assert.deepEqual(describeRequest('http://127.0.0.1:3000', 'GET', '/a/b?c=d'), {
    method: 'GET',
    rawMethod: 'GET',
    address: '127.0.0.1',
    port: 3000,
    url: 'http://127.0.0.1:3000/a/b?c=d',
  });
});

test('the port defaults by scheme and is left out of url.full', () => {
  const https = describeRequest('https://example.com', 'POST', '/x')!;
  assert.equal(https.port, 443);
  assert.equal(https.url, 'https://example.com/x');
  const http = describeRequest('http://example.com:80', 'GET', '/')!;
  assert.equal(http.port, 80);
  assert.equal(http.url, 'http://example.com/');
});

test('an IPv6 server address has no brackets, url.full keeps them', () => {
  const target = describeRequest('http://[::1]:8080', 'GET', '/')!;
  assert.equal(target.address, '::1');
  assert.equal(target.port, 8080);
  assert.equal(target.url, 'http://[::1]:8080/');
});

test('credentials in the origin are replaced by REDACTED and sensitive query values are redacted', () => {
  const target = describeRequest('https://user:secret@example.com', 'GET', '/file?X-Amz-Signature=abc&sig=d&keep=1')!;
  assert.equal(target.url, 'https://REDACTED:REDACTED@example.com/file?X-Amz-Signature=REDACTED&sig=REDACTED&keep=1');
  assert.doesNotMatch(target.url, /secret|user/);
});

test('an unknown method is _OTHER with the original kept, a lower-case known one is normalised', () => {
  const other = describeRequest('http://h', 'FOO', '/')!;
  assert.equal(other.method, '_OTHER');
  assert.equal(other.rawMethod, 'FOO');
  assert.equal(describeRequest('http://h', 'post', '/')!.method, 'POST');
});

test('a missing method or path falls back to GET and /', () => {
  const target = describeRequest('http://h', undefined, undefined)!;
  assert.equal(target.method, 'GET');
  assert.equal(target.url, 'http://h/');
});

test('a URL object is accepted as origin; an unreadable origin gives no target', () => {
  assert.equal(describeRequest(new URL('http://h:81'), 'GET', '/p')!.url, 'http://h:81/p');
  assert.equal(describeRequest('not a url', 'GET', '/'), undefined);
  assert.equal(describeRequest(undefined, 'GET', '/'), undefined);
  assert.equal(describeRequest(42, 'GET', '/'), undefined);
});

test('buildUrlFull marks credentials and redacts only the query', () => {
  assert.equal(buildUrlFull('http:', 'h:8080', '/sig?sig=1', true), 'http://REDACTED:REDACTED@h:8080/sig?sig=REDACTED');
  assert.equal(buildUrlFull('https:', 'h', '/p', false), 'https://h/p');
});
