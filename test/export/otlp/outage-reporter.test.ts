import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ExportResult } from '../../../src/core/export-result.js';
import { countDropped } from '../../../src/core/dropped-counts.js';
import { OutageReporter } from '../../../src/export/otlp/exporter/outage-reporter.js';
import { codedError } from '../../../src/export/otlp/transport/types.js';
import { otlpConfig, withDiag } from '../../support/exporter-helpers.js';

const OK: ExportResult = { ok: true };
const refused = (): ExportResult => ({ ok: false, retryable: true, error: codedError('connect ECONNREFUSED', 'ECONNREFUSED') });
const unavailable = (): ExportResult => ({ ok: false, retryable: true, error: codedError('gRPC status UNAVAILABLE (14)', 'GRPC_UNAVAILABLE') });

/** A collector address of its own per test: outages are kept per collector, for the whole process. */
let nextPort = 40_000;
function collectorUrl(): string {
  return `http://127.0.0.1:${nextPort++}`;
}

test("when an outage ends, one info line says how long it lasted and how many spans, points and records were dropped meanwhile, counting only this collector's signals", () =>
  withDiag(async (log) => {
    const url = collectorUrl();
    const traces = new OutageReporter('traces', otlpConfig('grpc', url), url);
    const metrics = new OutageReporter('metrics', otlpConfig('grpc', url), url);
    const elsewhere = collectorUrl();
    new OutageReporter('logs', otlpConfig('grpc', elsewhere), elsewhere);
    countDropped('traces', 100); // before the outage: not its cost
    traces.attemptEnded(refused());
    metrics.attemptEnded(refused());
    countDropped('traces', 12);
    countDropped('metrics', 30);
    countDropped('logs', 7); // sent to another collector
    await new Promise((resolve) => setTimeout(resolve, 120));
    assert.equal(log.warn.length, 1, log.warn.join('\n'));
    assert.deepEqual(log.info, []);
    metrics.attemptEnded(OK);
    assert.equal(log.info.length, 1, log.info.join('\n'));
    const said = /^the OTLP collector at http:\/\/127\.0\.0\.1:\d+\/ takes data again after an outage of (\d+\.\d) s; dropped meanwhile: 12 spans, 30 metric data points, 0 log records$/.exec(log.info[0]!);
    assert.ok(said, log.info[0]);
    assert.ok(Number(said[1]) >= 0.1, said[1]);
    traces.attemptEnded(OK);
    assert.equal(log.info.length, 1, 'said once per outage, not per signal');
  }));

test('an outage that dropped nothing says 0 of each', () =>
  withDiag(async (log) => {
    const url = collectorUrl();
    const logs = new OutageReporter('logs', otlpConfig('http/protobuf', `${url}/v1/logs`), `${url}/v1/logs`);
    logs.attemptEnded(refused());
    logs.attemptEnded(OK);
    assert.equal(log.info.length, 1);
    assert.match(log.info[0]!, /dropped meanwhile: 0 spans, 0 metric data points, 0 log records$/);
  }));

test('a retryable failure the retries got past is no outage: nothing is said', () =>
  withDiag(async (log) => {
    const url = collectorUrl();
    const traces = new OutageReporter('traces', otlpConfig('grpc', url), url);
    traces.attemptEnded(unavailable());
    traces.attemptEnded(OK);
    assert.deepEqual(log.warn, []);
    assert.deepEqual(log.info, []);
  }));

test('an attempt that started before the collector came back does not start a new outage when it fails', () =>
  withDiag(async (log) => {
    const url = collectorUrl();
    const traces = new OutageReporter('traces', otlpConfig('grpc', url), url);
    const metrics = new OutageReporter('metrics', otlpConfig('grpc', url), url);
    traces.attemptEnded(refused());
    const startedDuringOutage = metrics.epoch;
    traces.attemptEnded(OK);
    metrics.attemptEnded(refused(), startedDuringOutage);
    metrics.outage('the OTLP collector keeps failing metrics exports', startedDuringOutage);
    assert.equal(log.warn.length, 1, log.warn.join('\n'));
    assert.equal(log.info.length, 1);
    // A failure that starts afterwards is a new outage: said again, and its end too.
    metrics.attemptEnded(refused());
    metrics.attemptEnded(OK);
    assert.equal(log.warn.length, 2, log.warn.join('\n'));
    assert.equal(log.info.length, 2);
  }));
