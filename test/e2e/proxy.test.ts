// The launcher around a real app whose only way to the collector is a real HTTP proxy (Debian's
// tinyproxy on loopback): every protocol, plain and over TLS, the variable the endpoint's scheme picks
// (lower case first), the proxy's credentials, NO_PROXY, a proxy asking for credentials and a proxy
// that is down, and what --print-config says. What the proxy saw is read from its own log.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { skipWithout } from '../support/debian-program.js';
import { freePort } from '../support/free-port.js';
import { GrpcReceiver, HttpReceiver } from '../support/otlp-receiver.js';
import { FIXTURES, runCli } from '../support/run-cli.js';
import { startTinyproxy, type Tinyproxy } from '../support/servers/tinyproxy.js';
import { makeTestCertificates, type TestCertificates } from '../support/test-certificates.js';

const APP = ['node', join(FIXTURES, 'one-request.js')];
const APP_STDOUT = '200 hello /hello?x=1\n';
const PASSWORD = 's3cret';

const skip = skipWithout('tinyproxy') || skipWithout('openssl');

describe('otel-instrument behind an HTTP proxy (tinyproxy)', { skip }, () => {
  let certs: TestCertificates;
  let open: Tinyproxy;
  let authenticating: Tinyproxy;
  let closedPort: number;

  before(async () => {
    certs = makeTestCertificates();
    open = await startTinyproxy();
    authenticating = await startTinyproxy({ credentials: { user: 'alice', password: PASSWORD } });
    closedPort = await freePort();
  });

  after(async () => {
    await open?.stop();
    await authenticating?.stop();
    certs?.remove();
  });

  const withCredentials = (proxy: Tinyproxy): string => proxy.url.replace('http://', `http://alice:${PASSWORD}@`);

  async function receiverFor(protocol: string, tls: boolean): Promise<GrpcReceiver | HttpReceiver> {
    const options = tls ? { tls: certs.serverTls(false) } : {};
    return protocol === 'grpc' ? GrpcReceiver.start(options) : HttpReceiver.start(options);
  }

  /** The proxy's log lines about `port`. */
  const linesFor = (proxy: Tinyproxy, port: number): string[] => proxy.requests().filter((line) => line.includes(`127.0.0.1:${port} `) || line.includes(`127.0.0.1:${port}/`));

  for (const protocol of ['grpc', 'http/protobuf', 'http/json'] as const) {
    for (const tls of [false, true]) {
      const tunnelled = protocol === 'grpc' || tls;
      test(`${protocol}${tls ? ' over TLS' : ''}: every signal reaches the collector through the proxy (${tunnelled ? 'CONNECT' : 'absolute-form POSTs'}), its credentials never printed`, async () => {
        const receiver = await receiverFor(protocol, tls);
        try {
          const dead = `http://127.0.0.1:${closedPort}`;
          // The endpoint's scheme picks the variable, lower case first: the others point at nothing.
          const proxyEnv = tls
            ? { https_proxy: withCredentials(authenticating), HTTPS_PROXY: dead, HTTP_PROXY: dead }
            : { HTTP_PROXY: withCredentials(authenticating), https_proxy: dead };
          const exit = await runCli(APP, {
            ...proxyEnv,
            OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
            OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
            ...(tls ? { OTEL_EXPORTER_OTLP_CERTIFICATE: certs.ca } : {}),
          });
          assert.equal(exit.code, 0, exit.stderr);
          assert.equal(exit.stdout, APP_STDOUT);
          assert.equal(exit.stderr, '');
          const spans = await receiver.waitForSpans(2);
          assert.deepEqual(spans.map((s) => s.kind).sort(), [2, 3]);
          assert.deepEqual([...new Set(receiver.requests.map((r) => r.signal))].sort(), ['logs', 'metrics', 'traces']);
          const lines = linesFor(authenticating, receiver.port);
          if (tunnelled) {
            assert.ok(lines.length >= 1, JSON.stringify(authenticating.requests()));
            for (const line of lines) assert.equal(line, `CONNECT 127.0.0.1:${receiver.port} HTTP/1.1`);
          } else {
            // One absolute-form POST per request the collector got (traces, metrics, logs).
            assert.deepEqual(lines.sort(), receiver.requests.map((r) => `POST ${receiver.url}${r.path} HTTP/1.1`).sort());
            assert.ok(receiver.requests.some((r) => r.path === '/v1/traces'));
          }
        } finally {
          await receiver.close();
        }
      });
    }
  }

  test('NO_PROXY sends matching endpoints directly: an IP for grpc, a domain suffix for http/json', async () => {
    for (const [protocol, noProxy, host] of [
      ['grpc', 'example.com, 127.0.0.1', '127.0.0.1'],
      ['http/json', '.localhost', 'localhost'],
    ] as const) {
      const receiver = await receiverFor(protocol, false);
      try {
        const exit = await runCli(APP, {
          HTTP_PROXY: open.url,
          NO_PROXY: noProxy,
          OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
          OTEL_EXPORTER_OTLP_ENDPOINT: `http://${host}:${receiver.port}`,
        });
        assert.equal(exit.code, 0, exit.stderr);
        assert.equal(exit.stderr, '');
        await receiver.waitForSpans(2);
        assert.deepEqual(linesFor(open, receiver.port), [], 'the proxy saw nothing for this collector');
      } finally {
        await receiver.close();
      }
    }
  });

  for (const [protocol, tls] of [['grpc', false], ['http/protobuf', true], ['http/json', false]] as const) {
    test(`${protocol}${tls ? ' over TLS' : ''}: a proxy that asks for credentials (407) is one warning naming it and the status; the app is unchanged`, async () => {
      const receiver = await receiverFor(protocol, tls);
      try {
        const exit = await runCli(APP, {
          [tls ? 'HTTPS_PROXY' : 'HTTP_PROXY']: authenticating.url,
          OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
          OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
          OTEL_METRICS_EXPORTER: 'none',
          OTEL_LOGS_EXPORTER: 'none',
          ...(tls ? { OTEL_EXPORTER_OTLP_CERTIFICATE: certs.ca } : {}),
        });
        assert.equal(exit.code, 0, exit.stderr);
        assert.equal(exit.stdout, APP_STDOUT);
        const target = protocol === 'grpc' ? `${receiver.url}/` : `${receiver.url}/v1/traces`;
        // A tunnel's refusal, or (plain http, sent to the proxy as is) the proxy's answer to the POST.
        const refusal = protocol === 'grpc' || tls ? `the proxy refused the tunnel to 127.0.0.1:${receiver.port}: 407 Proxy Authentication Required` : 'the proxy answered 407 Proxy Authentication Required';
        assert.equal(exit.stderr, `otel-instrument: warn: OTLP traces export to ${target} through the proxy ${authenticating.url} failed and will not be retried: ${refusal}\n`);
        assert.equal(receiver.requests.length, 0);
        assert.ok(linesFor(authenticating, receiver.port).length >= 1);
      } finally {
        await receiver.close();
      }
    });
  }

  for (const protocol of ['grpc', 'http/protobuf'] as const) {
    test(`${protocol}: a proxy that is down is one warning naming it (credentials redacted); exit is not held`, async () => {
      const receiver = await receiverFor(protocol, false);
      try {
        const exit = await runCli(APP, {
          HTTP_PROXY: `http://alice:${PASSWORD}@127.0.0.1:${closedPort}`,
          OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
          OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
          OTEL_METRICS_EXPORTER: 'none',
          OTEL_LOGS_EXPORTER: 'none',
        });
        assert.equal(exit.code, 0, exit.stderr);
        assert.equal(exit.stdout, APP_STDOUT);
        const target = protocol === 'grpc' ? `${receiver.url}/` : `${receiver.url}/v1/traces`;
        assert.equal(
          exit.stderr,
          `otel-instrument: warn: cannot reach the OTLP collector at ${target} through the proxy http://REDACTED:REDACTED@127.0.0.1:${closedPort}: ECONNREFUSED; will keep retrying, telemetry may be dropped\n`,
        );
        assert.ok(exit.elapsedMs < 5000, `exit took ${exit.elapsedMs} ms`);
        assert.equal(receiver.requests.length, 0);
      } finally {
        await receiver.close();
      }
    });
  }

  test('--print-config shows the proxy each endpoint goes through, credentials redacted', async () => {
    const exit = await runCli(['--print-config'], {
      https_proxy: `http://alice:${PASSWORD}@proxy.internal:3128`,
      HTTP_PROXY: 'proxy.internal',
      NO_PROXY: '.svc.cluster.local',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector.example.com:4317',
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://metrics.example.com:4317',
      OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://otel-collector.observability.svc.cluster.local:4317',
    });
    assert.equal(exit.code, 0, exit.stderr);
    const line = (name: string): string | undefined => exit.stdout.split('\n').find((l) => l.startsWith(`${name}=`));
    assert.equal(
      line('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'),
      'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=https://collector.example.com:4317 (env; from OTEL_EXPORTER_OTLP_ENDPOINT; through the proxy http://REDACTED:REDACTED@proxy.internal:3128 (https_proxy))',
    );
    assert.equal(
      line('OTEL_EXPORTER_OTLP_METRICS_ENDPOINT'),
      'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT=http://metrics.example.com:4317 (env; through the proxy http://proxy.internal:1080 (HTTP_PROXY))',
    );
    assert.equal(
      line('OTEL_EXPORTER_OTLP_LOGS_ENDPOINT'),
      'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT=http://otel-collector.observability.svc.cluster.local:4317 (env; no proxy: NO_PROXY has .svc.cluster.local)',
    );
    assert.doesNotMatch(exit.stdout + exit.stderr, new RegExp(PASSWORD));
  });
});
