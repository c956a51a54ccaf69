import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setLogLevel } from '../../src/diag/log.js';
import { describeConfig, loadConfig } from '../../src/config/load-config.js';

setLogLevel('none');

const otlpDefaults = {
  protocol: 'grpc',
  url: 'http://localhost:4317',
  headers: {},
  compression: 'none',
  timeoutMs: 10000,
  insecure: true,
  certificateFile: undefined,
  clientKeyFile: undefined,
  clientCertificateFile: undefined,
};

describe('loadConfig defaults', () => {
  it('gives the spec defaults (and grpc, per DESIGN.md) for an empty environment', () => {
    assert.deepEqual(loadConfig({}), {
      sdkDisabled: false,
      logLevel: 'info',
      serviceName: undefined,
      resourceAttributes: {},
      resourceDetectors: ['env', 'host', 'os', 'process', 'package'],
      tracesExporters: ['otlp'],
      metricsExporters: ['otlp'],
      logsExporters: ['otlp'],
      consoleFormat: 'json',
      otlp: { traces: otlpDefaults, metrics: otlpDefaults, logs: otlpDefaults },
      sampler: 'parentbased_always_on',
      samplerRatio: 1,
      propagators: ['tracecontext', 'baggage'],
      bsp: { scheduleDelayMs: 5000, exportTimeoutMs: 30000, maxQueueSize: 2048, maxExportBatchSize: 512 },
      blrp: { scheduleDelayMs: 1000, exportTimeoutMs: 30000, maxQueueSize: 2048, maxExportBatchSize: 512 },
      spanLimits: {
        attributeCountLimit: 128,
        attributeValueLengthLimit: Infinity,
        eventCountLimit: 128,
        linkCountLimit: 128,
        attributePerEventCountLimit: 128,
        attributePerLinkCountLimit: 128,
      },
      logRecordLimits: { attributeCountLimit: 128, attributeValueLengthLimit: Infinity },
      enabledInstrumentations: undefined,
      disabledInstrumentations: [],
      exitExportTimeoutMs: 2000,
      metricExportIntervalMs: 60000,
      metricExportTimeoutMs: 30000,
      metricsTemporalityPreference: 'cumulative',
      metricsExemplarFilter: 'trace_based',
      prometheusHost: 'localhost',
      prometheusPort: 9464,
      semconvStabilityOptIn: [],
      instrumentationSettings: {},
    });
  });
  it('treats empty values as unset', () => {
    const env = Object.fromEntries(
      ['OTEL_SERVICE_NAME', 'OTEL_TRACES_EXPORTER', 'OTEL_PROPAGATORS', 'OTEL_BSP_MAX_QUEUE_SIZE', 'OTEL_SDK_DISABLED'].map((n) => [n, '']),
    );
    assert.deepEqual(loadConfig(env), loadConfig({}));
  });
  it('returns a deeply frozen object', () => {
    const config = loadConfig({ OTEL_EXPORTER_OTLP_HEADERS: 'a=b', OTEL_RESOURCE_ATTRIBUTES: 'k=v' });
    for (const part of [config, config.otlp, config.otlp.traces, config.otlp.traces.headers, config.bsp, config.propagators, config.resourceAttributes]) {
      assert.ok(Object.isFrozen(part));
    }
    assert.throws(() => {
      (config as { sampler: string }).sampler = 'always_off';
    }, TypeError);
  });
  it('reads process.env when called without an argument', () => {
    assert.equal(typeof loadConfig().sdkDisabled, 'boolean');
  });
});

describe('loadConfig batch processors', () => {
  it('reads the BSP and BLRP variables', () => {
    const c = loadConfig({
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_BSP_EXPORT_TIMEOUT: '0',
      OTEL_BSP_MAX_QUEUE_SIZE: '4096',
      OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '1024',
      OTEL_BLRP_SCHEDULE_DELAY: '50',
    });
    assert.deepEqual(c.bsp, { scheduleDelayMs: 100, exportTimeoutMs: 0, maxQueueSize: 4096, maxExportBatchSize: 1024 });
    assert.equal(c.blrp.scheduleDelayMs, 50);
  });
  it('clamps the export batch size to the queue size', () => {
    assert.equal(loadConfig({ OTEL_BSP_MAX_QUEUE_SIZE: '100' }).bsp.maxExportBatchSize, 100);
    assert.equal(loadConfig({ OTEL_BLRP_MAX_EXPORT_BATCH_SIZE: '5000' }).blrp.maxExportBatchSize, 2048);
  });
  it('ignores garbage, negative, zero and huge sizes', () => {
    const c = loadConfig({
      OTEL_BSP_MAX_QUEUE_SIZE: 'abc',
      OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '0',
      OTEL_BSP_SCHEDULE_DELAY: '-1',
      OTEL_BSP_EXPORT_TIMEOUT: '99999999999',
    });
    assert.deepEqual(c.bsp, { scheduleDelayMs: 5000, exportTimeoutMs: 30000, maxQueueSize: 2048, maxExportBatchSize: 512 });
  });
});

