// OTLP through a real HTTP proxy (Debian's tinyproxy) on loopback, in process: every protocol plain and
// over TLS, the tunnel kept between exports, the proxy's credentials, and each way a proxy fails
// (asks for credentials: 407; refuses the port: 403; cannot reach the collector: 500; is down; never
// answers) as the result and the one warning the user gets.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import type { OtlpSignalConfig } from '../../../src/config/types.js';
import { resetWarnOnce } from '../../../src/diag/log.js';
import type { ExportResult } from '../../../src/core/export-result.js';
import { createOtlpTraceExporter } from '../../../src/export/otlp/otlp-exporter.js';
import type { BackoffOptions } from '../../../src/export/otlp/transport/retry.js';
import { skipWithout } from '../../support/debian-program.js';
import { exportOnce, FAST_BACKOFF, holdingLoop, otlpConfig, withDiag } from '../../support/exporter-helpers.js';
import { freePort } from '../../support/free-port.js';
import { waitFor } from '../../support/run-cli.js';
import { startGrpcReceiver, startHttpReceiver, type GrpcReceiver, type HttpReceiver } from '../../support/otlp-receiver.js';
import { startTinyproxy, type Tinyproxy } from '../../support/servers/tinyproxy.js';
import { makeTestCertificates, type TestCertificates } from '../../support/test-certificates.js';

type Protocol = OtlpSignalConfig['protocol'];

const NO_RETRY = { backoff: { maxRetries: 0 } };
const USER = 'alice';
const PASSWORD = 's3cret';
const withCredentials = (proxy: Tinyproxy): string => proxy.url.replace('http://', `http://${USER}:${PASSWORD}@`);

const skip = skipWithout('tinyproxy') || skipWithout('openssl');

