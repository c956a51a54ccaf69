import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasHeader, requestHeaderSetter, type UndiciRequest } from '../../../instrumentations/undici/trace-headers.js';

function fakeRequest(headers: unknown): UndiciRequest & { added: string[][] } {
  const added: string[][] = [];
  return { headers, added, addHeader: (key: string, value: string) => added.push([key, value]) };
}

test('hasHeader finds a name case-insensitively in undici 6/7 arrays and undici 5 strings', () => {
  assert.equal(hasHeader(['accept', '*/*', 'TraceParent', 'x'], 'traceparent'), true);
  assert.equal(hasHeader(['accept', 'traceparent'], 'traceparent'), false, 'a value is not a name');
  assert.equal(hasHeader('accept: */*\r\nTraceparent: x\r\n', 'traceparent'), true);
  assert.equal(hasHeader('traceparent: x\r\n', 'traceparent'), true);
  assert.equal(hasHeader('x-traceparent: x\r\n', 'traceparent'), false);
  assert.equal(hasHeader(undefined, 'traceparent'), false);
});

test('the setter adds a header through addHeader unless the request already has it', () => {
  const request = fakeRequest(['traceparent', 'mine']);
  requestHeaderSetter.set(request, 'traceparent', 'ours');
  requestHeaderSetter.set(request, 'tracestate', 'k=v');
  assert.deepEqual(request.added, [['tracestate', 'k=v']]);
});

test('a request without addHeader is left alone', () => {
  const request: UndiciRequest = { headers: [] };
  assert.doesNotThrow(() => requestHeaderSetter.set(request, 'traceparent', 'x'));
});
