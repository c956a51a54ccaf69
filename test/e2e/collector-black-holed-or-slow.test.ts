// A collector that is black-holed (accepts TCP, never answers) or slow (answers
// after the export timeout), while the app is under load. The app answers and prints exactly as
// without the launcher, its heap stays flat (queues are bounded and what overflows is dropped and
// counted), the outage is said once, and the exit is not held up beyond the export timeout.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import { join } from 'node:path';
import { GrpcReceiver } from '../support/otlp-receiver.js';
import { FIXTURES, httpGet, startCli, startProcess, waitFor, type Exit } from '../support/run-cli.js';

const SERVICE = join(FIXTURES, 'load-service.js');

/** GETs of /work?i=first..first+total-1, `concurrency` at a time over keep-alive connections; the answers in order. */
async function load(base: string, first: number, total: number, concurrency: number): Promise<string[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const answers: string[] = new Array(total);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < total) {
      const i = first + next++;
      answers[i - first] = await new Promise<string>((resolve, reject) => {
        http
          .get(`${base}/work?i=${i}`, { agent }, (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => (body += c));
            res.on('end', () => resolve(`${res.statusCode} ${body}`));
          })
          .on('error', reject);
      });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  agent.destroy();
  return answers;
}

async function heapUsed(base: string): Promise<number> {
  const body = await new Promise<string>((resolve, reject) => {
    http.get(`${base}/heap`, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c));
      res.on('end', () => resolve(text));
    }).on('error', reject);
  });
  return Number(body);
}

interface Run {
  readonly answers: string[];
  readonly exit: Exit;
  /** Heap after a full GC once warm, and after the whole load. */
  readonly heap: readonly [number, number];
  /** SIGTERM to exit. */
  readonly stopMs: number;
}

async function serveUnderLoad(
  env: NodeJS.ProcessEnv,
  launcher: boolean,
  warm: number,
  total: number,
  afterLoad: (base: string, stderr: () => string) => Promise<string[]> = async () => [],
): Promise<Run> {
  const args = ['--expose-gc', SERVICE];
  const app = launcher ? startCli(['node', ...args], env) : startProcess(process.execPath, args, env);
  const port = Number((await app.waitForLine(/listening (\d+)/))[1]);
  const base = `http://127.0.0.1:${port}`;
  const answers = await load(base, 0, warm, 20);
  const before = await heapUsed(base);
  answers.push(...(await load(base, warm, total - warm, 20)));
  answers.push(...(await afterLoad(base, () => app.stderr())));
  const after = await heapUsed(base);
  const stopping = Date.now();
  app.child.kill('SIGTERM');
  const exit = await app.exited();
  return { answers, exit, heap: [before, after], stopMs: Date.now() - stopping };
}

/** The app's stdout as a multiset: concurrent requests may print in another order. */
function sortedLines(text: string): string[] {
  return text.replace(/listening \d+/, 'listening PORT').split('\n').sort();
}

const TIMEOUT_MS = 1000;
/** Small queues, so the load overflows them many times over: drops must keep memory flat. */
const ENV = {
  OTEL_EXPORTER_OTLP_TIMEOUT: String(TIMEOUT_MS),
  OTEL_BSP_MAX_QUEUE_SIZE: '256',
  OTEL_BLRP_MAX_QUEUE_SIZE: '256',
  OTEL_METRIC_EXPORT_INTERVAL: '500',
};

/** Our lines above debug level. */
function ourWarnings(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.startsWith('otel-instrument') && !line.startsWith('otel-instrument: debug:'));
}

