// service.instance.id (semantic-conventions docs/resource/service.md, stable): each process is an
// instance of its own, identified by a random UUID v4 made in that process, the same on its spans,
// metrics and logs; OTEL_RESOURCE_ATTRIBUTES overrides it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { GrpcReceiver } from '../support/otlp-receiver.js';
import { FIXTURES, runCli } from '../support/run-cli.js';

const APP = join(FIXTURES, 'parent-and-child.js');
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** service.instance.id by process.pid, from every span, metric and log record received; throws if a process has two. */
async function instanceIds(env: NodeJS.ProcessEnv): Promise<Map<unknown, unknown>> {
  const receiver = await GrpcReceiver.start();
  try {
    const exit = await runCli(['node', APP], { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, ...env });
    assert.equal(exit.code, 0, exit.stderr);
    assert.equal(exit.stdout, '200 hello /hello?x=1\n200 hello /hello?x=1\n');
    await receiver.waitForSpans(4);
    await receiver.waitForLogs(2);
    await receiver.waitForMetrics((metrics) => new Set(metrics.map((m) => m.resource['process.pid'])).size === 2);
    const resources = [
      ...receiver.spans().map((s) => s.resource),
      ...receiver.logs().map((l) => l.resource),
      ...receiver.metrics().map((m) => m.resource),
    ];
    const ids = new Map<unknown, unknown>();
    for (const resource of resources) {
      const pid = resource['process.pid'];
      const id = resource['service.instance.id'];
      if (ids.has(pid)) assert.equal(id, ids.get(pid), `process ${String(pid)} has one id on all its telemetry`);
      ids.set(pid, id);
    }
    return ids;
  } finally {
    await receiver.close();
  }
}

test('each process, the app and a child node process it starts, has its own service.instance.id, a random UUID v4', async () => {
  const ids = await instanceIds({});
  assert.equal(ids.size, 2, 'two processes exported');
  const values = [...ids.values()];
  for (const id of values) assert.match(String(id), UUID_V4);
  assert.notEqual(values[0], values[1], 'not inherited from the launcher or the parent');
  const again = [...(await instanceIds({})).values()];
  assert.ok(!again.some((id) => values.includes(id)), 'a new run is a new instance');
});

test('OTEL_RESOURCE_ATTRIBUTES sets service.instance.id instead', async () => {
  const ids = await instanceIds({ OTEL_RESOURCE_ATTRIBUTES: 'service.instance.id=checkout-7,deployment.environment.name=test' });
  assert.deepEqual([...ids.values()], ['checkout-7', 'checkout-7']);
});