describe('loadConfig limits', () => {
  it('applies the general attribute limits to spans, events, links and log records', () => {
    const c = loadConfig({ OTEL_ATTRIBUTE_COUNT_LIMIT: '10', OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '200' });
    assert.deepEqual(
      [c.spanLimits.attributeCountLimit, c.spanLimits.attributeValueLengthLimit, c.spanLimits.attributePerEventCountLimit],
      [10, 200, 10],
    );
    assert.deepEqual(c.logRecordLimits, { attributeCountLimit: 10, attributeValueLengthLimit: 200 });
    assert.equal(c.spanLimits.eventCountLimit, 128);
  });
  it('lets signal-specific limits win over the general ones', () => {
    const c = loadConfig({
      OTEL_ATTRIBUTE_COUNT_LIMIT: '10',
      OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT: '20',
      OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT: '30',
      OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT: '40',
      OTEL_SPAN_ATTRIBUTE_PER_LINK_COUNT_LIMIT: '50',
      OTEL_SPAN_LINK_COUNT_LIMIT: '2',
    });
    assert.equal(c.spanLimits.attributeCountLimit, 20);
    assert.equal(c.logRecordLimits.attributeCountLimit, 30);
    assert.equal(c.spanLimits.attributePerEventCountLimit, 40);
    assert.equal(c.spanLimits.attributePerLinkCountLimit, 50);
    assert.equal(c.spanLimits.linkCountLimit, 2);
  });
  it('falls back to the general limit when the specific one is invalid', () => {
    assert.equal(loadConfig({ OTEL_ATTRIBUTE_COUNT_LIMIT: '10', OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT: '-3' }).spanLimits.attributeCountLimit, 10);
  });
});

