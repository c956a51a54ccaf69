// Real winston, loaded through our require hook as the bootstrap loads it. The patch is once per
// process, so the test that breaks our side on purpose (which turns the bridge off) runs last.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { trace } from '@opentelemetry/api';
import { setLogger } from '../../../instrumentations/winston/logger-prototype.js';
import { hookRegistryEntry, inSpan, RecordingLoggerProvider, SPAN, TRACE_FIELDS } from '../log-bridge/recording-logger-provider.js';

const provider = new RecordingLoggerProvider();
hookRegistryEntry('winston', provider);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const winston = require('winston') as typeof import('winston');
const { format } = winston;

/** A logger whose Stream transport collects the formatted lines. */
function capture(options: import('winston').LoggerOptions = {}, transportOptions: { level?: string } = {}) {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString());
      callback();
    },
  });
  const logger = winston.createLogger({
    format: format.json(),
    ...options,
    transports: [new winston.transports.Stream({ stream, ...transportOptions })],
  });
  return { logger, lines };
}

test('the app format prints trace_id, span_id and trace_flags for records inside a span, and nothing else changes', () => {
  const { logger, lines } = capture();
  logger.info('hello', { user: 'ann' });
  inSpan(() => logger.info('hello', { user: 'ann' }));
  assert.equal(lines.length, 2);
  assert.equal(lines[0]!.includes('trace_id'), false);
  assert.deepEqual(JSON.parse(lines[1]!), { ...JSON.parse(lines[0]!), ...TRACE_FIELDS });
  provider.take();
});

test('each written record is one log record with severity, body, attributes and its span', () => {
  const { logger } = capture({ level: 'debug', defaultMeta: { service: 'orders' } });
  inSpan(() => logger.warn('slow query', { query: 'select 1', nested: { rows: 2 } }));
  logger.debug('details');
  logger.silly('not written: below the logger level');
  const [warn, debug, ...rest] = provider.take();
  assert.deepEqual(rest, []);
  assert.equal(warn!.severityNumber, 13);
  assert.equal(warn!.severityText, 'warn');
  assert.equal(warn!.body, 'slow query');
  // Our trace fields are the record's trace context, not attributes.
  assert.deepEqual(warn!.attributes, { service: 'orders', query: 'select 1', nested: { rows: 2 } });
  assert.deepEqual(trace.getSpanContext(warn!.context!), SPAN);
  assert.equal(warn!.scope.name, 'otel-instrument/winston');
  assert.equal(debug!.severityNumber, 5);
  assert.equal(trace.getSpanContext(debug!.context!), undefined);
});

test('a record no transport writes is not sent', () => {
  const { logger } = capture({ level: 'debug' }, { level: 'error' });
  logger.info('the only transport takes errors only');
  logger.error('taken');
  assert.deepEqual(provider.take().map((r) => r.body), ['taken']);
});

test('a record a format filters out is not sent', () => {
  const dropSecrets = format((info) => (info.secret ? false : info))();
  const { logger, lines } = capture({ format: format.combine(dropSecrets, format.json()) });
  logger.info('kept');
  logger.info('dropped', { secret: true });
  assert.equal(lines.length, 1);
  assert.deepEqual(provider.take().map((r) => r.body), ['kept']);
});

test('errors become exception attributes however they are passed', () => {
  const { logger } = capture({ format: format.combine(format.errors({ stack: true }), format.json()) });
  const error = Object.assign(new TypeError('bad input'), { code: 'E_INPUT' });
  logger.error('failed', error);
  logger.error('failed', { error });
  logger.error(error);
  const records = provider.take();
  assert.equal(records.length, 3);
  for (const record of records) {
    assert.equal(record.severityNumber, 17);
    assert.equal(record.attributes!['exception.type'], 'TypeError');
    assert.equal(record.attributes!['exception.stacktrace'], error.stack);
    assert.equal('stack' in record.attributes!, false);
  }
  assert.equal(records[0]!.attributes!['exception.message'], 'bad input');
  assert.equal(records[0]!.body, 'failed bad input'); // winston appends the error's message
  assert.deepEqual(records[1]!.attributes!['error'], { code: 'E_INPUT' });
  assert.equal(records[1]!.body, 'failed');
  assert.equal(records[2]!.body, 'bad input');
});

