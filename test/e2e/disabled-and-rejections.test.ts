// OTEL_SDK_DISABLED applies no patch at all, and unhandled rejections end (or not) exactly as
// without the launcher, in Node's default mode and with --unhandled-rejections=warn.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { GrpcReceiver } from '../support/otlp-receiver.js';
import { FIXTURES, runCli, startProcess } from '../support/run-cli.js';

test('OTEL_SDK_DISABLED=true: nothing is patched, only the config is loaded, nothing is sent', async () => {
  const receiver = await GrpcReceiver.start();
  try {
    const exit = await runCli(['node', join(FIXTURES, 'patch-probe.js')], { OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
    assert.equal(exit.code, 0, exit.stderr);
    const probe = JSON.parse(exit.stdout) as { serverEmit: boolean; request: boolean; consoleLog: boolean; ours: string[] };
    assert.deepEqual([probe.serverEmit, probe.request, probe.consoleLog], [false, false, false]);
    // The configuration is the settings table (src/config and the instrumentations' data-only settings files).
    assert.deepEqual(probe.ours.sort(), [
      'instrumentations/db/settings.js',
      'instrumentations/express/settings.js',
      'instrumentations/fastify/settings.js',
      'instrumentations/genai/settings.js',
      'instrumentations/graphql/settings.js',
      'instrumentations/grpc/settings.js',
      'instrumentations/http/settings.js',
      'instrumentations/messaging/settings.js',
      'instrumentations/registry.js',
      'instrumentations/undici/settings.js',
      'src/bootstrap/dormant.js',
      'src/bootstrap/register.js',
      'src/bootstrap/start-once.js',
      'src/bootstrap/start.js',
      'src/config/config-warnings.js',
      'src/config/env-readers.js',
      'src/config/load-config.js',
      'src/config/otlp-endpoint.js',
      'src/config/proxy-for-endpoint.js',
      'src/config/setting-types-patterns.js',
      'src/config/setting-types.js',
      'src/config/setting.js',
      'src/config/settings-table.js',
      'src/config/settings/exporters.js',
      'src/config/settings/instrumentations-and-diagnostics.js',
      'src/config/settings/logs-and-metrics.js',
      'src/config/settings/otlp-connection.js',
      'src/config/settings/propagation.js',
      'src/config/settings/sampling-and-limits.js',
      'src/config/settings/view.js',
      'src/config/spec-defaults.js',
      'src/config/unknown-variables.js',
      'src/diag/log.js',
      // Config masks secrets in its warnings with the shared redaction rules.
      'src/diag/redact.js',
      // The preload's stub runs its bundle through V8's code cache.
      'src/entry/code-cache.js',
      // The launcher's child links to it whatever the SDK does: each signal once, no orphan.
      'src/exit/app-launcher-link.js',
      'src/exit/launcher-fd.js',
      'src/exit/link-messages.js',
      'src/exit/own-signal-listeners.js',
    ]);
    assert.equal(exit.stderr, '');
    assert.deepEqual(receiver.requests, []);
    // The same probe with the SDK on sees the patches (so the probe can tell).
    const on = JSON.parse((await runCli(['node', join(FIXTURES, 'patch-probe.js')], { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url })).stdout.split('\n')[0]!);
    assert.deepEqual([on.serverEmit, on.request, on.consoleLog], [true, true, true]);
  } finally {
    await receiver.close();
  }
});

for (const mode of ['default', 'warn'] as const) {
  test(`an unhandled rejection (${mode} mode): exit code and output as without the launcher, and the line before it arrives`, async () => {
    const receiver = await GrpcReceiver.start();
    try {
      const nodeArgs = mode === 'warn' ? ['--unhandled-rejections=warn'] : [];
      const script = join(FIXTURES, 'rejection.js');
      const plain = await startProcess(process.execPath, [...nodeArgs, script]).exited();
      const exit = await runCli(['node', ...nodeArgs, script], { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
      assert.equal(exit.code, plain.code);
      assert.equal(exit.stdout, plain.stdout);
      // Byte for byte, but for the pid in the warning prefix.
      const samePid = (text: string): string => text.replace(/\(node:\d+\)/g, '(node:PID)');
      assert.equal(samePid(exit.stderr), samePid(plain.stderr));
      if (mode === 'default') {
        assert.equal(exit.code, 1);
        const logs = await receiver.waitForLogs((all) => all.some((l) => l.severityText === 'FATAL'));
        assert.ok(logs.some((l) => l.body === 'before the rejection'));
        assert.equal(logs.find((l) => l.severityText === 'FATAL')!.attributes['exception.message'], 'nobody handled this');
      } else {
        assert.equal(exit.code, 0);
        assert.match(exit.stdout, /still alive/);
        const logs = await receiver.waitForLogs((all) => all.some((l) => l.body === 'still alive'));
        assert.ok(!logs.some((l) => l.severityText === 'FATAL'), 'a rejection that does not end the process is not a crash');
      }
    } finally {
      await receiver.close();
    }
  });
}
