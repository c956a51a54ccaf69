// The Kubernetes Operator's Node.js injection, played here without Kubernetes or Docker: the folder
// deploy/operator/build.sh makes (what the image holds at /autoinstrumentation) is copied to a fresh
// directory as the Operator's init container copies it, NODE_OPTIONS gets the Operator's
// ` --require <mount>/autoinstrumentation.js` appended to the app's own value, and the Operator's OTEL_*
// variables are set; an express app started with plain `node` then sends its spans to a real receiver.
// The folder stays within its budget: under 15 MB and 500 files (the official image: ~150 MB, 7,000+).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GrpcReceiver } from '../support/otlp-receiver.js';
import { FIXTURES, ROOT, httpGet, startProcess } from '../support/run-cli.js';

const run = promisify(execFile);
let dir: string;
let image: string;

function walk(path: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) {
      const inner = walk(full);
      files += inner.files;
      bytes += inner.bytes;
    } else {
      files += 1;
      bytes += statSync(full).size;
    }
  }
  return { files, bytes };
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'otel-operator-'));
  // The dist this test run built, packed without rebuilding it under the other tests' feet.
  const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
  const tarball = join(dir, (JSON.parse(packed.stdout) as Array<{ filename: string }>)[0]!.filename);
  image = join(dir, 'autoinstrumentation');
  await run(join(ROOT, 'deploy', 'operator', 'build.sh'), [image, tarball]);
});

after(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

test('the image folder holds the entry the Operator requires, under 15 MB and 500 files', () => {
  assert.ok(statSync(join(image, 'autoinstrumentation.js')).isFile());
  const { files, bytes } = walk(image);
  assert.ok(files < 500, `${files} files`);
  assert.ok(bytes < 15 * 1024 * 1024, `${bytes} bytes`);
});

test('an express app under the injected NODE_OPTIONS and OTEL_* variables sends its spans', async () => {
  // The init container: `cp -r /autoinstrumentation/. /otel-auto-instrumentation-nodejs`.
  const mount = join(dir, 'otel-auto-instrumentation-nodejs');
  cpSync(image, mount, { recursive: true });
  const receiver = await GrpcReceiver.start();
  try {
    const app = startProcess(process.execPath, [join(FIXTURES, 'express', 'app.js')], {
      // The app's own NODE_OPTIONS, with the Operator's entry appended.
      NODE_OPTIONS: `--max-old-space-size=256 --require ${join(mount, 'autoinstrumentation.js')}`,
      OTEL_SERVICE_NAME: 'checkout',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_RESOURCE_ATTRIBUTES: 'k8s.namespace.name=shop,k8s.pod.name=checkout-7d9f,k8s.container.name=app',
      OTEL_METRICS_EXPORTER: 'otlp',
      OTEL_TRACES_SAMPLER: 'parentbased_always_on',
      OTEL_PROPAGATORS: 'tracecontext,baggage',
      // Run outside this repository: nothing but the copied folder can provide otel-instrument.
    }, dir);
    const port = Number((await app.waitForLine(/listening (\d+)/))[1]);
    const response = await httpGet(`http://127.0.0.1:${port}/api/users/42`);
    assert.equal(response.status, 200);
    app.child.kill('SIGTERM');
    await app.exited();
    const spans = await receiver.waitForSpans(1);
    const server = spans.find((s) => s.name === 'GET /api/users/:id');
    assert.ok(server, spans.map((s) => s.name).join(', '));
    assert.equal(server.resource['service.name'], 'checkout');
    assert.equal(server.resource['k8s.pod.name'], 'checkout-7d9f');
    assert.equal(server.scope.name, 'otel-instrument/http');
  } finally {
    await receiver.close();
  }
});
