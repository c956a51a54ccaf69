// kafkajs is patched from 2.0 to 2.x only: a copy of the installed kafkajs with its version set to
// 3.0.0 is left as it is, and its sends make no spans; the installed 2.x beside it is patched.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type * as KafkaJs from 'kafkajs';
import { isWrapped } from '../../../src/hook/patch.js';
import { instrumentInProcess } from '../../support/in-process-instrumentation.js';
import { startKafka } from '../../support/servers/kafka.js';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
const inProcess = instrumentInProcess(['kafkajs']);

const root = mkdtempSync(join(tmpdir(), 'otel-instrument-kafkajs-3-'));
after(() => rmSync(root, { recursive: true, force: true }));

function copyOfKafkaJs(version: string): string {
  const installed = dirname(require.resolve('kafkajs/package.json'));
  const copy = join(root, 'node_modules', 'kafkajs');
  cpSync(installed, copy, { recursive: true, filter: (path) => !path.endsWith('.d.ts') });
  const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { version: string };
  writeFileSync(join(copy, 'package.json'), JSON.stringify({ ...manifest, version }));
  return join(root, 'app.js');
}

test('kafkajs 3.0.0 is left unpatched and traces nothing; the installed 2.x is patched', async () => {
  const installed = require('kafkajs') as typeof KafkaJs;
  assert.equal(isWrapped(installed.Kafka.prototype.producer), true);
  assert.equal(isWrapped(installed.Kafka.prototype.consumer), true);
  const other = createRequire(copyOfKafkaJs('3.0.0'))('kafkajs') as typeof KafkaJs;
  assert.notEqual(other.Kafka, installed.Kafka);
  assert.equal(isWrapped(other.Kafka.prototype.producer), false);
  assert.equal(isWrapped(other.Kafka.prototype.consumer), false);

  // A real send with the copy: delivered, untraced.
  const broker = await startKafka();
  const producer = new other.Kafka({ brokers: [broker.broker], logLevel: other.logLevel.NOTHING }).producer();
  await producer.connect();
  const [sent] = await producer.send({ topic: `v3-${process.pid}`, messages: [{ value: 'untraced' }] });
  await producer.disconnect();
  await broker.stop();
  assert.equal(sent!.errorCode, 0);
  assert.deepEqual(inProcess.spans, []);
  assert.deepEqual(inProcess.measurements, []);
});
