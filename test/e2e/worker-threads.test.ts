// Worker threads run our preload too (NODE_OPTIONS). They hand their telemetry to the main thread's SDK
// (src/threads): one resource and one service.instance.id per process, spans and log records of a
// worker carry thread.id, metric streams of all threads are merged into one set, and the runtime
// metrics are recorded once per process. The app, its workers and its exit are as without us.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { flattenMetrics, GrpcReceiver, type FlatMetric } from '../support/otlp-receiver.js';
import { FIXTURES, runCli, startProcess, type Exit } from '../support/run-cli.js';

const APP = join(FIXTURES, 'workers', 'two-workers.js');
const THREAD_NAMES = 'threadName' in (require('node:worker_threads') as object);

function sortedLines(text: string): string[] {
  return text.split('\n').filter((line) => line !== '').sort();
}

/** Thread ids by job number, from the app's own lines ("job 1 in thread 1: ..."). */
function threadsByJob(stdout: string): Map<number, number> {
  const threads = new Map<number, number>();
  for (const match of stdout.matchAll(/^job (\d+) in thread (\d+): 200 hello from main to \/job\/\d+$/gm)) {
    threads.set(Number(match[1]), Number(match[2]));
  }
  return threads;
}

async function uninstrumented(): Promise<Exit> {
  return startProcess(process.execPath, [APP]).exited();
}

async function instrumented(env: NodeJS.ProcessEnv = {}): Promise<{ exit: Exit; receiver: GrpcReceiver }> {
  const receiver = await GrpcReceiver.start();
  const exit = await runCli(['--service_name', 'jobs', 'node', APP], { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, ...env });
  return { exit, receiver };
}

/** Each export request holds each stream (scope, metric, attribute set) once: no two threads' points collide. */
function assertNoCollidingStreams(receiver: GrpcReceiver): FlatMetric[][] {
  const collections: FlatMetric[][] = [];
  for (const request of receiver.requests) {
    if (request.signal !== 'metrics' || !request.body) continue;
    const metrics = flattenMetrics(request.body);
    collections.push(metrics);
    const streams = new Set<string>();
    for (const metric of metrics) {
      for (const point of metric.points) {
        const stream = `${JSON.stringify(metric.resource)} ${metric.scope.name} ${metric.name} ${JSON.stringify(Object.entries(point.attributes).sort())}`;
        assert.ok(!streams.has(stream), `one point per stream in one export: ${metric.name} ${JSON.stringify(point.attributes)}`);
        streams.add(stream);
      }
    }
  }
  return collections;
}

function point(metrics: FlatMetric[], name: string) {
  const metric = metrics.find((m) => m.name === name);
  assert.ok(metric !== undefined, `${name} exported`);
  assert.equal(metric.points.length, 1, `${name}: one stream`);
  return metric.points[0]!;
}

test('an app with two worker threads exits as it does uninstrumented: same code, same output, workers not kept alive', async () => {
  const plain = await uninstrumented();
  const { exit, receiver } = await instrumented();
  try {
    assert.equal(exit.code, plain.code);
    assert.equal(exit.signal, null);
    assert.deepEqual(sortedLines(exit.stdout), sortedLines(plain.stdout));
    assert.match(exit.stdout, /worker 1 exited 0\n/);
    assert.match(exit.stdout, /worker 2 exited 0\n/);
    assert.equal(exit.stderr, plain.stderr, 'nothing of ours on stderr');
  } finally {
    await receiver.close();
  }
});

test("workers' spans and log records reach the collector through the main thread, with thread.id, under the process's one resource", async () => {
  const { exit, receiver } = await instrumented();
  try {
    assert.equal(exit.code, 0, exit.stderr);
    const threads = threadsByJob(exit.stdout);
    assert.equal(threads.size, 2, exit.stdout);
    const spans = await receiver.waitForSpans(6);
    const logs = await receiver.waitForLogs(4);

    const resources = new Set([...spans, ...logs].map((item) => JSON.stringify(item.resource)));
    assert.equal(resources.size, 1, 'one resource for every thread of the process');
    const resource = spans[0]!.resource;
    assert.equal(resource['service.name'], 'jobs');
    assert.equal(typeof resource['service.instance.id'], 'string');

    for (const [job, thread] of threads) {
      const own = spans.find((s) => s.name === `job ${job}`);
      assert.ok(own !== undefined, `the span of job ${job}`);
      assert.equal(own.attributes['thread.id'], thread);
      // Node 22+ names a thread after the Worker's `name` option; Node 20 has no thread names.
      assert.equal(own.attributes['thread.name'], THREAD_NAMES ? `job-${job}` : undefined);
      const client = spans.find((s) => s.kind === 3 && s.attributes['url.full'] === `http://127.0.0.1:${String(s.attributes['server.port'])}/job/${job}`);
      assert.ok(client !== undefined, `the http client span of job ${job}`);
      assert.equal(client.attributes['thread.id'], thread, 'instrumentations in a worker: their spans carry its thread.id too');
      // The worker's call reached the main thread's server with its trace context.
      const server = spans.find((s) => s.kind === 2 && s.attributes['url.path'] === `/job/${job}`);
      assert.ok(server !== undefined, `the server span of job ${job}`);
      assert.equal(server.parentSpanId, client.spanId);
      assert.equal(server.attributes['thread.id'], undefined, 'the main thread adds no thread attributes');
      const line = logs.find((l) => String(l.body).startsWith(`job ${job} in thread ${thread}`));
      assert.ok(line !== undefined, `the console line of job ${job} as a log record`);
      assert.equal(line.attributes['thread.id'], thread);
    }
    assert.equal(new Set(spans.map((s) => s.spanId)).size, spans.length, 'no span twice');
  } finally {
    await receiver.close();
  }
});

