import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { INSTRUMENTATION_SETTINGS, INSTRUMENTATIONS } from '../../instrumentations/registry.js';
import { setLogLevel } from '../../src/diag/log.js';
import { describeConfig, loadConfig } from '../../src/config/load-config.js';
import { defineSetting, flagNameOf, namesOf } from '../../src/config/setting.js';
import { integer } from '../../src/config/setting-types.js';
import { settingValue } from '../../src/config/setting-value.js';
import { CORE_SETTINGS, buildSettingsTable } from '../../src/config/settings-table.js';
import { OTLP_TIMEOUT_MS } from '../../src/config/spec-defaults.js';

setLogLevel('none');

describe('the settings table', () => {
  const table = buildSettingsTable(INSTRUMENTATION_SETTINGS);

  it('names each variable once, and each flag and alias once', () => {
    assert.equal(new Set(table.all.map((s) => s.env)).size, table.all.length);
    const flags = table.all.flatMap((s) => [s.flag, ...(s.aliases ?? [])]);
    assert.equal(new Set(flags).size, flags.length);
  });
  it('gives every setting its flag by Python\'s rule', () => {
    for (const setting of table.all) assert.equal(setting.flag, setting.env.replace(/^OTEL_(NODE_)?/, '').toLowerCase(), setting.env);
    assert.equal(flagNameOf('OTEL_NODE_ENABLED_INSTRUMENTATIONS'), 'enabled_instrumentations');
  });
  it('derives each generic OTLP setting\'s per-signal variants, which fall back to it', () => {
    const traces = table.byEnv.get('OTEL_EXPORTER_OTLP_TRACES_TIMEOUT');
    assert.ok(traces !== undefined);
    assert.deepEqual([traces.signal, traces.inherits, traces.default], ['traces', 'OTEL_EXPORTER_OTLP_TIMEOUT', OTLP_TIMEOUT_MS]);
    assert.deepEqual(namesOf(traces), ['OTEL_EXPORTER_OTLP_TRACES_TIMEOUT', 'OTEL_EXPORTER_OTLP_TIMEOUT']);
    assert.deepEqual(namesOf(table.byEnv.get('OTEL_EXPORTER_OTLP_TRACES_INSECURE')!), [
      'OTEL_EXPORTER_OTLP_TRACES_INSECURE',
      'OTEL_EXPORTER_OTLP_SPAN_INSECURE',
      'OTEL_EXPORTER_OTLP_INSECURE',
    ]);
  });
  it('takes in each instrumentation\'s settings through the registry, a shared one once', () => {
    for (const name of ['OTEL_NODE_EXPRESS_IGNORE_LAYER_TYPES', 'OTEL_NODE_EXCLUDED_URLS', 'OTEL_INSTRUMENTATION_HTTP_KNOWN_METHODS']) {
      assert.equal(table.byEnv.get(name)?.group, 'instrumentations', name);
    }
    const declared = INSTRUMENTATIONS.flatMap((entry) => entry.settings ?? []).filter((s) => s.env === 'OTEL_INSTRUMENTATION_HTTP_KNOWN_METHODS');
    assert.equal(declared.length, 2);
    assert.equal(table.all.filter((s) => s.env === 'OTEL_INSTRUMENTATION_HTTP_KNOWN_METHODS').length, 1);
  });
  it('knows the legacy and generic names settings fall back to', () => {
    for (const name of ['OTEL_SPAN_ATTRIBUTE_PER_EVENT_COUNT_LIMIT', 'OTEL_EXPORTER_OTLP_METRIC_INSECURE', 'OTEL_NODE_EXCLUDED_URLS']) {
      assert.ok(table.knownVariables.has(name), name);
    }
  });
  it('lists the core settings in the groups --help shows, in group order', () => {
    const groups = CORE_SETTINGS.map((s) => s.group);
    assert.ok(groups.includes('exporters') && groups.includes('diagnostics'));
    const order = table.all.map((s) => s.group);
    const firsts = [...new Set(order)];
    assert.deepEqual(firsts, ['exporters', 'otlp', 'sampling', 'propagation', 'instrumentations', 'logs-metrics', 'diagnostics', 'view']);
  });
});

describe('a setting added by one entry', () => {
  const WIDGETS = defineSetting({
    env: 'OTEL_NODE_WIDGET_COUNT',
    group: 'instrumentations',
    help: 'widgets per request',
    type: integer({ min: 1 }),
    default: 3,
  });

  it('is parsed into the config an instrumentation is handed, with its default when unset or invalid', () => {
    assert.equal(settingValue(loadConfig({ OTEL_NODE_WIDGET_COUNT: '7' }, { extra: [WIDGETS] }), WIDGETS), 7);
    assert.equal(settingValue(loadConfig({ OTEL_NODE_WIDGET_COUNT: 'many' }, { extra: [WIDGETS] }), WIDGETS), 3);
    assert.equal(settingValue(loadConfig({}, { extra: [WIDGETS] }), WIDGETS), 3);
    // A config built without it (a test's) still answers with the default.
    assert.equal(settingValue(loadConfig({ OTEL_NODE_WIDGET_COUNT: '7' }), WIDGETS), 3);
  });
  it('gets a flag and a --print-config line', () => {
    const table = buildSettingsTable([WIDGETS]);
    assert.equal(table.byFlag.get('widget_count'), WIDGETS);
    const entry = describeConfig({ OTEL_NODE_WIDGET_COUNT: '0' }, new Set(), [WIDGETS]).find((e) => e.name === 'OTEL_NODE_WIDGET_COUNT');
    assert.deepEqual(entry, { name: 'OTEL_NODE_WIDGET_COUNT', value: '3', source: 'default', notes: ['"0" is not a positive integer'] });
  });
});
