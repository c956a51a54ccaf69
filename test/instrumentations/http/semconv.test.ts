import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeMethod, parseHostHeader, protocolVersion, setKnownMethods, spanNameFor } from '../../../instrumentations/http/semconv.js';
import { captureHeaders, readHttpOptions } from '../../../instrumentations/http/options.js';
import { HTTP_SETTINGS } from '../../../instrumentations/http/settings.js';
import { loadConfig } from '../../../src/config/load-config.js';

test('known methods pass through, lower-case ones are upper-cased, others become _OTHER', () => {
  setKnownMethods(undefined);
  assert.equal(normalizeMethod('GET'), 'GET');
  assert.equal(normalizeMethod('patch'), 'PATCH');
  assert.equal(normalizeMethod('PROPFIND'), '_OTHER');
  assert.equal(normalizeMethod(undefined), 'GET');
  assert.equal(spanNameFor('_OTHER'), 'HTTP');
  setKnownMethods(['GET', 'PROPFIND']);
  assert.equal(normalizeMethod('PROPFIND'), 'PROPFIND');
  assert.equal(normalizeMethod('POST'), '_OTHER');
  setKnownMethods(undefined);
});

test('Host headers split into address and port, IPv6 included', () => {
  assert.deepEqual(parseHostHeader('example.com:8080'), { address: 'example.com', port: 8080 });
  assert.deepEqual(parseHostHeader('example.com'), { address: 'example.com', port: undefined });
  assert.deepEqual(parseHostHeader('[::1]:3000'), { address: '::1', port: 3000 });
  assert.deepEqual(parseHostHeader('[::1]'), { address: '::1', port: undefined });
  assert.deepEqual(parseHostHeader('host:notaport'), { address: 'host', port: undefined });
});

test('HTTP versions are spelled as the conventions want', () => {
  assert.equal(protocolVersion('1.1'), '1.1');
  assert.equal(protocolVersion('2.0'), '2');
  assert.equal(protocolVersion(''), undefined);
});

test('header capture reads names and patterns case-insensitively and redacts sanitized fields', () => {
  const options = readHttpOptions(loadConfig({
    OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_SERVER_REQUEST: 'X-Id, x-multi ,x-pre-.*',
    OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_SANITIZE_FIELDS: 'x-pre-secret',
  }, { extra: HTTP_SETTINGS }));
  const headers: Record<string, string[]> = { 'x-id': ['1'], 'x-multi': ['a', 'b'], 'x-pre-one': ['p'], 'x-pre-secret': ['s'], other: ['o'] };
  const seen: Record<string, string[]> = {};
  captureHeaders((k, v) => (seen[k] = v), 'http.request.header.', options.captureServerRequest!, options.sanitize, (n) => headers[n], () => Object.keys(headers));
  assert.deepEqual(seen, {
    'http.request.header.x-id': ['1'],
    'http.request.header.x-multi': ['a', 'b'],
    'http.request.header.x-pre-one': ['p'],
    'http.request.header.x-pre-secret': ['[REDACTED]'],
  });
});

test('an invalid excluded-URL pattern is skipped, the others kept', () => {
  const options = readHttpOptions(loadConfig({ OTEL_NODE_EXCLUDED_URLS: 'health,([unclosed,ping$' }, { extra: HTTP_SETTINGS }));
  assert.deepEqual(options.excludedUrls.map(String), ['/health/', '/ping$/']);
});
