import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { OtlpSignalConfig } from '../../../src/config/types.js';
import type { ExportResult, Exporter } from '../../../src/core/export-result.js';
import { createOtlpTraceExporter } from '../../../src/export/otlp/otlp-exporter.js';
import type { ReadableSpan } from '../../../src/trace/span-data.js';
import { resetWarnOnce } from '../../../src/diag/log.js';
import { skipWithout } from '../../support/debian-program.js';
import { withDiag } from '../../support/exporter-helpers.js';
import { makeTestSpan, startGrpcReceiver, startHttpReceiver, type TlsServerOptions } from '../../support/otlp-receiver.js';
import { makeTestCertificates, type TestCertificates } from '../../support/test-certificates.js';

// A throwaway CA, a server certificate for 127.0.0.1 and a client certificate, made with openssl per run.
let files: TestCertificates;

describe('OTLP over TLS and mTLS, with certificates made by openssl', { skip: skipWithout('openssl') }, () => {
  before(() => {
    files = makeTestCertificates();
  });

  after(() => {
    files?.remove();
  });

  function serverTls(requireClientCert: boolean): TlsServerOptions {
    return files.serverTls(requireClientCert);
  }

  function config(protocol: OtlpSignalConfig['protocol'], url: string, overrides: Partial<OtlpSignalConfig> = {}): OtlpSignalConfig {
    return {
      protocol,
      url,
      headers: {},
      compression: 'none',
      timeoutMs: 3000,
      insecure: false,
      certificateFile: files.ca,
      clientKeyFile: undefined,
      clientCertificateFile: undefined,
      ...overrides,
    };
  }

  function exportOnce(exporter: Exporter<ReadableSpan>): Promise<ExportResult> {
    // Failures below are retryable and retry timers are unref'd: hold the loop while waiting.
    const hold = setInterval(() => undefined, 60_000);
    return new Promise<ExportResult>((resolve) => exporter.export([makeTestSpan({ name: 'over-tls' })], resolve)).finally(() =>
      clearInterval(hold),
    );
  }

  const NO_RETRY = { backoff: { maxRetries: 0 } };

  for (const kind of ['grpc', 'http/protobuf'] as const) {
    const start = kind === 'grpc' ? startGrpcReceiver : startHttpReceiver;
    const urlOf = (r: { url: string; signalUrl?: (s?: 'traces') => string }): string => (kind === 'grpc' ? r.url : r.signalUrl!());

    test(`${kind} over TLS trusts the collector through the configured CA file`, async () => {
      const receiver = await start({ tls: serverTls(false) });
      const exporter = createOtlpTraceExporter(config(kind, urlOf(receiver)), NO_RETRY);
      try {
        assert.equal(urlOf(receiver).startsWith('https://'), true);
        assert.deepEqual(await exportOnce(exporter), { ok: true });
        assert.deepEqual(
          receiver.spans().map((s) => s.name),
          ['over-tls'],
        );
      } finally {
        await exporter.shutdown();
        await receiver.close();
      }
    });

    test(`${kind} over TLS rejects a collector signed by another CA`, async () => {
      const receiver = await start({ tls: serverTls(false) });
      const exporter = createOtlpTraceExporter(config(kind, urlOf(receiver), { certificateFile: files.otherCa }), NO_RETRY);
      // The warning is said once per collector origin per process: an earlier test's receiver may
      // have had this port (and its own outage warning) before.
      resetWarnOnce(`otlp-unreachable-${new URL(urlOf(receiver)).origin}`);
      try {
        const result = await withDiag(async (log) => {
          const r = await exportOnce(exporter);
          // One clear line naming the certificate failure; never a silent fallback to plaintext.
          assert.equal(log.warn.length, 1, log.warn.join('\n'));
          assert.match(log.warn[0]!, /^cannot verify the TLS certificate of the OTLP collector at https:\/\/127\.0\.0\.1:\d+\/\S*: SELF_SIGNED_CERT_IN_CHAIN \(is OTEL_EXPORTER_OTLP_CERTIFICATE the CA that signed it\?\);/);
          return r;
        });
        assert.equal(result.ok, false);
        assert.equal(receiver.requests.length, 0);
      } finally {
        await exporter.shutdown();
        await receiver.close();
      }
    });

    test(`${kind} mutual TLS presents the client certificate`, async () => {
      const receiver = await start({ tls: serverTls(true) });
      const withCert = createOtlpTraceExporter(
        config(kind, urlOf(receiver), { clientKeyFile: files.clientKey, clientCertificateFile: files.clientCert }),
        NO_RETRY,
      );
      const withoutCert = createOtlpTraceExporter(config(kind, urlOf(receiver)), NO_RETRY);
      try {
        assert.deepEqual(await exportOnce(withCert), { ok: true });
        assert.equal((await exportOnce(withoutCert)).ok, false);
        assert.equal(receiver.spans().length, 1);
      } finally {
        await withCert.shutdown();
        await withoutCert.shutdown();
        await receiver.close();
      }
    });
  }

  test('an unreadable certificate file fails the export without retrying', async () => {
    const exporter = createOtlpTraceExporter(config('grpc', 'https://127.0.0.1:1', { certificateFile: '/nonexistent/ca.pem' }));
    const result = await exportOnce(exporter);
    await exporter.shutdown();
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.retryable, false);
    assert.match(!result.ok ? result.error.message : '', /cannot read TLS file/);
  });
});
