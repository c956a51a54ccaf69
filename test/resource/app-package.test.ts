// service.name and service.version from the app's own package.json: which one is the app's.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findAppPackage } from '../../src/resource/app-package.js';
import { detectResource } from '../../src/resource/detect.js';
import { loadConfig } from '../../src/config/load-config.js';
import { startCli } from '../support/run-cli.js';

const root = mkdtempSync(join(tmpdir(), 'otel-app-package-'));
after(() => rmSync(root, { recursive: true, force: true }));

function write(path: string, json: object): void {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), JSON.stringify(json));
}

write('shop/package.json', { name: 'shop', version: '2.3.4' });
write('shop/src/package.json', { type: 'module' });
write('shop/src/server.js', {});
write('shop/node_modules/next/package.json', { name: 'next', version: '16.0.0' });
write('shop/node_modules/next/dist/bin/next', {});
write('lone/script.js', {});

test('the nearest package.json with a name above the entry script; a nameless one (type: module) is passed over', () => {
  assert.deepEqual(findAppPackage(join(root, 'shop/src/server.js'), '/'), { name: 'shop', version: '2.3.4' });
  assert.deepEqual(findAppPackage('src/server.js', join(root, 'shop')), { name: 'shop', version: '2.3.4' });
});

test('an entry script inside node_modules (a tool like next) names the project it runs in, not the tool', () => {
  assert.deepEqual(findAppPackage(join(root, 'shop/node_modules/next/dist/bin/next'), join(root, 'shop')), { name: 'shop', version: '2.3.4' });
});

test('no package above a lone script, and never our own package', () => {
  // The temp dir's parents have no package.json with a name (a test machine's /tmp).
  assert.equal(findAppPackage(join(root, 'lone/script.js'), '/'), undefined);
  assert.equal(findAppPackage(join(__dirname, '..', '..', '..', 'test', 'fixtures', 'one-request.js'), '/'), undefined);
});

test('configuration wins over the package; without the package detector the spec fallback stays', () => {
  const argv1 = process.argv[1];
  process.argv[1] = join(root, 'shop/src/server.js');
  try {
    assert.equal(detectResource(loadConfig({})).attributes['service.name'], 'shop');
    assert.equal(detectResource(loadConfig({})).attributes['service.version'], '2.3.4');
    assert.equal(detectResource(loadConfig({ OTEL_SERVICE_NAME: 'checkout' })).attributes['service.name'], 'checkout');
    const fromAttributes = detectResource(loadConfig({ OTEL_RESOURCE_ATTRIBUTES: 'service.name=cart,service.version=9' })).attributes;
    assert.deepEqual([fromAttributes['service.name'], fromAttributes['service.version']], ['cart', '9']);
    assert.equal(detectResource(loadConfig({ OTEL_NODE_RESOURCE_DETECTORS: 'env,host' })).attributes['service.name'], 'unknown_service:node');
  } finally {
    process.argv[1] = argv1!;
  }
});

test('under the launcher, an app of its own package is named after it', async () => {
  // src/ holds a package.json of type module: a .cjs file stays CommonJS.
  writeFileSync(join(root, 'shop/src/server.cjs'), "require('node:http').get('http://127.0.0.1:9/', () => {}).on('error', () => {});\n");
  const app = startCli(['node', 'src/server.cjs'], { OTEL_TRACES_EXPORTER: 'console', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' }, join(root, 'shop'));
  const exit = await app.exited();
  const span = JSON.parse(exit.stdout.split('\n').find((line) => line.startsWith('{'))!) as { resource: { attributes: Record<string, unknown> } };
  assert.equal(span.resource.attributes['service.name'], 'shop');
  assert.equal(span.resource.attributes['service.version'], '2.3.4');
});
