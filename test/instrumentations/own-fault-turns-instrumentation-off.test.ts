// When our own code throws inside a patch (here: the telemetry it calls into throws
// everywhere), the app's calls still succeed exactly as unpatched, and each instrumentation says so
// once at debug level and turns itself off.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const APP = join(__dirname, '..', 'support', 'faulty-telemetry-app.js');

function run(kind: string): { stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [APP, kind], {
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, OTEL_LOG_LEVEL: 'debug' },
  });
  assert.equal(result.status, 0, `${kind}: exit ${String(result.status)} ${result.stderr}`);
  return { stdout: result.stdout, stderr: result.stderr };
}

const plain = run('plain');

/** Which instrumentations meet each fault in this app. */
const EXPECTED: Record<string, string[]> = {
  tracer: ['http client', 'http server', 'undici'],
  span: ['http client', 'http server', 'undici'],
  propagator: ['http client', 'http server', 'undici'],
  meter: ['http client', 'http server', 'undici'],
  logger: ['console', 'pino'],
};

for (const [kind, expected] of Object.entries(EXPECTED)) {
  test(`a ${kind} that throws: every call the app makes answers as unpatched, and each instrumentation says it once at debug`, () => {
    const faulty = run(kind);
    // Responses, bodies, headers, console and pino output: byte for byte the plain run's.
    assert.equal(faulty.stdout, plain.stdout);
    const ours = faulty.stderr.split('\n').filter((line) => line.startsWith('otel-instrument: '));
    const appStderr = faulty.stderr.split('\n').filter((line) => !line.startsWith('otel-instrument: ') && !line.startsWith('    at ')).join('\n');
    assert.equal(appStderr, plain.stderr);
    const disabled = ours.filter((line) => line.includes('disabled after an internal error'));
    for (const line of disabled) assert.match(line, /^otel-instrument: debug: instrumentation [a-z ]+ disabled after an internal error: Error: injected fault in /);
    const names = disabled.map((line) => /instrumentation ([a-z ]+) disabled/.exec(line)![1]).sort();
    assert.deepEqual(names, expected, faulty.stderr);
    // Nothing else of ours above debug, and nothing but the patch report besides.
    assert.deepEqual(ours.filter((line) => !line.includes('disabled after') && !/ patched \S+@/.test(line)), []);
  });
}

test('the plain run is what the comparison stands on: it answered every request', () => {
  const result = JSON.parse(plain.stdout.trim().split('\n').at(-1)!) as { seen: { status: number }[]; pino: string[] };
  assert.deepEqual(result.seen.map((s) => s.status), [200, 500, 418, 200, 200, 200, 500, 418, 200, 200]);
  assert.equal(result.pino.length, 4);
  assert.equal(plain.stderr, 'error handler: handler failed\nerror handler: short and stout\n'.repeat(2));
});
