// start()'s options: the settings' flags in camelCase, over the environment, lists joined.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { optionName, optionsEnvironment } from '../../src/programmatic/index.js';

test('flag names become camelCase option names', () => {
  assert.equal(optionName('service_name'), 'serviceName');
  assert.equal(optionName('exporter_otlp_traces_endpoint'), 'exporterOtlpTracesEndpoint');
  assert.equal(optionName('fastify_hook_spans'), 'fastifyHookSpans');
});

test('options set their variables over the environment; lists are joined, booleans and numbers written out', () => {
  const env = optionsEnvironment(
    { serviceName: 'checkout', tracesExporter: ['otlp', 'console'], sdkDisabled: false, bspScheduleDelay: 500, disabledInstrumentations: 'fs' },
    { OTEL_SERVICE_NAME: 'from-env', OTEL_TRACES_EXPORTER: 'none', PATH: '/bin' },
  );
  assert.deepEqual(env, {
    OTEL_SERVICE_NAME: 'checkout',
    OTEL_TRACES_EXPORTER: 'otlp,console',
    OTEL_SDK_DISABLED: 'false',
    OTEL_BSP_SCHEDULE_DELAY: '500',
    OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'fs',
    PATH: '/bin',
  });
});

test('an unknown option is ignored (with a warning naming the closest one); undefined values are skipped', () => {
  assert.deepEqual(optionsEnvironment({ servceName: 'typo', logLevel: undefined }, {}), {});
});