describe('loadConfig sampler', () => {
  it('reads the sampler case-insensitively', () => {
    assert.equal(loadConfig({ OTEL_TRACES_SAMPLER: 'AlWaYs_Off' }).sampler, 'always_off');
  });
  it('ignores unknown and unsupported samplers', () => {
    assert.equal(loadConfig({ OTEL_TRACES_SAMPLER: 'sometimes' }).sampler, 'parentbased_always_on');
    assert.equal(loadConfig({ OTEL_TRACES_SAMPLER: 'jaeger_remote' }).sampler, 'parentbased_always_on');
  });
  it('reads the ratio for the ratio samplers', () => {
    assert.equal(loadConfig({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' }).samplerRatio, 0.25);
    assert.equal(loadConfig({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0' }).samplerRatio, 0);
  });
  it('uses 1.0 for an invalid or out-of-range ratio', () => {
    for (const arg of ['1.5', '-0.5', 'half', '']) {
      assert.equal(loadConfig({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: arg }).samplerRatio, 1, arg);
    }
  });
  it('does not read the argument for samplers that take none', () => {
    assert.equal(loadConfig({ OTEL_TRACES_SAMPLER: 'always_on', OTEL_TRACES_SAMPLER_ARG: '0.1' }).samplerRatio, 1);
  });
});

describe('loadConfig propagators', () => {
  it('de-duplicates in order', () => {
    assert.deepEqual(loadConfig({ OTEL_PROPAGATORS: 'b3multi,tracecontext,b3multi,Baggage' }).propagators, ['b3multi', 'tracecontext', 'baggage']);
  });
  it('turns none into an empty list', () => {
    assert.deepEqual(loadConfig({ OTEL_PROPAGATORS: 'none' }).propagators, []);
  });
  it('skips unknown and unsupported propagators', () => {
    assert.deepEqual(loadConfig({ OTEL_PROPAGATORS: 'xray,jaeger,ottrace,w3c' }).propagators, ['jaeger']);
  });
  it('uses the default when nothing usable is left', () => {
    assert.deepEqual(loadConfig({ OTEL_PROPAGATORS: 'xray' }).propagators, ['tracecontext', 'baggage']);
  });
});

describe('loadConfig exporters', () => {
  it('turns none alone into an empty list, per signal', () => {
    const c = loadConfig({ OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'NONE', OTEL_LOGS_EXPORTER: 'console' });
    assert.deepEqual([c.tracesExporters, c.metricsExporters, c.logsExporters], [[], [], ['console']]);
  });
  it('reads lists and skips unknown values', () => {
    assert.deepEqual(loadConfig({ OTEL_TRACES_EXPORTER: 'console, otlp, zipkin, bogus' }).tracesExporters, ['console', 'otlp']);
  });
  it('accepts prometheus for metrics only', () => {
    const c = loadConfig({ OTEL_METRICS_EXPORTER: 'prometheus', OTEL_TRACES_EXPORTER: 'prometheus' });
    assert.deepEqual([c.metricsExporters, c.tracesExporters], [['prometheus'], ['otlp']]);
  });
  it('falls back to otlp when nothing valid remains', () => {
    assert.deepEqual(loadConfig({ OTEL_LOGS_EXPORTER: 'logging' }).logsExporters, ['otlp']);
  });
});

describe('loadConfig resource', () => {
  it('reads the service name', () => {
    assert.equal(loadConfig({ OTEL_SERVICE_NAME: ' checkout ' }).serviceName, 'checkout');
  });
  it('percent-decodes resource attributes', () => {
    assert.deepEqual(loadConfig({ OTEL_RESOURCE_ATTRIBUTES: 'service.name=a%2Cb,deployment.environment=prod%3D1, team = x y ' }).resourceAttributes, {
      'service.name': 'a,b',
      'deployment.environment': 'prod=1',
      team: 'x y',
    });
  });
  it('discards all resource attributes on a decode error', () => {
    assert.deepEqual(loadConfig({ OTEL_RESOURCE_ATTRIBUTES: 'a=1,b=%E2%82' }).resourceAttributes, {});
    assert.deepEqual(loadConfig({ OTEL_RESOURCE_ATTRIBUTES: 'a=1,b' }).resourceAttributes, {});
  });
  it('expands, de-duplicates and filters resource detectors', () => {
    const detectors = (value: string): readonly string[] => loadConfig({ OTEL_NODE_RESOURCE_DETECTORS: value }).resourceDetectors;
    assert.deepEqual(detectors('all'), ['env', 'host', 'os', 'process', 'package', 'serviceinstance', 'container']);
    assert.deepEqual(detectors('process,all'), ['process', 'env', 'host', 'os', 'package', 'serviceinstance', 'container']);
    assert.deepEqual(detectors('none'), []);
    assert.deepEqual(detectors('env,aws,foo,host'), ['env', 'host']);
  });
});

describe('loadConfig instrumentations and the rest', () => {
  it('reads enabled and disabled instrumentations trimmed and lower-cased', () => {
    const c = loadConfig({ OTEL_NODE_ENABLED_INSTRUMENTATIONS: ' Http , Express,', OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'PG' });
    assert.deepEqual([c.enabledInstrumentations, c.disabledInstrumentations], [['http', 'express'], ['pg']]);
  });
  it('clamps the metric export timeout to the interval', () => {
    const c = loadConfig({ OTEL_METRIC_EXPORT_INTERVAL: '1000' });
    assert.deepEqual([c.metricExportIntervalMs, c.metricExportTimeoutMs], [1000, 1000]);
    assert.equal(loadConfig({ OTEL_METRIC_EXPORT_INTERVAL: '0' }).metricExportIntervalMs, 60000);
  });
  it('reads the metric temporality and exemplar filter', () => {
    const c = loadConfig({ OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'LowMemory', OTEL_METRICS_EXEMPLAR_FILTER: 'always_off' });
    assert.deepEqual([c.metricsTemporalityPreference, c.metricsExemplarFilter], ['lowmemory', 'always_off']);
    assert.equal(loadConfig({ OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'sometimes' }).metricsTemporalityPreference, 'cumulative');
  });
  it('reads the prometheus host and port, rejecting impossible ports', () => {
    const c = loadConfig({ OTEL_EXPORTER_PROMETHEUS_HOST: '0.0.0.0', OTEL_EXPORTER_PROMETHEUS_PORT: '9000' });
    assert.deepEqual([c.prometheusHost, c.prometheusPort], ['0.0.0.0', 9000]);
    assert.equal(loadConfig({ OTEL_EXPORTER_PROMETHEUS_PORT: '70000' }).prometheusPort, 9464);
  });
  it('reads OTEL_SDK_DISABLED, OTEL_LOG_LEVEL and OTEL_SEMCONV_STABILITY_OPT_IN', () => {
    const c = loadConfig({ OTEL_SDK_DISABLED: 'TRUE', OTEL_LOG_LEVEL: 'Debug', OTEL_SEMCONV_STABILITY_OPT_IN: 'http/dup, database' });
    assert.deepEqual([c.sdkDisabled, c.logLevel, c.semconvStabilityOptIn], [true, 'debug', ['http/dup', 'database']]);
    assert.equal(loadConfig({ OTEL_SDK_DISABLED: 'yes', OTEL_LOG_LEVEL: 'loud' }).sdkDisabled, false);
    assert.equal(loadConfig({ OTEL_LOG_LEVEL: 'loud' }).logLevel, 'info');
  });
});

describe('describeConfig', () => {
  const byName = (env: NodeJS.ProcessEnv, flags: string[] = []): Map<string, { value: string; source: string }> =>
    new Map(describeConfig(env, new Set(flags)).map((e) => [e.name, { value: e.value, source: e.source }]));

  it('lists defaults with source default', () => {
    const d = byName({});
    assert.deepEqual(d.get('OTEL_BSP_SCHEDULE_DELAY'), { value: '5000', source: 'default' });
    assert.deepEqual(d.get('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'), { value: 'http://localhost:4317', source: 'default' });
    assert.deepEqual(d.get('OTEL_SERVICE_NAME'), { value: 'unknown_service:node', source: 'default' });
    assert.deepEqual(d.get('OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT'), { value: 'unlimited', source: 'default' });
  });
  it('tells flags from environment variables', () => {
    const d = byName({ OTEL_SERVICE_NAME: 'svc', OTEL_TRACES_EXPORTER: 'console' }, ['OTEL_SERVICE_NAME']);
    assert.deepEqual(d.get('OTEL_SERVICE_NAME'), { value: 'svc', source: 'flag' });
    assert.deepEqual(d.get('OTEL_TRACES_EXPORTER'), { value: 'console', source: 'env' });
  });
  it('reports an invalid value as the default it was replaced by', () => {
    assert.deepEqual(byName({ OTEL_BSP_MAX_QUEUE_SIZE: 'abc' }).get('OTEL_BSP_MAX_QUEUE_SIZE'), { value: '2048', source: 'default' });
  });
  it('shows per-signal values resolved from the generic variables', () => {
    const d = byName({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' });
    assert.deepEqual(d.get('OTEL_EXPORTER_OTLP_METRICS_ENDPOINT'), { value: 'http://c:4318/v1/metrics', source: 'env' });
    assert.deepEqual(d.get('OTEL_EXPORTER_OTLP_ENDPOINT'), { value: 'http://c:4318', source: 'env' });
  });
  it('masks header values and URL credentials', () => {
    const env = {
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20secret',
      OTEL_EXPORTER_OTLP_LOGS_HEADERS: 'x-api-key=hunter2',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'https://user:pa55@c:4318',
      OTEL_EXPORTER_CUSTOM_HEADERS: 'k=topsecret',
      OTEL_SOMETHING_TOKEN: 'tok3n',
    };
    const entries = describeConfig(env, new Set());
    const text = entries.map((e) => `${e.name}=${e.value}`).join('\n');
    for (const secret of ['secret', 'hunter2', 'pa55', 'user:', 'topsecret', 'tok3n']) assert.ok(!text.includes(secret), secret);
    const d = byName(env);
    assert.equal(d.get('OTEL_EXPORTER_OTLP_HEADERS')?.value, 'authorization=****');
    assert.equal(d.get('OTEL_EXPORTER_OTLP_LOGS_HEADERS')?.value, 'authorization=****,x-api-key=****');
    assert.equal(d.get('OTEL_EXPORTER_OTLP_ENDPOINT')?.value, 'https://REDACTED:REDACTED@c:4318');
    assert.equal(d.get('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT')?.value, 'https://REDACTED:REDACTED@c:4318/v1/traces');
    assert.equal(d.get('OTEL_EXPORTER_CUSTOM_HEADERS')?.value, 'k=****');
    assert.equal(d.get('OTEL_SOMETHING_TOKEN')?.value, '****');
  });
  it('lists OTEL_* variables it does not know, as given', () => {
    assert.deepEqual(byName({ OTEL_FOO_BAR: 'baz' }, ['OTEL_FOO_BAR']).get('OTEL_FOO_BAR'), { value: 'baz', source: 'flag' });
  });
  it('lists each variable once', () => {
    const names = describeConfig({ OTEL_EXPORTER_OTLP_SPAN_INSECURE: 'true' }, new Set()).map((e) => e.name);
    assert.equal(new Set(names).size, names.length);
  });
});
