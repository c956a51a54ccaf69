// A collector that flaps or is not there yet. The app answers and prints exactly
// as without the launcher, what was queued arrives once the collector accepts, and the outage is
// said at most once.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { freePort } from '../support/free-port.js';
import { flattenSpans, GrpcReceiver, HttpReceiver } from '../support/otlp-receiver.js';
import { FIXTURES, httpGet, startCli, startProcess, waitFor, type Exit } from '../support/run-cli.js';

const SERVICE = join(FIXTURES, 'http-service.js');
const UNAVAILABLE = 14;

/** The service under the launcher (or plain), `n` requests, then SIGTERM; returns its exit and the answers. */
async function serve(env: NodeJS.ProcessEnv, n: number, launcher = true, beforeStop: (stderr: () => string) => Promise<void> = async () => undefined): Promise<{ exit: Exit; answers: string[] }> {
  const app = launcher ? startCli(['node', SERVICE], env) : startProcess(process.execPath, [SERVICE], env);
  const port = Number((await app.waitForLine(/listening (\d+)/))[1]);
  const answers: string[] = [];
  for (let i = 0; i < n; i++) answers.push((await httpGet(`http://127.0.0.1:${port}/hello?i=${i}`)).body);
  await beforeStop(() => app.stderr());
  app.child.kill('SIGTERM');
  return { exit: await app.exited(), answers };
}

function withoutPorts(text: string): string {
  return text.replace(/listening \d+ pid \d+/g, 'listening PORT pid PID');
}

const FLAPPING = [
  { protocol: 'grpc', answer: 'UNAVAILABLE', start: () => GrpcReceiver.start(), failure: { grpcCode: UNAVAILABLE, message: 'flapping' } },
  { protocol: 'http/protobuf', answer: 'HTTP 503', start: () => HttpReceiver.start(), failure: { httpStatus: 503, message: 'flapping' } },
] as const;

for (const { protocol, answer, start, failure } of FLAPPING) test(`a flapping collector (${answer}, then OK, over ${protocol}): every span arrives once, the app is unaffected`, async () => {
  const receiver = await start();
  receiver.failNext(3, failure);
  try {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: protocol, OTEL_BSP_SCHEDULE_DELAY: '50', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none', OTEL_LOG_LEVEL: 'debug' };
    const plain = await serve({}, 20, false);
    const exportedByApp = (stderr: string): number => [...stderr.matchAll(/exported (\d+) spans/g)].reduce((n, m) => n + Number(m[1]), 0);
    // The receiver records every call; the first three were answered UNAVAILABLE (not accepted).
    const acceptedServerSpans = () =>
      receiver.requests.filter((r) => r.signal === 'traces').slice(3).flatMap((r) => flattenSpans(r.body)).filter((s) => s.kind === 2);
    const run = await serve(env, 20, true, async (stderr) => {
      // Stop only once the app has seen the collector's OK: an export still in flight at exit is
      // handed over and sent again, the one duplicate the design allows.
      await waitFor(() => acceptedServerSpans().length >= 20 && exportedByApp(stderr()) >= 20, '20 spans exported', 15_000);
    });
    assert.deepEqual(run.answers, plain.answers);
    assert.equal(withoutPorts(run.exit.stdout), withoutPorts(plain.exit.stdout));
    assert.equal(run.exit.signal, plain.exit.signal);
    assert.ok(receiver.requests.filter((r) => r.signal === 'traces').length >= 4, 'the failed exports were retried');
    const queries = acceptedServerSpans().map((s) => String(s.attributes['url.query']));
    assert.equal(queries.length, 20, 'each request once among the accepted exports');
    assert.equal(new Set(queries).size, 20);
    assert.ok((run.exit.stderr.match(/otel-instrument: warn/g) ?? []).length <= 1, run.exit.stderr);
  } finally {
    await receiver.close();
  }
});

test('a collector that comes up late gets what was queued while it was down, and the outage is said once', async () => {
  const port = await freePort();
  let receiver: GrpcReceiver | undefined;
  try {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`, OTEL_BSP_SCHEDULE_DELAY: '50', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' };
    const run = await serve(env, 5, true, async (stderr) => {
      // The first export fails (connection refused, said once); the collector comes up while it is retried.
      await waitFor(() => stderr().includes('cannot reach the OTLP collector'), 'the outage warning');
      receiver = await GrpcReceiver.start({ port });
      await receiver.waitForSpans(5, 15_000);
    });
    assert.equal(run.exit.signal, 'SIGTERM');
    const warnings = run.exit.stderr.split('\n').filter((line) => line.includes('otel-instrument: warn'));
    assert.equal(warnings.length, 1, run.exit.stderr);
    assert.match(warnings[0]!, /cannot reach the OTLP collector at http:\/\/127\.0\.0\.1:\d+\/: ECONNREFUSED/);
    const queries = receiver!.spans().filter((s) => s.kind === 2).map((s) => s.attributes['url.query']);
    assert.deepEqual([...new Set(queries)].sort(), ['i=0', 'i=1', 'i=2', 'i=3', 'i=4']);
  } finally {
    await receiver?.close();
  }
});
