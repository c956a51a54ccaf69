// --view points every signal's exporter at the viewer by the protocol that signal uses, drops TLS settings
// meant for a remote collector, and exports more often unless the user chose the delays.

import { test } from 'node:test';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { parseArgs } from '../../src/cli/main.js';
import { pointAtViewer } from '../../src/cli/view-command.js';

const viewer = { grpcEndpoint: 'http://127.0.0.1:4317', httpEndpoint: 'http://127.0.0.1:4318' };

test('each signal goes to the receiver of its protocol', () => {
  const env = pointAtViewer({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf', OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector:4318' }, viewer);
  assert.equal(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, 'http://127.0.0.1:4318/v1/traces');
  assert.equal(env.OTEL_EXPORTER_OTLP_LOGS_ENDPOINT, 'http://127.0.0.1:4318/v1/logs');
  assert.equal(env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT, 'http://127.0.0.1:4317');
});

test('TLS settings for a remote collector are dropped; export delays are shortened only when unset', () => {
  const env = pointAtViewer({ OTEL_EXPORTER_OTLP_CERTIFICATE: '/ca.pem', OTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY: '/k.pem', OTEL_METRIC_EXPORT_INTERVAL: '30000' }, viewer);
  assert.equal(env.OTEL_EXPORTER_OTLP_CERTIFICATE, undefined);
  assert.equal(env.OTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY, undefined);
  assert.equal(env.OTEL_METRIC_EXPORT_INTERVAL, '30000');
  assert.equal(env.OTEL_BSP_SCHEDULE_DELAY, '500');
});

test('--view is a flag without a value; `view` alone is the viewer command, and the word as an app argument is not', () => {
  const run = parseArgs(['--view', 'node', 'app.js']);
  assert.ok('view' in run && run.view === true && run.action === 'run');
  assert.deepEqual('command' in run && run.command, ['node', 'app.js']);
  const view = parseArgs(['--view_port', '9000', 'view']);
  assert.equal('action' in view && view.action, 'view');
  assert.equal('flagEnv' in view && view.flagEnv.get('OTEL_NODE_VIEW_PORT'), '9000');
  const app = parseArgs(['node', 'view']);
  assert.deepEqual('command' in app && app.command, ['node', 'view']);
  assert.throws(() => parseArgs(['--view=yes', 'node']), /does not take a value/);
});

test('a plain launch does not load the viewer: src/view is required only by view and --view', () => {
  const main = join(__dirname, '..', '..', 'src', 'cli', 'main.js');
  const probe = `require(${JSON.stringify(main)}); process.stdout.write(JSON.stringify(Object.keys(require.cache).filter((p) => p.includes('/src/view/'))))`;
  const out = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' });
  assert.equal(out.status, 0, out.stderr);
  assert.deepEqual(JSON.parse(out.stdout), []);
});
