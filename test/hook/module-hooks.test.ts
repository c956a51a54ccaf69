import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProxyTracerProvider, propagation } from '@opentelemetry/api';
import type { InstrumentationEntry, TelemetrySources } from '../../src/hook/instrumentation.js';
import { PACKAGE_VERSION } from '../../src/package-info.js';
import { loadConfig } from '../../src/config/load-config.js';
import { ModuleHooks } from '../../src/hook/module-hooks.js';

const root = mkdtempSync(join(tmpdir(), 'otel-instrument-hooks-'));
after(() => rmSync(root, { recursive: true, force: true }));

function fakePackage(name: string, version: string): void {
  const dir = join(root, 'node_modules', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version, main: 'index.js' }));
  writeFileSync(join(dir, 'index.js'), 'module.exports = { greet: () => "hello" };');
}

const telemetry: TelemetrySources = {
  tracerProvider: new ProxyTracerProvider(),
  meterProvider: undefined,
  loggerProvider: undefined,
  propagator: propagation,
  config: loadConfig({}),
};

function entry(name: string, module: string, versions: string, calls: string[], loads: string[]): InstrumentationEntry {
  return {
    name,
    modules: [module],
    load() {
      loads.push(name);
      return {
        name,
        targets: [{
          module,
          versions,
          patch(exports, _telemetry, version) {
            calls.push(`${name}@${version}`);
            (exports as { greet: () => string }).greet = () => 'patched';
            return exports;
          },
        }],
      };
    },
  };
}

test('a module inside the declared range is patched once, on first require', () => {
  fakePackage('in-range-lib', '2.3.0');
  const calls: string[] = [];
  const loads: string[] = [];
  const hooks = new ModuleHooks([entry('inrange', 'in-range-lib', '>=2.0.0 <3', calls, loads)], telemetry);
  assert.deepEqual(loads, []);
  hooks.install();
  try {
    const requireFromRoot = createRequire(join(root, 'app.js'));
    assert.equal((requireFromRoot('in-range-lib') as { greet(): string }).greet(), 'patched');
    requireFromRoot('in-range-lib');
    assert.deepEqual(calls, ['inrange@2.3.0']);
    assert.deepEqual(loads, ['inrange']);
  } finally {
    hooks.uninstall();
  }
});

test('a module outside the declared range is left untouched', () => {
  fakePackage('old-lib', '1.9.0');
  const calls: string[] = [];
  const hooks = new ModuleHooks([entry('old', 'old-lib', '>=2.0.0 <3', calls, [])], telemetry);
  hooks.install();
  try {
    const requireFromRoot = createRequire(join(root, 'app.js'));
    assert.equal((requireFromRoot('old-lib') as { greet(): string }).greet(), 'hello');
    assert.deepEqual(calls, []);
  } finally {
    hooks.uninstall();
  }
});

test('a patch that throws leaves the module usable as it was', () => {
  fakePackage('fragile-lib', '2.0.0');
  const hooks = new ModuleHooks([{
    name: 'fragile',
    modules: ['fragile-lib'],
    load: () => ({ name: 'fragile', targets: [{ module: 'fragile-lib', versions: '*', patch() { throw new Error('our bug'); } }] }),
  }], telemetry);
  hooks.install();
  try {
    const requireFromRoot = createRequire(join(root, 'app.js'));
    assert.equal((requireFromRoot('fragile-lib') as { greet(): string }).greet(), 'hello');
  } finally {
    hooks.uninstall();
  }
});

test('each instrumentation gets its own tracer, meter and logger scope, otel-instrument/<name> with our version, made once', () => {
  const asked: string[] = [];
  const record = (kind: string) => (name: string, version?: string) => {
    asked.push(`${kind} ${name} ${version}`);
    return {} as never;
  };
  const sources: TelemetrySources = {
    tracerProvider: { getTracer: record('tracer') },
    meterProvider: { getMeter: record('meter') },
    loggerProvider: { getLogger: record('logger') },
    propagator: propagation,
    config: loadConfig({}),
  };
  const hooks = new ModuleHooks([], sources);
  assert.equal(hooks.telemetryFor('http'), hooks.telemetryFor('http'));
  hooks.telemetryFor('pino');
  assert.deepEqual(asked, [
    `tracer otel-instrument/http ${PACKAGE_VERSION}`,
    `meter otel-instrument/http ${PACKAGE_VERSION}`,
    `logger otel-instrument/http ${PACKAGE_VERSION}`,
    `tracer otel-instrument/pino ${PACKAGE_VERSION}`,
    `meter otel-instrument/pino ${PACKAGE_VERSION}`,
    `logger otel-instrument/pino ${PACKAGE_VERSION}`,
  ]);
});
