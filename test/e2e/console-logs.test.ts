// console.* under the launcher: records at a real OTLP receiver (official schema), joined to the
// request's span, with the app's own output unchanged.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FIXTURES, httpGet, runCli, startCli, startProcess } from '../support/run-cli.js';
import { GrpcReceiver, HttpReceiver } from '../support/otlp-receiver.js';

const APP = ['node', join(FIXTURES, 'console', 'console-app.js')];

function runPlain(env: NodeJS.ProcessEnv) {
  return startProcess(process.execPath, [APP[1]!], env).exited();
}

test('console calls inside a request become records with the server span\'s trace and span ids', async () => {
  const receiver = await GrpcReceiver.start();
  try {
    const app = startCli(['--service_name', 'console-shop', ...APP], { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
    const port = Number((await app.waitForLine(/listening (\d+)/))[1]);
    await httpGet(`http://127.0.0.1:${port}/work`);
    await httpGet(`http://127.0.0.1:${port}/exit`);
    const exit = await app.exited();
    assert.equal(exit.code, 0, exit.stderr);
    assert.equal(exit.stdout, `listening ${port}\nhandling /work\nlast words\n`);
    assert.equal(exit.stderr, 'something went wrong in /work\n');

    const logs = await receiver.waitForLogs(4);
    const server = receiver.spans().find((s) => s.attributes['url.path'] === '/work' && s.kind === 2)!;
    assert.ok(server, 'the /work server span arrived');
    const handling = logs.find((l) => l.body === 'handling /work')!;
    assert.equal(handling.severityNumber, 9);
    assert.equal(handling.severityText, 'INFO');
    assert.equal(handling.traceId, server.traceId);
    assert.equal(handling.spanId, server.spanId);
    assert.equal(handling.flags, 1);
    assert.equal(handling.resource['service.name'], 'console-shop');
    assert.equal(handling.scope.name, 'otel-instrument/console');
    assert.ok(BigInt(handling.timeUnixNano) > 0n);
    const failed = logs.find((l) => l.body === 'something went wrong in /work')!;
    assert.equal(failed.severityNumber, 17);
    assert.equal(failed.traceId, server.traceId);
    const listening = logs.find((l) => l.body === `listening ${port}`)!;
    assert.equal(listening.traceId, '', 'a line outside any request has no trace id');
    // The line printed just before process.exit() arrives too.
    assert.ok(logs.some((l) => l.body === 'last words'));
  } finally {
    await receiver.close();
  }
});

for (const protocol of ['http/protobuf', 'http/json'] as const) {
  test(`a script's console output is byte-for-byte unchanged, and every call arrives over ${protocol}`, async () => {
    const receiver = await HttpReceiver.start();
    try {
      const env = { MODE: 'script' };
      const plain = await runPlain(env);
      const exit = await runCli(APP, { ...env, OTEL_EXPORTER_OTLP_PROTOCOL: protocol, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
      assert.equal(exit.code, 0);
      assert.equal(exit.stdout, plain.stdout);
      assert.equal(exit.stderr, plain.stderr);
      const logs = await receiver.waitForLogs(7);
      assert.deepEqual(
        logs.map((l) => [l.severityText, l.body]),
        [
          ['INFO', "plain text with 2 args { nested: { list: [ 1, 'two' ] } }"],
          ['INFO', 'info'],
          ['DEBUG', 'debug'],
          ['INFO', 'group'],
          ['WARN', '  warned\n  second line'],
          ['ERROR', 'error: out of range'],
          ['INFO', plain.stdout.slice(plain.stdout.indexOf('┌')).trimEnd()],
        ],
      );
      assert.ok(receiver.requests.every((r) => r.signal !== 'logs' || r.path === '/v1/logs'));
    } finally {
      await receiver.close();
    }
  });
}

test('an uncaught exception at top level: exit code 1, the line before it and the crash report both arrive', async () => {
  const receiver = await GrpcReceiver.start();
  try {
    const exit = await runCli(APP, { MODE: 'crash', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
    assert.equal(exit.code, 1);
    assert.match(exit.stderr, /Error: top-level boom/);
    const logs = await receiver.waitForLogs(2);
    assert.equal(logs[0]!.body, 'about to crash');
    const fatal = logs.find((l) => l.severityText === 'FATAL')!;
    assert.equal(fatal.severityNumber, 21);
    assert.match(String(fatal.body), /^Error: top-level boom\n {4}at /);
    assert.equal(fatal.attributes['exception.type'], 'Error');
    assert.equal(fatal.attributes['exception.message'], 'top-level boom');
    assert.match(String(fatal.attributes['exception.stacktrace']), /console-app\.js/);
  } finally {
    await receiver.close();
  }
});

test('--logs_exporter none: console is not wrapped and nothing is sent as logs', async () => {
  const receiver = await GrpcReceiver.start();
  try {
    const exit = await runCli(['--logs_exporter', 'none', ...APP], { MODE: 'script', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_LOG_LEVEL: 'debug' });
    assert.equal(exit.code, 0);
    assert.match(exit.stderr, /logs=none/);
    assert.deepEqual(receiver.requests.filter((r) => r.signal === 'logs'), []);
  } finally {
    await receiver.close();
  }
});

test('100k lines: stdout keeps every line, the records are batched and the queue stays bounded', async () => {
  const receiver = await GrpcReceiver.start();
  try {
    const exit = await runCli(APP, { MODE: 'flood', FLOOD_LINES: '100000', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url }, 60_000);
    assert.equal(exit.code, 0, exit.stderr);
    assert.equal(exit.stdout.split('\n').length - 1, 100_000);
    const requests = receiver.requests.filter((r) => r.signal === 'logs');
    const logs = receiver.logs();
    // Batches of at most OTEL_BLRP_MAX_EXPORT_BATCH_SIZE (512) records, never one request per line.
    for (const r of requests) assert.ok(r.body.resourceLogs[0].scopeLogs[0].logRecords.length <= 512);
    assert.ok(requests.length <= Math.ceil(logs.length / 512) + 5, `${requests.length} requests for ${logs.length} records`);
    // Whatever did not fit in the queue was dropped (and said once); nothing arrives twice or out of order.
    const numbers = logs.map((l) => Number(String(l.body).slice(5)));
    assert.deepEqual(numbers, [...numbers].sort((a, b) => a - b));
    assert.equal(new Set(numbers).size, numbers.length);
    assert.ok(logs.length >= 2048, `${logs.length} records arrived`);
    if (logs.length < 100_000) assert.match(exit.stderr, /log records queue is full \(2048\)/);
    console.log(`flood: ${logs.length} of 100000 records arrived in ${requests.length} requests; app ran ${exit.elapsedMs} ms`);
  } finally {
    await receiver.close();
  }
});

test('an app using @opentelemetry/api-logs gets its records exported, joined to its manual span', async () => {
  const receiver = await GrpcReceiver.start();
  try {
    const exit = await runCli(['node', join(FIXTURES, 'console', 'api-logs-app.js')], {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_BLRP_MAX_EXPORT_BATCH_SIZE: '1',
    });
    assert.equal(exit.code, 0, exit.stderr);
    const [record] = await receiver.waitForLogs(1);
    const [span] = await receiver.waitForSpans(1);
    assert.deepEqual(record!.scope, { name: 'checkout-app', version: '2.0.0' });
    assert.equal(record!.severityNumber, 13);
    assert.equal(record!.severityText, 'warning');
    assert.deepEqual(record!.body, { event: 'stock low', sku: 'A-1' });
    assert.deepEqual(record!.attributes, { 'app.order_id': 42, 'app.tags': ['rush', 'gift'] });
    assert.equal(record!.traceId, span!.traceId);
    assert.equal(record!.spanId, span!.spanId);
  } finally {
    await receiver.close();
  }
});

test('OTEL_BLRP_MAX_EXPORT_BATCH_SIZE and OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT apply', async () => {
  const receiver = await GrpcReceiver.start();
  try {
    const exit = await runCli(['node', join(FIXTURES, 'console', 'api-logs-app.js')], {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT: '2',
      OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT: '1',
    });
    assert.equal(exit.code, 0, exit.stderr);
    const [record] = await receiver.waitForLogs(1);
    assert.deepEqual(record!.attributes, { 'app.order_id': 42 });
    assert.equal(record!.droppedAttributesCount, 1);
  } finally {
    await receiver.close();
  }
});

test('with a small OTEL_BLRP_MAX_EXPORT_BATCH_SIZE records leave in batches of that size', async () => {
  const receiver = await GrpcReceiver.start();
  try {
    const exit = await runCli(APP, { MODE: 'flood', FLOOD_LINES: '50', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BLRP_MAX_EXPORT_BATCH_SIZE: '10', OTEL_BLRP_SCHEDULE_DELAY: '5' });
    assert.equal(exit.code, 0, exit.stderr);
    await receiver.waitForLogs(50);
    const sizes = receiver.requests.filter((r) => r.signal === 'logs').map((r) => r.body.resourceLogs[0].scopeLogs[0].logRecords.length as number);
    assert.ok(sizes.every((n) => n <= 10), `batch sizes ${sizes.join(',')}`);
  } finally {
    await receiver.close();
  }
});

test('OTEL_EXPORTER_OTLP_LOGS_ENDPOINT and _PROTOCOL send the logs alone elsewhere, as is', async () => {
  const traces = await GrpcReceiver.start();
  const logsReceiver = await HttpReceiver.start();
  try {
    const exit = await runCli(APP, {
      MODE: 'script',
      OTEL_EXPORTER_OTLP_ENDPOINT: traces.url,
      OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: `${logsReceiver.url}/custom/logs`,
    });
    assert.equal(exit.code, 0, exit.stderr);
    await logsReceiver.waitForLogs(7);
    assert.ok(logsReceiver.requests.every((r) => r.path === '/custom/logs' && r.contentType.startsWith('application/json')));
    assert.deepEqual(traces.requests.filter((r) => r.signal === 'logs'), []);
  } finally {
    await traces.close();
    await logsReceiver.close();
  }
});
