// The launcher as the app's exporter (OTEL_NODE_EXPORT_VIA_LAUNCHER=true): the app hands each batch to
// the launcher as it is made, and the launcher sends it with the app's own retry, queue and outage rules.
// What was handed over survives the app's SIGKILL, each batch is sent by one process only, and a
// collector that never answers does not hold the app's own end.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../support/free-port.js';
import { GrpcReceiver, HttpReceiver } from '../support/otlp-receiver.js';
import { FIXTURES, startCli, waitFor } from '../support/run-cli.js';

const VIA_LAUNCHER = { OTEL_NODE_EXPORT_VIA_LAUNCHER: 'true', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' };
const UNAVAILABLE = 14;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Span ids the receiver accepted, and how many of them came more than once. */
function distinctAccepted(receiver: GrpcReceiver | HttpReceiver): { ids: Set<string>; duplicates: number } {
  const ids = new Set<string>();
  let duplicates = 0;
  for (const span of receiver.acceptedSpans()) {
    if (ids.has(span.spanId)) duplicates++;
    ids.add(span.spanId);
  }
  return { ids, duplicates };
}

for (const protocol of ['grpc', 'http/protobuf'] as const) {
  test(`app SIGKILLed right after handing a batch over (${protocol}, collector UNAVAILABLE at first): the spans arrive, the launcher dies by SIGKILL like the app`, async () => {
    const receiver = protocol === 'grpc' ? await GrpcReceiver.start() : await HttpReceiver.start();
    // The first attempt fails: when the app is killed, its batch waits for a retry, which only the launcher can make.
    receiver.failNext(1, protocol === 'grpc' ? { grpcCode: UNAVAILABLE, message: 'restarting' } : { httpStatus: 503, message: 'restarting' });
    try {
      const app = startCli(['node', join(FIXTURES, 'handed-then-killed.js')], {
        ...VIA_LAUNCHER,
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
        OTEL_BSP_SCHEDULE_DELAY: '50',
        OTEL_NODE_EXIT_EXPORT_TIMEOUT: '5000',
        OTEL_LOG_LEVEL: 'debug',
        SPANS: '50',
      });
      const pid = Number((await app.waitForLine(/pid (\d+)/))[1]);
      // Its first attempt has failed: without the launcher as exporter, the app itself would hold the batch for the retry now.
      await receiver.waitForRequests(1);
      process.kill(pid, 'SIGKILL');
      const exit = await app.exited();
      assert.equal(exit.signal, 'SIGKILL', exit.stderr);
      const { ids, duplicates } = distinctAccepted(receiver);
      assert.equal(ids.size, 50, exit.stderr);
      assert.equal(duplicates, 0);
      assert.ok(receiver.requests.filter((r) => r.signal === 'traces').length >= 2, 'the launcher retried the failed attempt');
    } finally {
      await receiver.close();
    }
  });
}

/** GETs of /work?i=first..first+total-1, 10 at a time. */
async function load(base: string, first: number, total: number): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 10 });
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < total) {
      const i = first + next++;
      await new Promise<void>((resolve, reject) => {
        http.get(`${base}/work?i=${i}`, { agent }, (res) => res.resume().on('end', resolve)).on('error', reject);
      });
    }
  };
  await Promise.all(Array.from({ length: 10 }, worker));
  agent.destroy();
}