test('a black-holed collector under load: answers and output as without us, flat heap, one outage warning, exit within the timeout', async () => {
  const sockets = new Set<net.Socket>();
  const hole = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.resume();
  });
  await new Promise<void>((resolve) => hole.listen(0, '127.0.0.1', resolve));
  try {
    const endpoint = `http://127.0.0.1:${(hole.address() as net.AddressInfo).port}`;
    const plain = await serveUnderLoad({}, false, 1000, 6000);
    const env = { ...ENV, OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_LOG_LEVEL: 'debug' };
    const run = await serveUnderLoad(env, true, 1000, 6000, async (_base, stderr) => {
      // Several exports time out against the hole before the app is stopped; each batch is kept for a retry.
      await waitFor(() => (stderr().match(/kept \d+ spans after a failed export \(gRPC deadline exceeded/g) ?? []).length >= 2, 'two timed-out span exports');
      return [];
    });
    assert.deepEqual(run.answers, plain.answers);
    assert.deepEqual(sortedLines(run.exit.stdout), sortedLines(plain.exit.stdout));
    assert.equal(run.exit.signal, plain.exit.signal);
    // 5000 requests made 5000 spans and 5000 log records; the queues hold 256 of each.
    const growth = run.heap[1] - run.heap[0];
    assert.ok(growth < 3 * 1024 * 1024, `heap grew ${(growth / 1048576).toFixed(1)} MB under load (plain: ${((plain.heap[1] - plain.heap[0]) / 1048576).toFixed(1)} MB)`);
    const warnings = ourWarnings(run.exit.stderr);
    const outage = warnings.filter((line) => line.includes('did not answer within 1000 ms'));
    assert.equal(outage.length, 1, run.exit.stderr);
    assert.match(outage[0]!, /^otel-instrument: warn: the OTLP collector at http:\/\/127\.0\.0\.1:\d+\/ did not answer within 1000 ms; will keep retrying, telemetry may be dropped$/);
    // Besides: one line per full queue, and perhaps the launcher saying what it could not deliver.
    const others = warnings.filter((line) => !outage.includes(line));
    assert.deepEqual(others.filter((line) => !line.startsWith('otel-instrument: launcher: could not deliver')).sort(), [
      'otel-instrument: warn: log records queue is full (256); dropping log records until the exporter catches up',
      'otel-instrument: warn: spans queue is full (256); dropping spans until the exporter catches up',
    ]);
    assert.ok(others.length <= 3, run.exit.stderr);
    // Counted: what the queues could not hold, said at exit (debug); timed-out batches are kept, not
    // dropped. 6000 requests and 2 heap reads made 6002 spans; the 6000 lines and the 'listening' one
    // made 6001 log records. At most a queue of each (256, the export in flight included) was still
    // pending, handed to the launcher.
    const summary = /dropped during this run: (\d+) spans, \d+ metric exports, (\d+) log records \(/.exec(run.exit.stderr);
    assert.ok(summary, run.exit.stderr.split('\n').filter((l) => l.includes('during this run')).join('\n'));
    assert.ok(Number(summary[1]) >= 6002 - 256 && Number(summary[1]) <= 6002, summary[0]);
    assert.ok(Number(summary[2]) >= 6001 - 256 && Number(summary[2]) <= 6001, summary[0]);
    // The handover at exit is bounded by the export timeout, black hole or not.
    assert.ok(run.stopMs < TIMEOUT_MS + 2500, `exit took ${run.stopMs} ms`);
  } finally {
    for (const socket of sockets) socket.destroy();
    hole.close();
  }
});

test('a slow collector (answers after the timeout) under load: the app is unaffected, every span still reaches it, one warning', async () => {
  const receiver = await GrpcReceiver.start();
  // The first answers come after the timeout: our side gives up on each, the collector got it anyway.
  receiver.failNext(4, { delayMs: TIMEOUT_MS + 500 });
  try {
    const last = async (base: string): Promise<string[]> => [(await httpGet(`${base}/work?i=last`)).body];
    const plain = await serveUnderLoad({}, false, 200, 1000, last);
    // Queues large enough for the whole run: this test is about time-outs, not overflow.
    const env = { ...ENV, OTEL_BSP_MAX_QUEUE_SIZE: '4096', OTEL_BLRP_MAX_QUEUE_SIZE: '4096', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_METRICS_EXPORTER: 'none' };
    const run = await serveUnderLoad(env, true, 200, 1000, async (base) => {
      // The collector answers in time again once its slow answers are used up.
      await waitFor(() => receiver.requests.length >= 4, 'the slow exports', 15_000);
      return last(base);
    });
    assert.deepEqual(run.answers, plain.answers);
    assert.deepEqual(sortedLines(run.exit.stdout), sortedLines(plain.exit.stdout));
    assert.equal(run.exit.signal, plain.exit.signal);
    const growth = run.heap[1] - run.heap[0];
    assert.ok(growth < 3 * 1024 * 1024, `heap grew ${(growth / 1048576).toFixed(1)} MB`);
    const outage = ourWarnings(run.exit.stderr).filter((line) => line.includes('did not answer'));
    assert.equal(outage.length, 1, run.exit.stderr);
    // Exports that timed out on our side were still received; the rest went once the collector was
    // quick again, or through the launcher at exit: every request's span is there.
    const queries = new Set(receiver.spans().filter((s) => s.kind === 2).map((s) => s.attributes['url.query']));
    const missing = [...Array.from({ length: 1000 }, (_, i) => `i=${i}`), 'i=last'].filter((q) => !queries.has(q));
    assert.deepEqual(missing, []);
  } finally {
    await receiver.close();
  }
});
