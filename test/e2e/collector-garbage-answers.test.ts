// A collector (or what stands where one should) that answers with something hostile or foreign: text
// made to forge our lines or drive the terminal, a grpc-message of 8 KB. The app prints exactly what it
// prints without us; what we say about the answer is one line, escaped and bounded.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { GrpcReceiver, HttpReceiver, type ScriptedResponse } from '../support/otlp-receiver.js';
import { FIXTURES, runCli, startProcess, type Exit } from '../support/run-cli.js';

const APP = join(FIXTURES, 'one-request.js');
const INVALID_ARGUMENT = 3;
const FORGED = 'bad span\notel-instrument: info: forged line\r\n\u001b[2J\u001b[31mred\u009b0m\u202eevil';

function plainRun(): Promise<Exit> {
  return startProcess(process.execPath, [APP]).exited();
}

/** One-request under the launcher, traces only, to `receiver` over `protocol`. */
function instrumentedRun(receiver: GrpcReceiver | HttpReceiver, protocol: string): Promise<Exit> {
  return runCli(['node', APP], {
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
    OTEL_METRICS_EXPORTER: 'none',
    OTEL_LOGS_EXPORTER: 'none',
  });
}

function ourLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.startsWith('otel-instrument'));
}

function otherLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => !line.startsWith('otel-instrument'));
}

async function answeredWith(start: () => Promise<GrpcReceiver | HttpReceiver>, protocol: string, answer: ScriptedResponse): Promise<{ run: Exit; plain: Exit; url: string }> {
  const receiver = await start();
  receiver.answerOtherwise(answer);
  try {
    const plain = await plainRun();
    const run = await instrumentedRun(receiver, protocol);
    assert.ok(receiver.requests.length >= 1, 'the app exported to the receiver');
    return { run, plain, url: receiver.url };
  } finally {
    await receiver.close();
  }
}

function assertUnchangedApp(run: Exit, plain: Exit): void {
  assert.equal(run.code, plain.code);
  assert.equal(run.stdout, plain.stdout);
  assert.deepEqual(otherLines(run.stderr), otherLines(plain.stderr));
}

test('an HTTP 400 whose text body carries line breaks and terminal escapes cannot forge our lines or reach the terminal raw', async () => {
  const { run, plain, url } = await answeredWith(() => HttpReceiver.start(), 'http/protobuf', {
    httpStatus: 400,
    contentType: 'text/plain',
    rawBody: FORGED,
  });
  assertUnchangedApp(run, plain);
  assert.doesNotMatch(run.stderr, /[\u001b\u009b\u202e]/, 'no escape sequence or bidi override reaches stderr');
  const lines = ourLines(run.stderr);
  assert.ok(!lines.some((line) => line.startsWith('otel-instrument: info: forged line')), run.stderr);
  assert.equal(lines.length, 1, run.stderr);
  assert.equal(
    lines[0],
    `otel-instrument: warn: OTLP traces export to ${url}/v1/traces failed and will not be retried: HTTP status 400: ` +
      'bad span\\notel-instrument: info: forged line\\r\\n\\u001b[2J\\u001b[31mred\\u009b0m\\u202eevil',
  );
});

test('a gRPC status message of 8,035 characters is printed escaped and cut to 200', async () => {
  const message = `${'detail '.repeat(1147)}x\nend.`;
  assert.equal(message.length, 8035);
  const { run, plain } = await answeredWith(() => GrpcReceiver.start(), 'grpc', { grpcCode: INVALID_ARGUMENT, message });
  assertUnchangedApp(run, plain);
  const lines = ourLines(run.stderr);
  assert.equal(lines.length, 1, run.stderr);
  const said = /failed and will not be retried: gRPC status INVALID_ARGUMENT \(3\): (.*)$/.exec(lines[0]!);
  assert.ok(said, lines[0]);
  assert.equal(said[1], `${message.slice(0, 200)}…`);
});

test('a partial success whose message carries a forged line is said on one line', async () => {
  const { run, plain } = await answeredWith(() => GrpcReceiver.start(), 'grpc', { partialSuccess: { rejected: 1, errorMessage: FORGED } });
  assertUnchangedApp(run, plain);
  assert.doesNotMatch(run.stderr, /[\u001b\u009b\u202e]/);
  const lines = ourLines(run.stderr);
  assert.equal(lines.length, 1, run.stderr);
  assert.match(lines[0]!, /accepted traces partially: 1 spans rejected: bad span\\notel-instrument: info: forged line\\r\\n\\u001b\[2J/);
});

test('an HTML page answered with 200 to http/protobuf is a failed export, said once with the endpoint, and the app is unchanged', async () => {
  const page = '<!DOCTYPE html>\n<html><head><title>Welcome to nginx!</title></head><body>It works</body></html>';
  const { run, plain, url } = await answeredWith(() => HttpReceiver.start(), 'http/protobuf', { contentType: 'text/html', rawBody: page });
  assertUnchangedApp(run, plain);
  const lines = ourLines(run.stderr);
  assert.equal(lines.length, 1, run.stderr);
  assert.equal(
    lines[0],
    `otel-instrument: warn: OTLP traces export to ${url}/v1/traces failed and will not be retried: HTTP status 200 is not an OTLP response ` +
      '(content-type text/html): <!DOCTYPE html>\\n<html><head><title>Welcome to nginx!</title></head><body>It works</body></html>',
  );
});