test('collector restart mid-load (via the launcher): every request span arrives, none twice; the restart is said once and its end with the drop count', async () => {
  const port = await freePort();
  let receiver = await GrpcReceiver.start({ port });
  const first = receiver;
  let second: GrpcReceiver | undefined;
  try {
    const app = startCli(['node', join(FIXTURES, 'load-service.js')], {
      ...VIA_LAUNCHER,
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      OTEL_BSP_SCHEDULE_DELAY: '100',
    });
    const base = `http://127.0.0.1:${Number((await app.waitForLine(/listening (\d+)/))[1])}`;
    await load(base, 0, 300);
    await first.close({ drain: true }); // a restart: a batch cut in flight would rightly be sent again
    await load(base, 300, 300); // the collector is down: the launcher queues and retries
    await waitFor(() => app.stderr().includes('cannot reach the OTLP collector'), 'the outage warning');
    second = await GrpcReceiver.start({ port });
    receiver = second;
    await load(base, 600, 300);
    const serverSpans = (): string[] =>
      [...first.acceptedSpans(), ...second!.acceptedSpans()].filter((s) => s.kind === 2).map((s) => String(s.attributes['url.query']));
    await waitFor(() => serverSpans().length >= 900, '900 server spans', 20_000);
    app.child.kill('SIGTERM');
    const exit = await app.exited();
    assert.equal(exit.signal, 'SIGTERM');
    const queries = serverSpans();
    assert.equal(new Set(queries).size, 900, 'every request once');
    const firstIds = first.acceptedSpans().map((s) => s.spanId);
    const secondIds = second.acceptedSpans().map((s) => s.spanId);
    const ids = [...firstIds, ...secondIds];
    const across = secondIds.filter((id) => firstIds.includes(id)).length;
    assert.equal(new Set(ids).size, ids.length, `no span id twice (${across} of them in both collectors)`);
    assert.match(exit.stderr, /takes data again after an outage of [\d.]+ s; dropped meanwhile: 0 spans/);
    assert.equal((exit.stderr.match(/otel-instrument: warn/g) ?? []).length, 1, exit.stderr);
  } finally {
    await first.close();
    await second?.close();
  }
});

test('a black-holed collector (via the launcher): the app itself ends at once on SIGTERM, the launcher within the exit bound', async () => {
  const receiver = await GrpcReceiver.start();
  receiver.answerOtherwise({ hang: true });
  try {
    const app = startCli(['node', join(FIXTURES, 'handed-then-killed.js')], {
      ...VIA_LAUNCHER,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_BSP_SCHEDULE_DELAY: '50',
      OTEL_LOG_LEVEL: 'debug',
    });
    const pid = Number((await app.waitForLine(/pid (\d+)/))[1]);
    await receiver.waitForRequests(1);
    const stopping = Date.now();
    app.child.kill('SIGTERM');
    await waitFor(() => !alive(pid), 'the app gone', 5000);
    const appEndMs = Date.now() - stopping;
    const exit = await app.exited();
    const launcherEndMs = Date.now() - stopping;
    assert.equal(exit.signal, 'SIGTERM');
    assert.ok(appEndMs < 1500, `the app ended ${appEndMs} ms after SIGTERM`);
    assert.ok(launcherEndMs < 2000 + 2500, `the launcher ended ${launcherEndMs} ms after SIGTERM (bound 2000 ms past the app)`);
  } finally {
    await receiver.close();
  }
});

for (const [mode, setting] of [['via the launcher', VIA_LAUNCHER], ['the app exporting itself', {}]] as const) {
  test(`a launcher that stopped reading (SIGSTOP) holds the app at exit for about a second, not until it reads again (${mode})`, async () => {
    // Nothing is handed over while the app runs (its 10,000 spans are short of a batch, due in 10 minutes):
    // at exit they are one hand-off, more than the socket holds; the fd is made non-blocking for it.
    const env = {
      ...setting,
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9',
      SPANS: '10000',
      OTEL_BSP_MAX_QUEUE_SIZE: '20000',
      OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '20000',
      OTEL_BSP_SCHEDULE_DELAY: '600000',
    };
    const launcher = startCli(['node', join(FIXTURES, 'handed-then-killed.js')], env);
    const launcherPid = launcher.child.pid!;
    let appMs: number;
    try {
      const [, pid] = await launcher.waitForLine(/pid (\d+)/);
      process.kill(launcherPid, 'SIGSTOP');
      const signalled = Date.now();
      process.kill(Number(pid), 'SIGTERM');
      await waitFor(() => !isRunning(Number(pid)), 'the app to end', 10_000);
      appMs = Date.now() - signalled;
    } finally {
      process.kill(launcherPid, 'SIGCONT');
    }
    const exit = await launcher.exited();
    assert.equal(exit.signal, 'SIGTERM', exit.stderr);
    assert.ok(appMs < 1000 + 1500, `the app took ${appMs} ms to end with its launcher stopped`);
  });
}

/** Whether `pid` still runs (a zombie, ended but not yet reaped, does not). */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}