test('metric streams of the main thread and its workers are merged into one set, and runtime metrics are recorded once per process', async () => {
  const { exit, receiver } = await instrumented();
  try {
    assert.equal(exit.code, 0, exit.stderr);
    await receiver.waitForMetrics((metrics) => metrics.some((m) => m.name === 'jobs.done'));
    const collections = assertNoCollidingStreams(receiver);
    const metrics = collections.flat();
    assert.equal(new Set(metrics.map((m) => JSON.stringify(m.resource))).size, 1, 'one resource: no worker exports as an instance of its own');
    const last = collections.filter((c) => c.some((m) => m.name === 'jobs.done')).at(-1)!;
    // main 1, worker 1: 2, worker 2: 3 (cumulative: what ended threads counted stays counted).
    assert.equal(Number(point(last, 'jobs.done').value), 6);
    const duration = point(last, 'jobs.duration');
    assert.equal(Number(duration.count), 2);
    assert.equal(duration.sum, 1.5);
    assert.equal(duration.min, 0.5);
    assert.equal(duration.max, 1);
    assert.deepEqual(duration.bucketCounts!.map(Number), [0, 2, 0]);
    assert.equal(Number(point(last, 'http.client.request.duration').count), 2, 'both workers\' client calls in one stream');
    assert.equal(Number(point(last, 'http.server.request.duration').count), 2);
    // Recorded by the main thread only: one point each per collection, not one per thread.
    for (const collection of collections) {
      for (const metric of collection) {
        if (metric.name === 'process.memory.usage' || metric.name === 'nodejs.eventloop.utilization') assert.equal(metric.points.length, 1, metric.name);
      }
    }
    assert.ok(metrics.some((m) => m.name === 'process.memory.usage'), 'runtime metrics are exported');
  } finally {
    await receiver.close();
  }
});

test('with delta temporality the workers\' measurements are counted once, in the export after they arrived', async () => {
  const { exit, receiver } = await instrumented({ OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'delta' });
  try {
    assert.equal(exit.code, 0, exit.stderr);
    await receiver.waitForMetrics((metrics) => metrics.some((m) => m.name === 'jobs.done'));
    const collections = assertNoCollidingStreams(receiver);
    assert.equal(new Set(collections.flat().map((m) => JSON.stringify(m.resource))).size, 1, 'one resource');
    let total = 0;
    let count = 0;
    for (const collection of collections) {
      for (const metric of collection) {
        if (metric.name === 'jobs.done') for (const p of metric.points) total += Number(p.value);
        if (metric.name === 'jobs.duration') for (const p of metric.points) count += Number(p.count);
      }
    }
    assert.equal(total, 6);
    assert.equal(count, 2);
  } finally {
    await receiver.close();
  }
});

test("a worker's burst waits in its own queue while the main thread's is full, and arrives whole", async () => {
  const receiver = await GrpcReceiver.start();
  try {
    // Each worker makes 3 times what the main thread's queue holds, at once.
    const exit = await runCli(['node', join(FIXTURES, 'workers', 'span-bursts.js')], {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_BSP_MAX_QUEUE_SIZE: '100',
      OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '50',
      OTEL_BSP_SCHEDULE_DELAY: '50',
      SPANS: '100',
      LINGER_MS: '3000',
    });
    assert.equal(exit.code, 0, exit.stderr);
    assert.equal(exit.stdout, 'workers exited 0\n');
    const spans = await receiver.waitForSpans(200);
    assert.equal(spans.length, 200);
    assert.equal(new Set(spans.map((s) => s.spanId)).size, 200);
  } finally {
    await receiver.close();
  }
});
