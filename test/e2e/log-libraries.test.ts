// pino, winston and bunyan in real apps under the launcher: the receiver gets each written record
// with its severity, body, attributes and the trace id of the server span it was logged in, and
// the app's own stdout lines are those of the same app run without the launcher, plus trace_id,
// span_id and trace_flags.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { GrpcReceiver, type FlatLog, type FlatSpan } from '../support/otlp-receiver.js';
import { FIXTURES, httpGet, startCli, startProcess, waitFor, type Running } from '../support/run-cli.js';

type Line = Record<string, unknown>;

const SERVER = 2; // SpanKind SERVER in OTLP

interface Library {
  readonly name: 'pino' | 'winston' | 'bunyan';
  readonly fixture: string;
  /** Fields that differ between any two runs (time, pid), left out of the comparison. */
  readonly volatile: readonly string[];
  /** Where a line keeps its message. */
  readonly messageKey: string;
  /** The error field whose stack is compared by its first line (frames differ under instrumentation). */
  readonly errorKey: string;
}

const PINO: Library = { name: 'pino', fixture: 'pino-app.js', volatile: ['time', 'pid', 'hostname'], messageKey: 'msg', errorKey: 'err' };
const WINSTON: Library = { name: 'winston', fixture: 'winston-app.js', volatile: ['timestamp'], messageKey: 'message', errorKey: 'error' };
const BUNYAN: Library = { name: 'bunyan', fixture: 'bunyan-app.js', volatile: ['time', 'pid', 'hostname'], messageKey: 'msg', errorKey: 'err' };

const BODIES = ['order A-1 placed', 'slow payment', 'payment failed'];
const TRACE_FIELDS = ['trace_id', 'span_id', 'trace_flags'];

function jsonLines(stdout: string): Line[] {
  const out: Line[] = [];
  for (const text of stdout.split('\n')) if (text.startsWith('{')) out.push(JSON.parse(text) as Line);
  return out;
}

/** A line as both runs must print it: without run-specific fields, our fields, and stack frames. */
function comparable(line: Line, library: Library): Line {
  const copy: Line = { ...line };
  for (const key of [...library.volatile, ...TRACE_FIELDS]) delete copy[key];
  const error = copy[library.errorKey] as Line | undefined;
  if (error !== undefined && typeof error.stack === 'string') copy[library.errorKey] = { ...error, stack: error.stack.split('\n')[0] };
  return copy;
}

/** Starts the app, asks it to log once, and returns its JSON lines once all three are out. */
async function logOnce(running: Running): Promise<Line[]> {
  try {
    const port = Number((await running.waitForLine(/listening (\d+)/))[1]);
    assert.equal((await httpGet(`http://127.0.0.1:${port}/log`)).body, 'logged');
    return await waitFor(() => {
      const lines = jsonLines(running.stdout());
      return lines.length >= 3 && lines;
    }, 'three log lines on stdout');
  } finally {
    running.child.kill('SIGTERM');
    await running.exited();
  }
}

/** Runs the app under the launcher; `logsWanted` says when the receiver has all records expected. */
async function underLauncher(fixture: string, env: NodeJS.ProcessEnv, logsWanted: (logs: FlatLog[]) => boolean) {
  const receiver = await GrpcReceiver.start();
  try {
    const lines = await logOnce(startCli(['node', fixture], { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_METRICS_EXPORTER: 'none', ...env }));
    const spans = await receiver.waitForSpans(1);
    const logs = await receiver.waitForLogs(logsWanted);
    return { lines, spans, logs };
  } finally {
    await receiver.close();
  }
}

function serverSpan(spans: FlatSpan[]): FlatSpan {
  const span = spans.find((s) => s.kind === SERVER);
  assert.ok(span, `no server span among ${spans.map((s) => s.name).join(', ')}`);
  return span;
}

function recordsOf(logs: FlatLog[], library: Library): FlatLog[] {
  return logs.filter((r) => r.scope.name === `otel-instrument/${library.name}`);
}

