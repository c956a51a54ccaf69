// As a user would meet it: every variable we read set to garbage at once. The app
// starts, answers and prints exactly as without the launcher; we only add warning lines naming variables.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describeConfig } from '../../src/config/load-config.js';
import { FIXTURES, httpGet, startCli, startProcess } from '../support/run-cli.js';

test('every OTEL_* variable set to garbage: the app starts and answers as without us, with one-line warnings', async () => {
  const garbage = Object.fromEntries(describeConfig({}, new Set()).map((entry) => [entry.name, 'garbage \u2603 -1']));
  const service = join(FIXTURES, 'http-service.js');
  const runs = [];
  for (const app of [startProcess(process.execPath, [service]), startCli(['node', service], garbage)]) {
    const port = Number((await app.waitForLine(/listening (\d+)/))[1]);
    const answer = await httpGet(`http://127.0.0.1:${port}/hello`);
    app.child.kill('SIGTERM');
    runs.push({ answer, exit: await app.exited() });
  }
  const [plain, instrumented] = runs;
  assert.deepEqual(instrumented!.answer, plain!.answer);
  assert.equal(instrumented!.exit.signal, plain!.exit.signal);
  assert.equal(instrumented!.exit.stdout.replace(/\d+/g, 'N'), plain!.exit.stdout.replace(/\d+/g, 'N'));
  const lines = instrumented!.exit.stderr.split('\n').filter((line) => line !== '');
  assert.ok(lines.length > 10, instrumented!.exit.stderr);
  for (const line of lines) assert.match(line, /^otel-instrument: warn: .*OTEL_[A-Z_]+/, line);
});
