// Real bunyan, loaded through our require hook as the bootstrap loads it. The patch is once per
// process, so the test that breaks our side on purpose (which turns the bridge off) runs last.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setLogger } from '../../../instrumentations/bunyan/emit.js';
import { assertChildWarnThenDebug, hookRegistryEntry, inSpan, logChildWarnThenDebug, RecordingLoggerProvider, SPAN, TRACE_FIELDS } from '../log-bridge/recording-logger-provider.js';

const provider = new RecordingLoggerProvider();
hookRegistryEntry('bunyan', provider);
/** The part of bunyan's API these tests use (the package ships no types). */
type LogMethod = (...args: unknown[]) => void;
interface BunyanLogger {
  trace: LogMethod;
  debug: LogMethod;
  info: LogMethod;
  warn: LogMethod;
  error: LogMethod;
  fatal: LogMethod;
  child(fields: Record<string, unknown>): BunyanLogger;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const bunyan = require('bunyan') as { createLogger(options: Record<string, unknown>): BunyanLogger };

function capture(options: Record<string, unknown> = {}) {
  const lines: string[] = [];
  const logger = bunyan.createLogger({ name: 'orders', streams: [{ stream: { write: (s: string) => void lines.push(s) } as never }], ...options });
  return { logger, lines };
}

function withoutTime(line: string): Record<string, unknown> {
  const { time: _time, ...rest } = JSON.parse(line) as Record<string, unknown>;
  return rest;
}

test('a line written inside a span gets trace_id, span_id and trace_flags and is otherwise unchanged', () => {
  const { logger, lines } = capture();
  logger.info({ user: 'ann' }, 'hello %s', 'world');
  inSpan(() => logger.info({ user: 'ann' }, 'hello %s', 'world'));
  assert.equal(lines[0]!.includes('trace_id'), false);
  assert.deepEqual(withoutTime(lines[1]!), { ...withoutTime(lines[0]!), ...TRACE_FIELDS });
  provider.take();
});

test('each written record is one log record with severity, body, attributes and its span', () => {
  const { logger } = capture({ level: 'debug' });
  logChildWarnThenDebug(logger);
  const warn = assertChildWarnThenDebug(provider.take());
  assert.ok(warn.timestamp instanceof Date);
  assert.equal(warn.scope.name, 'otel-instrument/bunyan');
});

test('errors become exception attributes, serialized or not', () => {
  const error = Object.assign(new RangeError('out of range'), { code: 'E_RANGE' });
  const { logger } = capture();
  logger.error(error); // bunyan runs its err serializer for an Error first argument
  logger.error({ err: error }, 'failed'); // without serializers the Error itself is in the record
  const records = provider.take();
  for (const record of records) {
    assert.equal(record.severityNumber, 17);
    assert.equal(record.attributes!['exception.type'], 'RangeError');
    assert.equal(record.attributes!['exception.message'], 'out of range');
    assert.equal(record.attributes!['exception.stacktrace'], error.stack);
    assert.deepEqual(record.attributes!['err'], { code: 'E_RANGE' });
  }
  assert.deepEqual(records.map((r) => r.body), ['out of range', 'failed']);
});

test('raw streams receive the record with the trace fields, and only streams that take the level count', () => {
  const raw: Record<string, unknown>[] = [];
  const logger = bunyan.createLogger({
    name: 'raw',
    streams: [{ type: 'raw', level: 'warn', stream: { write: (rec: Record<string, unknown>) => void raw.push(rec) } as never }],
  });
  inSpan(() => logger.warn('taken'));
  logger.info('below every stream');
  assert.equal(raw.length, 1);
  assert.equal(raw[0]!.trace_id, SPAN.traceId);
  assert.deepEqual(provider.take().map((r) => r.body), ['taken']);
});

test('a logger without streams sends nothing', () => {
  const logger = bunyan.createLogger({ name: 'silent', streams: [] });
  logger.fatal('nowhere');
  assert.deepEqual(provider.take(), []);
});

test('with logs not exported, lines still get trace fields and nothing is built', () => {
  setLogger(undefined);
  try {
    const { logger, lines } = capture();
    inSpan(() => logger.info('only correlated'));
    assert.equal(JSON.parse(lines[0]!).trace_flags, '01');
    assert.deepEqual(provider.take(), []);
  } finally {
    setLogger(provider.getLogger('otel-instrument/bunyan'));
  }
});

test('when our side fails the line is written unchanged and the bridge turns itself off', () => {
  const { logger, lines } = capture();
  provider.failing = true;
  try {
    inSpan(() => logger.info('first'));
    inSpan(() => logger.info('second'));
  } finally {
    provider.failing = false;
  }
  assert.equal(lines.length, 2);
  assert.equal(lines[0]!.includes('trace_id'), false);
  assert.equal(lines[1]!.includes('trace_id'), false);
  assert.deepEqual(provider.take(), []);
});