async function checkLibrary(library: Library, env: NodeJS.ProcessEnv = {}, fixture = join(FIXTURES, 'logging', library.fixture)): Promise<void> {
  const plain = await logOnce(startProcess(process.execPath, [fixture], env));
  const { lines, spans, logs } = await underLauncher(fixture, env, (all) => recordsOf(all, library).length >= 3);
  const span = serverSpan(spans);

  // The app's own lines: the same, plus the server span's ids.
  assert.deepEqual(lines.map((l) => comparable(l, library)), plain.map((l) => comparable(l, library)));
  for (const line of lines) {
    assert.equal(line.trace_id, span.traceId);
    assert.equal(line.span_id, span.spanId);
    assert.equal(line.trace_flags, '01');
  }
  assert.deepEqual(lines.map((l) => l[library.messageKey]), BODIES);

  // What the receiver got: one record per written line (the debug call is below the level).
  const records = recordsOf(logs, library);
  // The libraries write to stdout themselves (winston's Console transport through console._stdout),
  // so the console bridge sees nothing: no record twice.
  assert.deepEqual(logs.filter((r) => r.scope.name === 'otel-instrument/console').map((r) => r.body), []);
  assert.deepEqual(records.map((r) => r.body), BODIES);
  assert.deepEqual(records.map((r) => r.severityNumber), [9, 13, 17]);
  assert.deepEqual(records.map((r) => r.severityText), ['info', 'warn', 'error']);
  for (const record of records) {
    assert.equal(record.traceId, span.traceId);
    assert.equal(record.spanId, span.spanId);
    assert.equal(record.flags & 1, 1);
    assert.equal(record.attributes['component'], 'checkout');
    for (const key of TRACE_FIELDS) assert.equal(key in record.attributes, false, key);
  }
  const [info, warn, error] = records;
  assert.equal(info!.attributes['order'], 42);
  assert.deepEqual(info!.attributes['items'], ['a', 'b']);
  assert.equal(warn!.attributes['latencyMs'], 250);
  assert.equal(error!.attributes['exception.type'], 'TypeError');
  assert.equal(error!.attributes['exception.message'], 'card declined');
  assert.match(String(error!.attributes['exception.stacktrace']), /^TypeError: card declined\n {4}at /);
  assert.deepEqual(error!.attributes[library.errorKey], { code: 'E_CARD' });
}

test('pino: records reach the receiver with the server span, and its lines only gain trace fields', async () => {
  await checkLibrary(PINO);
});

test('winston: records reach the receiver with the server span, and its lines only gain trace fields', async () => {
  await checkLibrary(WINSTON);
});

test('winston printing through the console (forceConsole): each line is one winston record, never also a console one', async () => {
  await checkLibrary(WINSTON, { WINSTON_FORCE_CONSOLE: '1' });
});

test('bunyan: records reach the receiver with the server span, and its lines only gain trace fields', async () => {
  await checkLibrary(BUNYAN);
});

test('pino through a transport (worker thread): the lines carry trace fields and the records are sent', async () => {
  await checkLibrary(PINO, { PINO_TRANSPORT: '1' });
});

test('pino and bunyan imported from ES modules are bridged the same way', async () => {
  await checkLibrary(PINO, {}, join(FIXTURES, 'logging', 'pino-app.mjs'));
  await checkLibrary(BUNYAN, {}, join(FIXTURES, 'logging', 'bunyan-app.mjs'));
});

test('with OTEL_LOGS_EXPORTER=none the lines still get trace fields and no record is sent', async () => {
  for (const library of [PINO, WINSTON, BUNYAN]) {
    // The app has exited (and flushed) before the receiver is read: nothing more can arrive.
    const { lines, spans, logs } = await underLauncher(join(FIXTURES, 'logging', library.fixture), { OTEL_LOGS_EXPORTER: 'none' }, () => true);
    const span = serverSpan(spans);
    for (const line of lines) assert.equal(line.trace_id, span.traceId, library.name);
    assert.deepEqual(logs, [], library.name);
  }
});
