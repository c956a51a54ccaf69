import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { metrics, type Meter } from '@opentelemetry/api';
import { startRuntimeMetrics } from '../../../instrumentations/runtime/index.js';
import { ALL_RUNTIME_METRICS, busyWait, histogramPoints, names, provokeGc, setup, tick } from './runtime-helpers.js';

test('startRuntimeMetrics registers every runtime metric on the meter it is given', async () => {
  const { provider, meter } = setup();
  const stop = startRuntimeMetrics(meter);
  try {
    // The event-loop delay and GC metrics exist only once a sample or a GC has happened, which a loaded
    // machine can delay: block the loop and make garbage again until both are there (or 10 rounds).
    let rm = await provider.collect();
    for (let i = 0; i < 10 && names(rm).size < ALL_RUNTIME_METRICS.length; i++) {
      busyWait(30);
      await tick(45);
      await provokeGc();
      rm = await provider.collect();
    }
    assert.deepEqual([...names(rm)].sort(), [...ALL_RUNTIME_METRICS].sort());
    assert.equal(rm.scopeMetrics.length, 1);
    assert.equal(rm.scopeMetrics[0]!.scope.name, 'test');
  } finally {
    stop();
  }
});

test('stop removes every runtime metric from later collections', async () => {
  const { provider, meter } = setup('delta');
  const stop = startRuntimeMetrics(meter);
  busyWait(30);
  await tick(45);
  await provokeGc();
  assert.ok(names(await provider.collect()).size >= ALL_RUNTIME_METRICS.length - 1);
  stop();
  const drained = names(await provider.collect());
  for (const name of ALL_RUNTIME_METRICS) if (name !== 'v8js.gc.duration') assert.equal(drained.has(name), false, name);
  busyWait(30);
  await tick(45);
  await provokeGc();
  const after = names(await provider.collect());
  for (const name of ALL_RUNTIME_METRICS) assert.equal(after.has(name), false, name);
  stop(); // idempotent
});

test('under cumulative temporality the GC histogram keeps its totals after stop but records nothing new', async () => {
  const { provider, meter } = setup('cumulative');
  const stop = startRuntimeMetrics(meter);
  let before = histogramPoints(await provider.collect(), 'v8js.gc.duration');
  for (let i = 0; i < 10 && before.length === 0; i++) {
    await provokeGc();
    before = histogramPoints(await provider.collect(), 'v8js.gc.duration');
  }
  stop();
  const settled = histogramPoints(await provider.collect(), 'v8js.gc.duration');
  const count = (points: typeof before) => points.reduce((n, p) => n + p.count, 0);
  await provokeGc();
  await provokeGc();
  const after = histogramPoints(await provider.collect(), 'v8js.gc.duration');
  assert.ok(count(settled) > 0);
  assert.equal(count(after), count(settled));
});

test('the runtime metrics work on the API no-op meter and survive a meter that throws', () => {
  const stopNoop = startRuntimeMetrics(metrics.getMeter('noop'));
  stopNoop();
  const throwing = new Proxy({}, {
    get() {
      return () => {
        throw new Error('broken meter');
      };
    },
  }) as Meter;
  const stop = startRuntimeMetrics(throwing);
  assert.equal(typeof stop, 'function');
  stop();
});

test('a process running the runtime metrics without stopping them still exits on its own', async () => {
  const index = join(__dirname, '../../../instrumentations/runtime/index.js');
  const provider = join(__dirname, '../../../src/metrics/meter-provider.js');
  const script = `
    const { SdkMeterProvider } = require(${JSON.stringify(provider)});
    const { startRuntimeMetrics } = require(${JSON.stringify(index)});
    const p = new SdkMeterProvider({ resource: { attributes: {} }, temporalityPreference: 'cumulative', exemplarFilter: 'always_off' });
    startRuntimeMetrics(p.getMeter('rt'));
    p.collect().then(() => console.log('collected'));
  `;
  const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
    const child = execFile(process.execPath, ['-e', script], { timeout: 10_000 }, (err, out) => {
      resolve({ code: err === null ? 0 : ((err as { code?: number }).code ?? null), stdout: out });
    });
    child.stdin?.end();
  });
  assert.equal(stdout.trim(), 'collected');
  assert.equal(code, 0, 'exited by itself, well before the 10 s kill timeout');
});
