// An app that uses signal-exit (execa, write-file-atomic, foreground-child...) still ends on SIGTERM and
// SIGINT under the launcher, with its exit handler run, as without us: signal-exit re-raises a signal
// only when its listeners are the last ones, and ours did the same, so before the fix neither did.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FIXTURES, startCli, startProcess } from '../support/run-cli.js';

const APP = join(FIXTURES, 'signal-exit-app.js');

for (const module of ['signal-exit', 'signal-exit-3']) {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    test(`${module}: ${signal} ends the app with its exit handler run, as uninstrumented`, async () => {
      const env = { SIGNAL_EXIT_MODULE: module };
      const outcomes = [];
      for (const app of [startProcess(process.execPath, [APP], env), startCli(['node', APP], { ...env, OTEL_TRACES_EXPORTER: 'console', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' })]) {
        await app.waitForLine(/ready/);
        app.child.kill(signal);
        const exit = await app.exited(10_000);
        outcomes.push({ code: exit.code, signal: exit.signal, cleanup: exit.stdout.match(/cleanup \w+/)?.[0] });
      }
      assert.deepEqual(outcomes[1], outcomes[0]);
      assert.equal(outcomes[0]!.cleanup, `cleanup ${signal}`);
    });
  }
}
