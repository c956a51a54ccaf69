import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trace, TraceFlags } from '@opentelemetry/api';
import { ROOT_CONTEXT } from '../../../src/context/context.js';
import {
  appendJsonMembers,
  assignTraceFields,
  traceFieldsJson,
  traceFlagsHex,
  validSpanContext,
} from '../../../instrumentations/log-bridge/trace-fields.js';
import { SPAN, SPAN_CONTEXT } from './recording-logger-provider.js';

test('trace flags are written as two lowercase hex digits', () => {
  assert.equal(traceFlagsHex(TraceFlags.SAMPLED), '01');
  assert.equal(traceFlagsHex(TraceFlags.NONE), '00');
  assert.equal(traceFlagsHex(0xab), 'ab');
});

test('only a valid span context is used', () => {
  assert.equal(validSpanContext(SPAN_CONTEXT), SPAN);
  assert.equal(validSpanContext(ROOT_CONTEXT), undefined);
  const zeros = trace.setSpanContext(ROOT_CONTEXT, { traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 1 });
  assert.equal(validSpanContext(zeros), undefined);
  // The one-entry cache must not leak the previous answer to another context.
  assert.equal(validSpanContext(SPAN_CONTEXT), SPAN);
});

test('the JSON members are trace_id, span_id and trace_flags', () => {
  assert.equal(traceFieldsJson(SPAN), `"trace_id":"${SPAN.traceId}","span_id":"${SPAN.spanId}","trace_flags":"01"`);
});

test('members go last into a JSON line, keeping its line ending', () => {
  assert.equal(appendJsonMembers('{"a":1}\n', '"b":2'), '{"a":1,"b":2}\n');
  assert.equal(appendJsonMembers('{"a":{"c":3}}\r\n', '"b":2'), '{"a":{"c":3},"b":2}\r\n');
  assert.equal(appendJsonMembers('{}\n', '"b":2'), '{"b":2}\n');
  assert.equal(appendJsonMembers('{"a":1}', '"b":2'), '{"a":1,"b":2}');
});

test('a line that is not a JSON object is left as it is', () => {
  assert.equal(appendJsonMembers('plain text\n', '"b":2'), 'plain text\n');
  assert.equal(appendJsonMembers('{"a":1} trailing\n', '"b":2'), '{"a":1} trailing\n');
  assert.equal(appendJsonMembers('{"a":1}\n', ''), '{"a":1}\n');
});

test('trace fields are set on a record unless the app set its own trace_id', () => {
  const record: Record<string, unknown> = { msg: 'x' };
  assert.equal(assignTraceFields(record, SPAN), true);
  assert.deepEqual(record, { msg: 'x', trace_id: SPAN.traceId, span_id: SPAN.spanId, trace_flags: '01' });
  const own: Record<string, unknown> = { trace_id: 'mine' };
  assert.equal(assignTraceFields(own, SPAN), false);
  assert.deepEqual(own, { trace_id: 'mine' });
});