describe('OTLP through tinyproxy', { skip }, () => {
  let certs: TestCertificates;
  let open: Tinyproxy;
  let authenticating: Tinyproxy;
  let only443: Tinyproxy;

  before(async () => {
    certs = makeTestCertificates();
    open = await startTinyproxy();
    authenticating = await startTinyproxy({ credentials: { user: USER, password: PASSWORD } });
    only443 = await startTinyproxy({ connectPorts: [443] });
  });

  after(async () => {
    await Promise.all([open?.stop(), authenticating?.stop(), only443?.stop()]);
    certs?.remove();
  });

  /** How many lines each proxy had logged when the receiver on a port started: earlier ones are an earlier receiver's that had the port. */
  const logStart = new Map<string, Map<Tinyproxy, number>>();

  async function receiverFor(protocol: Protocol, tls: boolean): Promise<GrpcReceiver | HttpReceiver> {
    const options = tls ? { tls: certs.serverTls(false) } : {};
    const receiver = protocol === 'grpc' ? await startGrpcReceiver(options) : await startHttpReceiver(options);
    logStart.set(new URL(urlOf(receiver)).port, new Map([open, authenticating, only443].map((proxy) => [proxy, proxy.requests().length])));
    return receiver;
  }

  function urlOf(receiver: GrpcReceiver | HttpReceiver): string {
    return 'signalUrl' in receiver ? receiver.signalUrl() : receiver.url;
  }

  function config(protocol: Protocol, url: string, proxy: string, overrides: Partial<OtlpSignalConfig> = {}): OtlpSignalConfig {
    const tls = url.startsWith('https:');
    return otlpConfig(protocol, url, { proxy, insecure: !tls, certificateFile: tls ? certs.ca : undefined, timeoutMs: 3000, ...overrides });
  }

  /** What the proxy logged for requests to `url`'s port since its receiver started: `CONNECT 127.0.0.1:<port> HTTP/1.1` or `POST http://... HTTP/1.1`. */
  function proxied(proxy: Tinyproxy, url: string): string[] {
    const port = new URL(url).port;
    return proxy.requests().slice(logStart.get(port)?.get(proxy) ?? 0).filter((line) => line.includes(`127.0.0.1:${port}`));
  }

  for (const protocol of ['grpc', 'http/protobuf', 'http/json'] as const) {
    for (const tls of [false, true]) {
      const tunnelled = protocol === 'grpc' || tls;
      test(`${protocol}${tls ? ' over TLS' : ''} reaches the collector ${tunnelled ? 'through one CONNECT tunnel, kept' : 'as requests in absolute form'}, with the proxy's credentials`, async () => {
        const receiver = await receiverFor(protocol, tls);
        const url = urlOf(receiver);
        const exporter = createOtlpTraceExporter(config(protocol, url, withCredentials(authenticating)), NO_RETRY);
        try {
          assert.deepEqual(await exportOnce(exporter), { ok: true });
          assert.deepEqual(await exportOnce(exporter), { ok: true });
          assert.equal(receiver.spans().length, 2);
          const authority = new URL(url).host;
          assert.deepEqual(
            proxied(authenticating, url),
            tunnelled ? [`CONNECT ${authority} HTTP/1.1`] : [`POST ${url} HTTP/1.1`, `POST ${url} HTTP/1.1`],
          );
          // The proxy's credentials are for the proxy: inside a tunnel the collector never sees them.
          for (const request of receiver.requests) assert.equal(request.headers['proxy-authorization'], undefined);
        } finally {
          await exporter.shutdown();
          await receiver.close();
        }
      });
    }
  }

  test('inside the tunnel the collector certificate is still checked, against the collector', async () => {
    const receiver = await receiverFor('grpc', true);
    const exporter = createOtlpTraceExporter(config('grpc', receiver.url, open.url, { certificateFile: certs.otherCa }), NO_RETRY);
    try {
      const result = await exportOnce(exporter);
      assert.equal(result.ok, false);
      assert.match(!result.ok ? String((result.error as { code?: string }).code) : '', /SELF_SIGNED_CERT_IN_CHAIN/);
      assert.equal(receiver.requests.length, 0);
      assert.deepEqual(proxied(open, receiver.url), [`CONNECT ${new URL(receiver.url).host} HTTP/1.1`]);
    } finally {
      await exporter.shutdown();
      await receiver.close();
    }
  });

  /** One export; the result and the warnings it made. */
  async function exportWarned(cfg: OtlpSignalConfig, backoff: Partial<BackoffOptions> = NO_RETRY.backoff): Promise<{ result: ExportResult; warn: string[] }> {
    resetWarnOnce(`otlp-unreachable-${new URL(cfg.url).origin}`);
    for (const code of ['PROXY_407', 'PROXY_403', 'HTTP_407']) resetWarnOnce(`otlp-rejected-traces-${code}`);
    return withDiag(async (log) => {
      const exporter = createOtlpTraceExporter(cfg, { backoff });
      try {
        const result = await holdingLoop(() => exportOnce(exporter));
        return { result, warn: [...log.warn] };
      } finally {
        await exporter.shutdown();
      }
    });
  }

  for (const [protocol, tls] of [['grpc', false], ['http/protobuf', true]] as const) {
    test(`${protocol}${tls ? ' over TLS' : ''}: a proxy asking for credentials (407) fails the export, said once with the proxy and the status, not retried`, async () => {
      const receiver = await receiverFor(protocol, tls);
      const url = urlOf(receiver);
      try {
        const { result, warn } = await exportWarned(config(protocol, url, authenticating.url), FAST_BACKOFF);
        assert.equal(result.ok, false);
        assert.equal(!result.ok && result.retryable, false);
        const authority = new URL(url).host;
        assert.deepEqual(warn, [
          `OTLP traces export to ${new URL(url).href} through the proxy ${authenticating.url} failed and will not be retried: ` +
            `the proxy refused the tunnel to ${authority}: 407 Proxy Authentication Required`,
        ]);
        assert.deepEqual(proxied(authenticating, url), [`CONNECT ${authority} HTTP/1.1`], 'one attempt');
        assert.equal(receiver.requests.length, 0);
      } finally {
        await receiver.close();
      }
    });
  }

  test('http/protobuf: a proxy asking for credentials (407) for a plain http request fails the export, not retried', async () => {
    // Not an OTLP answer (an HTML page), so the proxy's; tinyproxy resets the connection right after it,
    // so the answer is taken from the status line.
    const receiver = await receiverFor('http/protobuf', false);
    const url = urlOf(receiver);
    try {
      const { result, warn } = await exportWarned(config('http/protobuf', url, authenticating.url), FAST_BACKOFF);
      assert.equal(result.ok, false);
      assert.equal(!result.ok && result.retryable, false);
      assert.deepEqual(warn, [
        `OTLP traces export to ${url} through the proxy ${authenticating.url} failed and will not be retried: the proxy answered 407 Proxy Authentication Required`,
      ]);
      assert.deepEqual(proxied(authenticating, url), [`POST ${url} HTTP/1.1`], 'one attempt');
      assert.equal(receiver.requests.length, 0);
    } finally {
      await receiver.close();
    }
  });

  test('a proxy that refuses the collector port (403) fails the export, not retried', async () => {
    const receiver = await receiverFor('grpc', false);
    try {
      const { result, warn } = await exportWarned(config('grpc', receiver.url, only443.url), FAST_BACKOFF);
      assert.equal(!result.ok && result.retryable, false);
      const authority = new URL(receiver.url).host;
      assert.deepEqual(warn, [
        `OTLP traces export to ${receiver.url}/ through the proxy ${only443.url} failed and will not be retried: ` +
          `the proxy refused the tunnel to ${authority}: 403 Forbidden`,
      ]);
      assert.equal(proxied(only443, receiver.url).length, 1);
    } finally {
      await receiver.close();
    }
  });

  for (const [protocol, tls] of [['grpc', false], ['http/json', true], ['http/protobuf', false]] as const) {
    test(`${protocol}${tls ? ' over TLS' : ''}: a proxy that cannot reach the collector (tinyproxy's 500) is an outage: retried, said once naming both`, async () => {
      const port = await freePort();
      const url = protocol === 'grpc' ? `http://127.0.0.1:${port}` : `${tls ? 'https' : 'http'}://127.0.0.1:${port}/v1/traces`;
      const { result, warn } = await exportWarned(config(protocol, url, open.url));
      assert.equal(result.ok, false);
      assert.equal(!result.ok && result.retryable, true);
      assert.deepEqual(warn, [
        `cannot reach the OTLP collector at ${new URL(url).href} through the proxy ${open.url}: PROXY_500; will keep retrying, telemetry may be dropped`,
      ]);
    });
  }

  test('a proxy that is down is an outage naming the proxy, credentials redacted, retried', async () => {
    const receiver = await receiverFor('http/protobuf', false);
    const proxyPort = await freePort();
    try {
      for (const [protocol, url] of [
        ['grpc', `http://127.0.0.1:${receiver.port}`],
        ['http/protobuf', urlOf(receiver)],
        ['http/protobuf', urlOf(receiver).replace('http:', 'https:')],
      ] as const) {
        const { result, warn } = await exportWarned(config(protocol, url, `http://${USER}:s3cret@127.0.0.1:${proxyPort}`));
        assert.equal(!result.ok && result.retryable, true);
        assert.deepEqual(warn, [
          `cannot reach the OTLP collector at ${new URL(url).href} through the proxy http://REDACTED:REDACTED@127.0.0.1:${proxyPort}: ECONNREFUSED; will keep retrying, telemetry may be dropped`,
        ]);
      }
      assert.equal(receiver.requests.length, 0);
    } finally {
      await receiver.close();
    }
  });

  test('a proxy that accepts the connection and never answers ends the export at its deadline, holding nothing', async () => {
    const sockets = new Set<Socket>();
    let closed = 0;
    const silent: Server = createServer((socket) => {
      sockets.add(socket);
      socket.resume(); // reads the CONNECT request, answers nothing
      socket.on('error', () => undefined);
      socket.on('close', () => closed++);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const proxy = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
    try {
      for (const [protocol, url] of [
        ['grpc', 'https://127.0.0.1:4317'],
        ['http/protobuf', 'https://127.0.0.1:4318/v1/traces'],
      ] as const) {
        const started = Date.now();
        const { result, warn } = await exportWarned(config(protocol, url, proxy, { timeoutMs: 300 }));
        const elapsed = Date.now() - started;
        assert.equal(!result.ok && result.retryable, true);
        assert.ok(elapsed >= 250 && elapsed < 2000, `ended after ${elapsed} ms`);
        assert.equal(warn.length, 1, warn.join('\n'));
        assert.match(warn[0]!, new RegExp(`^cannot reach the OTLP collector at ${url.replace(/[.:/]/g, '\\$&')}\\S* through the proxy ${proxy.replace(/[.:/]/g, '\\$&')}: ETIMEDOUT;`));
      }
      // The CONNECT requests were abandoned with their exports: the proxy saw their connections closed.
      await waitFor(() => closed === sockets.size, 'the CONNECT connections to be closed', 2000);
      assert.equal(sockets.size, 2);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
