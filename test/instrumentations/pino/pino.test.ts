// Real pino, loaded through our require hook as the bootstrap loads it. The patch is once per
// process, so the test that breaks our side on purpose (which turns the bridge off) runs last.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setLogger } from '../../../instrumentations/pino/as-json.js';
import { assertChildWarnThenDebug, hookRegistryEntry, inSpan, logChildWarnThenDebug, RecordingLoggerProvider, SPAN, TRACE_FIELDS } from '../log-bridge/recording-logger-provider.js';

const provider = new RecordingLoggerProvider();
hookRegistryEntry('pino', provider);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pino = require('pino') as typeof import('pino');
const pinoVersion = (require('pino/package.json') as { version: string }).version;

function capture(options: import('pino').LoggerOptions = {}) {
  const lines: string[] = [];
  const logger = pino(options, { write: (line: string) => void lines.push(line) });
  return { logger, lines };
}

/** A line without its time, which differs between two calls. */
function withoutTime(line: string): Record<string, unknown> {
  const { time: _time, ...rest } = JSON.parse(line) as Record<string, unknown>;
  return rest;
}

test('a line written inside a span ends with trace_id, span_id and trace_flags and is otherwise unchanged', () => {
  const { logger, lines } = capture();
  logger.info({ user: 'ann' }, 'hello %s', 'world');
  inSpan(() => logger.info({ user: 'ann' }, 'hello %s', 'world'));
  assert.equal(lines.length, 2);
  assert.ok(lines[1]!.endsWith(`,"trace_id":"${SPAN.traceId}","span_id":"${SPAN.spanId}","trace_flags":"01"}\n`), lines[1]);
  assert.deepEqual(withoutTime(lines[1]!), { ...withoutTime(lines[0]!), ...TRACE_FIELDS });
  // Outside a span nothing is added.
  assert.equal(lines[0]!.includes('trace_id'), false);
  provider.take();
});

test('each written line is one record with severity, body, attributes and the span it was written in', () => {
  const { logger } = capture({ level: 'debug' });
  logChildWarnThenDebug(logger);
  const warn = assertChildWarnThenDebug(provider.take());
  assert.equal(typeof warn.timestamp, 'number');
  assert.equal(warn.scope.name, 'otel-instrument/pino');
});

test('an error becomes exception attributes; its other serialized fields stay under err', () => {
  const { logger } = capture();
  const error = Object.assign(new RangeError('out of range'), { code: 'E_RANGE' });
  logger.error(error);
  logger.error({ err: error }, 'failed');
  const [direct, field] = provider.take();
  for (const record of [direct!, field!]) {
    assert.equal(record.severityNumber, 17);
    assert.equal(record.attributes!['exception.type'], 'RangeError');
    assert.equal(record.attributes!['exception.message'], 'out of range');
    assert.equal(record.attributes!['exception.stacktrace'], error.stack);
    assert.deepEqual(record.attributes!['err'], { code: 'E_RANGE' });
  }
  assert.equal(direct!.body, 'out of range');
  assert.equal(field!.body, 'failed');
});

test('records carry what the app lets out: redaction, serializers and a custom message key apply', () => {
  const { logger, lines } = capture({ redact: ['password'], messageKey: 'message', serializers: { user: (u: { name: string }) => u.name } });
  logger.info({ password: 'hunter2', user: { name: 'ann', secret: 'x' } }, 'login');
  const [record] = provider.take();
  assert.deepEqual(record!.attributes, { password: '[Redacted]', user: 'ann' });
  assert.equal(record!.body, 'login');
  assert.equal(lines[0]!.includes('hunter2'), false);
});

test('custom levels keep their name and get a severity between the standard ones', () => {
  const { logger } = capture({ customLevels: { notice: 35 }, level: 'info' });
  (logger as unknown as { notice(msg: string): void }).notice('heads up');
  const [record] = provider.take();
  assert.equal(record!.severityText, 'notice');
  assert.equal(record!.severityNumber, 11);
});

test('formatters that change the level field do not change the severity', () => {
  const { logger, lines } = capture({ formatters: { level: (label: string) => ({ severity: label.toUpperCase() }) } });
  inSpan(() => logger.error('bad'));
  const [record] = provider.take();
  assert.equal(record!.severityNumber, 17);
  assert.equal(record!.attributes!['severity'], 'ERROR');
  assert.equal((JSON.parse(lines[0]!) as Record<string, unknown>).trace_id, SPAN.traceId);
});

test('a line that already has a trace_id (the app set its own) gets no second one', () => {
  const { logger, lines } = capture({ mixin: () => ({ trace_id: 'from-upstream' }) });
  inSpan(() => logger.info('own ids'));
  assert.equal(lines[0]!.split('"trace_id":').length, 2, lines[0]);
  assert.equal(JSON.parse(lines[0]!).trace_id, 'from-upstream');
  assert.equal(lines[0]!.includes('span_id'), false);
  const [record] = provider.take();
  assert.equal(record!.attributes!['trace_id'], 'from-upstream');
});

test('with logs not exported, lines still get trace fields and nothing is built', () => {
  setLogger(undefined);
  try {
    const { logger, lines } = capture();
    inSpan(() => logger.info('only correlated'));
    assert.equal((JSON.parse(lines[0]!) as Record<string, unknown>).span_id, SPAN.spanId);
    assert.deepEqual(provider.take(), []);
  } finally {
    setLogger(provider.getLogger('otel-instrument/pino', pinoVersion));
  }
});

test('a pino transport in a worker thread receives the lines with trace fields', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'otel-pino-transport-'));
  try {
    const file = join(dir, 'out.log');
    const transport = pino.transport({ target: 'pino/file', options: { destination: file, mkdir: true } });
    const logger = pino(transport);
    inSpan(() => logger.info({ order: 7 }, 'through the worker'));
    // The transport's worker is unref'd: a timer keeps this process alive until it has closed.
    await new Promise<void>((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error('the transport did not close')), 10_000);
      transport.on('close', () => {
        clearTimeout(deadline);
        resolve();
      });
      transport.end();
    });
    const line = JSON.parse(readFileSync(file, 'utf8').trim()) as Record<string, unknown>;
    assert.equal(line.msg, 'through the worker');
    assert.equal(line.trace_id, SPAN.traceId);
    assert.equal(line.trace_flags, '01');
    // The record was sent from the app's thread.
    const [record] = provider.take();
    assert.equal(record!.body, 'through the worker');
    assert.deepEqual(record!.attributes, { order: 7 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
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
  assert.equal(JSON.parse(lines[0]!).msg, 'first');
  assert.equal(lines[1]!.includes('trace_id'), false);
  assert.deepEqual(provider.take(), []);
});
