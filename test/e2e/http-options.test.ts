// Instrumentation options set by environment: excluded URLs, captured headers, known methods,
// and which instrumentations run at all.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { join } from 'node:path';
import { INSTRUMENTATIONS } from '../../instrumentations/registry.js';
import { GrpcReceiver, HttpReceiver } from '../support/otlp-receiver.js';
import { FIXTURES, httpGet, runCli, startCli } from '../support/run-cli.js';

const SERVICE = ['node', join(FIXTURES, 'http-service.js')];

async function withService(env: NodeJS.ProcessEnv, calls: (port: number) => Promise<void>, args: string[] = []) {
  const receiver = await GrpcReceiver.start();
  const app = startCli([...args, ...SERVICE], { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, ...env });
  try {
    const port = Number((await app.waitForLine(/listening (\d+)/))[1]);
    await calls(port);
  } finally {
    app.child.kill('SIGTERM');
    await app.exited();
    await receiver.close();
  }
  return { spans: receiver.spans(), stderr: app.stderr() };
}

function send(port: number, method: string, path: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

test('requests matching OTEL_NODE_EXCLUDED_URLS get no span, and nothing under them is traced', async () => {
  const { spans } = await withService({ OTEL_NODE_EXCLUDED_URLS: '/healthz,front$' }, async (p) => {
    await httpGet(`http://127.0.0.1:${p}/healthz`);
    await httpGet(`http://127.0.0.1:${p}/front`);
    await httpGet(`http://127.0.0.1:${p}/hello`);
  });
  const paths = spans.filter((s) => s.kind === 2).map((s) => s.attributes['url.path']).sort();
  // /front is excluded and its outgoing call is not traced; the /back request it made is its own root.
  assert.deepEqual(paths, ['/back', '/hello']);
  assert.equal(spans.filter((s) => s.kind === 3).length, 0);
  assert.equal(spans.find((s) => s.attributes['url.path'] === '/back')!.parentSpanId, '');
});

test('configured request and response headers are captured as string arrays, sanitized ones redacted', async () => {
  const { spans } = await withService({
    OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_SERVER_REQUEST: 'X-Request-Id,x-custom-.*',
    OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_SERVER_RESPONSE: 'content-type',
    OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_CLIENT_REQUEST: 'traceparent',
    OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_CLIENT_RESPONSE: 'Content-Type',
    OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_SANITIZE_FIELDS: 'x-custom-secret',
  }, async (port) => {
    await httpGet(`http://127.0.0.1:${port}/front`, { 'x-request-id': 'r-1', 'x-custom-a': 'a', 'x-custom-secret': 'hunter2' });
  }, ['--exporter_otlp_protocol', 'grpc']);
  const front = spans.find((s) => s.attributes['url.path'] === '/front')!;
  assert.deepEqual(front.attributes['http.request.header.x-request-id'], ['r-1']);
  assert.deepEqual(front.attributes['http.request.header.x-custom-a'], ['a']);
  assert.deepEqual(front.attributes['http.request.header.x-custom-secret'], ['[REDACTED]']);
  assert.equal(front.attributes['http.request.header.user-agent'], undefined);
  const back = spans.find((s) => s.attributes['url.path'] === '/back')!;
  assert.deepEqual(back.attributes['http.response.header.content-type'], ['application/json']);
  const client = spans.find((s) => s.kind === 3)!;
  assert.match(String((client.attributes['http.request.header.traceparent'] as string[])[0]), /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  assert.deepEqual(client.attributes['http.response.header.content-type'], ['application/json']);
  assert.ok(JSON.stringify(spans).indexOf('hunter2') === -1);
});

test('OTEL_INSTRUMENTATION_HTTP_KNOWN_METHODS replaces the known method set', async () => {
  const { spans } = await withService({ OTEL_INSTRUMENTATION_HTTP_KNOWN_METHODS: 'GET,PURGE' }, async (port) => {
    await send(port, 'PURGE', '/hello');
    await send(port, 'POST', '/hello');
  });
  const purge = spans.find((s) => s.attributes['http.request.method'] === 'PURGE')!;
  assert.equal(purge.name, 'PURGE');
  const post = spans.find((s) => s.attributes['http.request.method'] === '_OTHER')!;
  assert.equal(post.name, 'HTTP');
  assert.equal(post.attributes['http.request.method_original'], 'POST');
});

test('a disabled instrumentation makes no spans, and an unknown name is warned about with the valid ones', async () => {
  const { spans, stderr } = await withService({}, async (port) => {
    await httpGet(`http://127.0.0.1:${port}/hello`);
  }, ['--disabled_instrumentations', 'http,nope']);
  assert.deepEqual(spans, []);
  const valid = INSTRUMENTATIONS.map((entry) => entry.name).join(', ');
  assert.ok(stderr.includes(`unknown instrumentation "nope" in OTEL_NODE_DISABLED_INSTRUMENTATIONS; valid: ${valid}\n`), stderr);
});

test('only the instrumentations of modules the app loads are loaded', async () => {
  const exit = await runCli(['--traces_exporter', 'console', 'node', join(FIXTURES, 'loaded-instrumentations.js')]);
  assert.equal(exit.code, 0, exit.stderr);
  const loaded = JSON.parse(exit.stdout.split('\n').find((line) => line.startsWith('['))!) as string[];
  assert.ok(loaded.some((file) => file.startsWith('instrumentations/http/')), JSON.stringify(loaded));
  // express's settings.ts is data the settings table reads at startup; none of its code loads.
  assert.ok(!loaded.some((file) => file.startsWith('instrumentations/express/') && file !== 'instrumentations/express/settings.js'), JSON.stringify(loaded));
});

// Each run loads the encoder and transport of its protocol only (node:http2 costs ~5 ms to load).
for (const [protocol, absent] of [
  ['grpc', ['src/export/otlp/transport/http.js', 'src/export/otlp/encode-json/', 'src/export/console/']],
  ['http/protobuf', ['src/export/otlp/transport/grpc.js', 'src/export/otlp/encode-json/', 'src/export/console/']],
] as const) {
  test(`an OTLP ${protocol} run loads neither the other transport, the JSON encoders nor the console exporters`, async () => {
    const receiver = protocol === 'grpc' ? await GrpcReceiver.start() : await HttpReceiver.start();
    try {
      const exit = await runCli(['--traces_exporter', 'otlp', '--logs_exporter', 'otlp', '--metrics_exporter', 'otlp', 'node', join(FIXTURES, 'loaded-instrumentations.js')], {
        OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_BSP_SCHEDULE_DELAY: '50',
        LOADED_AFTER_MS: '1000',
      });
      assert.equal(exit.code, 0, exit.stderr);
      const loaded = JSON.parse(exit.stdout.split('\n').find((line) => line.startsWith('['))!) as string[];
      assert.ok(loaded.includes(`src/export/otlp/transport/${protocol === 'grpc' ? 'grpc' : 'http'}.js`), JSON.stringify(loaded));
      for (const prefix of absent) assert.ok(!loaded.some((file) => file.startsWith(prefix)), `${prefix} loaded: ${JSON.stringify(loaded)}`);
      // The spans went out before the list was taken, through the lazily loaded exporter.
      assert.equal(receiver.spans().length, 2);
    } finally {
      await receiver.close();
    }
  });
}