test('syslog and cli level sets map by the set the logger uses', () => {
  const syslog = capture({ levels: winston.config.syslog.levels, level: 'debug' });
  syslog.logger.log('crit', 'disk full');
  syslog.logger.log('notice', 'rotated');
  const cli = capture({ levels: winston.config.cli.levels, level: 'silly' });
  cli.logger.log('verbose', 'chatty');
  assert.deepEqual(
    provider.take().map((r) => [r.severityText, r.severityNumber]),
    [['crit', 18], ['notice', 10], ['verbose', 3]],
  );
});

test('colours from the app format stay out of the body and the severity', () => {
  const { logger } = capture({ format: format.combine(format.colorize({ all: true }), format.simple()) });
  logger.info('coloured');
  const [record] = provider.take();
  assert.equal(record!.body, 'coloured');
  assert.equal(record!.severityText, 'info');
  assert.equal(record!.severityNumber, 9);
});

test('child loggers add their metadata and get trace fields', () => {
  const { logger, lines } = capture();
  const child = logger.child({ requestId: 'r1' });
  inSpan(() => child.info('from the child'));
  assert.equal(JSON.parse(lines[0]!).requestId, 'r1');
  assert.equal(JSON.parse(lines[0]!).span_id, SPAN.spanId);
  const [record] = provider.take();
  assert.deepEqual(record!.attributes, { requestId: 'r1' });
  assert.deepEqual(trace.getSpanContext(record!.context!), SPAN);
});

test('a record formatted after the caller returned keeps the span it was logged in', () => {
  const { logger, lines } = capture();
  logger.cork(); // buffers writes: the format pipeline runs at uncork, outside the span
  inSpan(() => logger.info('buffered'));
  logger.uncork();
  assert.equal(JSON.parse(lines[0]!).trace_id, SPAN.traceId);
  const [record] = provider.take();
  assert.deepEqual(trace.getSpanContext(record!.context!), SPAN);
});

test('an app trace_id is neither overwritten nor dropped from the attributes', () => {
  const { logger, lines } = capture();
  inSpan(() => logger.info('own ids', { trace_id: 'from-upstream' }));
  assert.equal(JSON.parse(lines[0]!).trace_id, 'from-upstream');
  const [record] = provider.take();
  assert.equal(record!.attributes!['trace_id'], 'from-upstream');
});

test('the Console transport writes to stdout directly, not through console.log (no double capture)', () => {
  const written: string[] = [];
  const realLog = console.log;
  const stdout = Object.getOwnPropertyDescriptor(console, '_stdout');
  let consoleLogCalls = 0;
  console.log = (...args: unknown[]) => {
    consoleLogCalls++;
    realLog(...args);
  };
  Object.defineProperty(console, '_stdout', { value: { write: (s: string) => void written.push(s) }, configurable: true, writable: true });
  try {
    const logger = winston.createLogger({ format: format.json(), transports: [new winston.transports.Console()] });
    logger.info('to the console');
  } finally {
    console.log = realLog;
    if (stdout !== undefined) Object.defineProperty(console, '_stdout', stdout);
  }
  assert.equal(consoleLogCalls, 0);
  assert.equal(written.length, 1);
  assert.equal(JSON.parse(written[0]!).message, 'to the console');
  assert.equal(provider.take().length, 1);
});

test('with logs not exported, records still get trace fields and nothing is built', () => {
  setLogger(undefined);
  try {
    const { logger, lines } = capture();
    inSpan(() => logger.info('only correlated'));
    assert.equal(JSON.parse(lines[0]!).trace_flags, '01');
    assert.deepEqual(provider.take(), []);
  } finally {
    setLogger(provider.getLogger('otel-instrument/winston'));
  }
});

test('when our side fails the record is written unchanged and the bridge turns itself off', () => {
  const { logger, lines } = capture();
  provider.failing = true;
  try {
    inSpan(() => logger.info('first'));
  } finally {
    provider.failing = false;
  }
  inSpan(() => logger.info('second'));
  assert.equal(lines.length, 2);
  // The fields were added before the send failed; after that nothing of ours runs.
  assert.equal(JSON.parse(lines[0]!).message, 'first');
  assert.equal(lines[1]!.includes('trace_id'), false);
  assert.deepEqual(provider.take(), []);
});
