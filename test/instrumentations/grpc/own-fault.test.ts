// When our own code throws inside the grpc patches (the telemetry it calls into throws everywhere), every
// call answers exactly as unpatched, with the same events in the same order, and the instrumentation
// says so once at debug level and turns itself off.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const APP = join(__dirname, 'faulty-grpc-app.js');

function run(kind: string): { stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [APP, kind], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, OTEL_LOG_LEVEL: 'debug' } });
  assert.equal(result.status, 0, `${kind}: exit ${String(result.status)} ${result.stderr}`);
  return { stdout: result.stdout, stderr: result.stderr };
}

const plain = run('plain');

test('the plain run is what the comparisons stand on: every call answered as the fixture says', () => {
  const { seen } = JSON.parse(plain.stdout) as { seen: unknown[] };
  assert.deepEqual(seen.slice(0, 5), [{ message: 'hello 0' }, [5, 'failed on purpose with 5'], [2, 'Unknown error'], [4, 'Deadline exceeded'], { 'x-app': 'round 0' }]);
  assert.deepEqual(seen[5], [
    ...['metadata  ', 'data m-0 ', 'data m-1 ', 'data m-2 ', 'status 0 OK', 'end  '],
    ...['metadata  ', 'data m-0 ', 'error 14 failed on purpose with 14', 'status 14 failed on purpose with 14', 'end  '],
    ...['metadata  ', 'data m-0 ', 'error 1 Cancelled on client', 'status 1 Cancelled on client', 'end  '],
    ...['metadata  ', 'data x ', 'status 0 OK', 'end  '],
  ]);
  assert.equal(plain.stderr, '');
});

for (const kind of ['tracer', 'span', 'propagator', 'meter']) {
  test(`a ${kind} that throws: every call answers as unpatched, and the instrumentation says it once at debug`, () => {
    const faulty = run(kind);
    assert.equal(faulty.stdout, plain.stdout);
    const ours = faulty.stderr.split('\n').filter((line) => line.startsWith('otel-instrument: '));
    const disabled = ours.filter((line) => line.includes('disabled after an internal error'));
    assert.equal(disabled.length, 1, faulty.stderr);
    assert.match(disabled[0]!, /^otel-instrument: debug: instrumentation grpc disabled after an internal error: Error: injected fault in /);
    assert.deepEqual(ours.filter((line) => !line.includes('disabled after') && !/ patched \S+@/.test(line)), []);
    assert.equal(faulty.stderr.split('\n').filter((line) => line !== '' && !line.startsWith('otel-instrument: ') && !line.startsWith('    at ')).join('\n'), '');
  });
}
