import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EXPORT_OK, type ExportResult, type Exporter } from '../../src/core/export-result.js';
import { fanOutMetricExporter } from '../../src/metrics/fan-out-exporter.js';
import type { ResourceMetrics } from '../../src/metrics/metric-data.js';

function fake(result: ExportResult | 'throw', log: string[], name: string): Exporter<ResourceMetrics> {
  return {
    export(_batch, done) {
      log.push(name);
      if (result === 'throw') throw new Error('sync throw');
      done(result);
      done(result); // a misbehaving exporter answering twice is counted once
    },
    async shutdown() {
      log.push(`${name}:shutdown`);
    },
  };
}

const RM: ResourceMetrics = { resource: { attributes: {} }, scopeMetrics: [] };

test('a fan-out exporter sends each batch to every exporter and answers once', async () => {
  const log: string[] = [];
  const fan = fanOutMetricExporter([fake(EXPORT_OK, log, 'a'), fake(EXPORT_OK, log, 'b')]);
  const results: ExportResult[] = [];
  fan.export([RM], (r) => results.push(r));
  assert.deepEqual(log, ['a', 'b']);
  assert.deepEqual(results, [EXPORT_OK]);
  await fan.shutdown();
  assert.deepEqual(log.slice(2), ['a:shutdown', 'b:shutdown']);
});

test('a fan-out exporter reports the first failure, including a synchronous throw', () => {
  const log: string[] = [];
  const fan = fanOutMetricExporter([fake(EXPORT_OK, log, 'a'), fake('throw', log, 'b')]);
  const results: ExportResult[] = [];
  fan.export([RM], (r) => results.push(r));
  assert.equal(results.length, 1);
  assert.equal(results[0]!.ok, false);
});

test('a single exporter is used as is', () => {
  const only = fake(EXPORT_OK, [], 'a');
  assert.equal(fanOutMetricExporter([only]), only);
});
