import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Console } from 'node:console';
import { PassThrough } from 'node:stream';
import type { Logger, LogRecord } from '@opentelemetry/api-logs';
import { ConsoleCapture } from '../../../instrumentations/console/capture.js';
import { runSuppressed } from '../../../src/context/suppress.js';

interface Captured {
  readonly console: Console;
  readonly out: () => string;
  readonly err: () => string;
}

function makeConsole(): Captured {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return { console: new Console({ stdout, stderr, colorMode: false }), out: () => out, err: () => err };
}

function recordingLogger(): { logger: Logger; records: LogRecord[] } {
  const records: LogRecord[] = [];
  return { records, logger: { emit: (r: LogRecord) => records.push(r), enabled: () => true } };
}

/** The same calls on a plain console and a captured one. */
function exercise(c: Console, error: Error): void {
  c.log('hello %s, %d items', 'world', 3, { nested: { a: [1, 2] } });
  c.info('info line');
  c.debug('debug line');
  c.group('group');
  c.warn('warned\nsecond line');
  c.groupEnd();
  c.error(error);
  c.table([{ a: 1 }]);
  c.assert(false, 'assertion text');
}

test('a captured console prints exactly what a plain one prints, and each call becomes one record', () => {
  const plain = makeConsole();
  const captured = makeConsole();
  const { logger, records } = recordingLogger();
  new ConsoleCapture(logger, captured.console).install();
  const error = new Error('shown with its stack');
  exercise(plain.console, error);
  exercise(captured.console, error);

  assert.equal(captured.out(), plain.out());
  assert.equal(captured.err(), plain.err());
  assert.deepEqual(
    records.map((r) => [r.severityNumber, r.severityText]),
    [[9, 'INFO'], [9, 'INFO'], [5, 'DEBUG'], [9, 'INFO'], [13, 'WARN'], [17, 'ERROR'], [9, 'INFO'], [13, 'WARN']],
  );
  assert.equal(records[0]!.body, "hello world, 3 items { nested: { a: [ 1, 2 ] } }");
  assert.equal(records[4]!.body, '  warned\n  second line', 'console.group indentation is part of the text');
  assert.match(String(records[5]!.body), /^Error: shown with its stack\n {4}at /);
  assert.match(String(records[6]!.body), /┌/, 'console.table output is captured as printed');
  assert.equal(records[7]!.body, 'Assertion failed: assertion text');
});

test('console.trace is one TRACE record whose body is the printed text, and its stack has no frame of ours', () => {
  const captured = makeConsole();
  const { logger, records } = recordingLogger();
  new ConsoleCapture(logger, captured.console).install();
  (function callSite() {
    captured.console.trace('where %s', 'am I');
  })();
  assert.equal(records.length, 1);
  assert.equal(records[0]!.severityNumber, 1);
  assert.equal(String(records[0]!.body) + '\n', captured.err());
  assert.match(captured.err(), /^Trace: where am I\n {4}at callSite /);
  assert.doesNotMatch(captured.err(), /capture\.js|capturedTrace/);
});

test('calls made by our own exporters (suppressed context) are printed but not captured', () => {
  const captured = makeConsole();
  const { logger, records } = recordingLogger();
  new ConsoleCapture(logger, captured.console).install();
  runSuppressed(() => captured.console.log('from the exporter'));
  assert.equal(captured.out(), 'from the exporter\n');
  assert.equal(records.length, 0);
});

test('a logger that throws never reaches the app, and a record that logs to the console does not loop', () => {
  const captured = makeConsole();
  let calls = 0;
  const logger: Logger = {
    emit: () => {
      calls++;
      captured.console.log('logged while emitting');
      throw new Error('exporter bug');
    },
    enabled: () => true,
  };
  new ConsoleCapture(logger, captured.console).install();
  captured.console.log('app line');
  assert.equal(calls, 1);
  assert.equal(captured.out(), 'app line\nlogged while emitting\n');
});

test('installing twice wraps once', () => {
  const captured = makeConsole();
  const { logger, records } = recordingLogger();
  new ConsoleCapture(logger, captured.console).install();
  new ConsoleCapture(logger, captured.console).install();
  captured.console.log('once');
  assert.equal(records.length, 1);
});
