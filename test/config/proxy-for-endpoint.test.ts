// HTTPS_PROXY / HTTP_PROXY / NO_PROXY as curl reads them: the variable the endpoint's scheme picks,
// lower case first, NO_PROXY's host names, domain suffixes, `*` and IP ranges, and what --print-config
// says. The NO_PROXY decisions are also checked against the curl installed on this machine.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describeConfig } from '../../src/config/load-config.js';
import { resolveOtlpSignal } from '../../src/config/otlp-endpoint.js';
import { noProxyEntryFor, parseProxyUrl, proxyForEndpoint } from '../../src/config/proxy-for-endpoint.js';
import { resetWarnOnce } from '../../src/diag/log.js';
import { skipWithout } from '../support/debian-program.js';
import { withDiag } from '../support/exporter-helpers.js';

const PROXY = 'http://proxy.internal:3128';

// [URL hostname, NO_PROXY, bypassed?], as curl 8.18+ decides (lib/proxy.c); the last test below asks
// the curl on this machine (Debian 12's 7.88 agrees on every row but the IPv6 ranges).
const NO_PROXY_CASES: ReadonlyArray<readonly [string, string, boolean]> = [
  ['collector.example.com', 'collector.example.com', true],
  ['collector.example.com', 'COLLECTOR.Example.com', true],
  ['collector.example.com', 'example.com', true],
  ['collector.example.com', '.example.com', true],
  ['example.com', '.example.com', true],
  ['collector.example.com', 'example.com.', true],
  ['collector.example.com', 'ample.com', false],
  ['collector.example.com', 'other.example.com', false],
  ['collector.example.com', 'collector.example.com:4318', false],
  ['collector.example.com', 'foo,collector.example.com', true],
  ['collector.example.com', 'foo,,  ,collector.example.com', true],
  ['collector.example.com', '*', true],
  ['collector.example.com', 'foo,*', false],
  ['collector.example.com', '*.example.com', false],
  ['localhost', 'localhost', true],
  ['localhost', '127.0.0.1', false],
  ['127.0.0.1', 'localhost', false],
  ['127.0.0.1', '127.0.0.1', true],
  ['127.0.0.1', '127.0.0.0/8', true],
  ['127.0.0.1', '10.0.0.0/8', false],
  ['127.0.0.1', '127.0.0.1/32', true],
  ['127.0.0.1', '127.0.0.0/0', false],
  ['127.0.0.1', '127.0.0.1:4317', false],
  ['127.0.0.1', '.0.0.1', false],
  ['[::1]', '::1', true],
  ['[::1]', '[::1]', false],
  ['[::1]', '::/64', true],
  ['[::1]', 'fe80::/10', false],
  ['[::1]', '::0/127', true],
  ['[::1]', '127.0.0.1', false],
];

describe('NO_PROXY', () => {
  for (const [hostname, noProxy, bypassed] of NO_PROXY_CASES) {
    it(`${JSON.stringify(noProxy)} ${bypassed ? 'bypasses' : 'does not bypass'} ${hostname}`, () => {
      assert.equal(noProxyEntryFor(hostname, noProxy) !== undefined, bypassed);
    });
  }

  it('is read only for an endpoint that would go through a proxy, and says which entry matched', () => {
    const env = { HTTPS_PROXY: PROXY, NO_PROXY: 'localhost, .svc.cluster.local' };
    assert.deepEqual(proxyForEndpoint(env, 'https://otel-collector.observability.svc.cluster.local:4317'), {
      url: undefined,
      note: 'no proxy: NO_PROXY has .svc.cluster.local',
    });
    assert.deepEqual(proxyForEndpoint(env, 'https://ingest.vendor.example:443/v1/traces'), {
      url: 'http://proxy.internal:3128',
      note: 'through the proxy http://proxy.internal:3128 (HTTPS_PROXY)',
    });
    assert.deepEqual(proxyForEndpoint({ NO_PROXY: '*' }, 'https://collector:4317'), { url: undefined, note: undefined });
  });
});

describe('the proxy variable', () => {
  it('is chosen by the endpoint scheme: https_proxy for https://, http_proxy for http://', () => {
    const env = { HTTPS_PROXY: 'http://tls-proxy:3128', HTTP_PROXY: 'http://plain-proxy:3128' };
    assert.equal(proxyForEndpoint(env, 'https://collector:4318/v1/traces').url, 'http://tls-proxy:3128');
    assert.equal(proxyForEndpoint(env, 'http://collector:4318/v1/traces').url, 'http://plain-proxy:3128');
    assert.equal(proxyForEndpoint({ HTTPS_PROXY: PROXY }, 'http://collector:4318/v1/traces').url, undefined);
    assert.equal(proxyForEndpoint({ HTTP_PROXY: PROXY }, 'https://collector:4318/v1/traces').url, undefined);
  });

  it('in lower case wins over upper case, for the proxy and for NO_PROXY; an empty one counts as unset', () => {
    assert.equal(proxyForEndpoint({ https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:2' }, 'https://c').url, 'http://lower:1');
    assert.equal(proxyForEndpoint({ http_proxy: 'http://lower:1', HTTP_PROXY: 'http://upper:2' }, 'http://c').url, 'http://lower:1');
    assert.equal(proxyForEndpoint({ https_proxy: '', HTTPS_PROXY: 'http://upper:2' }, 'https://c').url, 'http://upper:2');
    assert.equal(proxyForEndpoint({ HTTPS_PROXY: PROXY, no_proxy: 'other', NO_PROXY: 'c' }, 'https://c').url, PROXY);
    assert.equal(proxyForEndpoint({ HTTPS_PROXY: PROXY, no_proxy: '', NO_PROXY: 'c' }, 'https://c').url, undefined);
  });

  it('HTTP_PROXY is not read under CGI (REQUEST_METHOD set), where a request header can set it; http_proxy is', () => {
    assert.equal(proxyForEndpoint({ HTTP_PROXY: PROXY, REQUEST_METHOD: 'GET' }, 'http://c:4318').url, undefined);
    assert.equal(proxyForEndpoint({ http_proxy: PROXY, REQUEST_METHOD: 'GET' }, 'http://c:4318').url, PROXY);
  });

  it('is a host and port, with http:// and the port 1080 taken when left out, as curl does', () => {
    assert.deepEqual(parseProxyUrl('proxy:3128'), { url: 'http://proxy:3128' });
    assert.deepEqual(parseProxyUrl('proxy'), { url: 'http://proxy:1080' });
    assert.deepEqual(parseProxyUrl('HTTP://proxy/'), { url: 'http://proxy:1080' });
    assert.deepEqual(parseProxyUrl('http://proxy:80'), { url: 'http://proxy:80' });
    assert.deepEqual(parseProxyUrl('http://[::1]:3128'), { url: 'http://[::1]:3128' });
    assert.deepEqual(parseProxyUrl('http://us%40er:p%3Ass@proxy:3128'), { url: 'http://us%40er:p%3Ass@proxy:3128' });
    assert.deepEqual(parseProxyUrl('socks5h://proxy:1080'), { error: 'SOCKS proxies are not supported, only http://' });
    assert.deepEqual(parseProxyUrl('https://proxy:443'), { error: 'https:// proxies are not supported, only http://' });
    assert.deepEqual(parseProxyUrl('http://'), { error: 'expected [http://][user:password@]host[:port]' });
  });

  it('that cannot be used is said once, credentials redacted, and the endpoint is reached directly', async () => {
    resetWarnOnce('config:HTTPS_PROXY=socks5://alice:s3cret@proxy:1080');
    await withDiag(async (log) => {
      const choice = proxyForEndpoint({ HTTPS_PROXY: 'socks5://alice:s3cret@proxy:1080' }, 'https://collector:4317');
      assert.equal(choice.url, undefined);
      assert.equal(choice.note, 'HTTPS_PROXY="socks5://REDACTED:REDACTED@proxy:1080" is not used: SOCKS proxies are not supported, only http://');
      assert.deepEqual(log.warn, [
        'HTTPS_PROXY="socks5://REDACTED:REDACTED@proxy:1080" is not used (SOCKS proxies are not supported, only http://); OTLP connects to https://collector:4317 directly',
      ]);
    });
  });
});

describe('per-signal OTLP configuration', () => {
  it('carries the proxy of each signal endpoint; a scheme-less grpc endpoint uses TLS, so HTTPS_PROXY', () => {
    const env = {
      HTTPS_PROXY: 'http://alice:s3cret@proxy:3128',
      NO_PROXY: 'metrics.internal',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'collector.example.com:4317',
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'metrics.internal:4317',
      OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'logs.example.com:4317',
      OTEL_EXPORTER_OTLP_LOGS_INSECURE: 'true',
    };
    assert.equal(resolveOtlpSignal(env, 'traces').proxy, 'http://alice:s3cret@proxy:3128');
    assert.equal(resolveOtlpSignal(env, 'metrics').proxy, undefined);
    assert.equal(resolveOtlpSignal(env, 'logs').proxy, undefined, 'plaintext grpc: http://, so HTTP_PROXY, unset');
    assert.equal('proxy' in resolveOtlpSignal({}, 'traces'), false);
  });

  it('--print-config shows which proxy each endpoint goes through, credentials redacted', () => {
    const env = {
      https_proxy: 'http://alice:s3cret@proxy:3128',
      HTTP_PROXY: 'http://plain-proxy:3128',
      NO_PROXY: 'logs.internal',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector.example.com',
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://metrics.example.com:4318/v1/metrics',
      OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'https://logs.internal/v1/logs',
    };
    const entries = describeConfig(env, new Set());
    const notesOf = (name: string): readonly string[] => entries.find((e) => e.name === name)!.notes;
    assert.deepEqual(notesOf('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'), [
      'from OTEL_EXPORTER_OTLP_ENDPOINT',
      'through the proxy http://REDACTED:REDACTED@proxy:3128 (https_proxy)',
    ]);
    assert.deepEqual(notesOf('OTEL_EXPORTER_OTLP_METRICS_ENDPOINT'), ['through the proxy http://plain-proxy:3128 (HTTP_PROXY)']);
    assert.deepEqual(notesOf('OTEL_EXPORTER_OTLP_LOGS_ENDPOINT'), ['no proxy: NO_PROXY has logs.internal']);
    assert.doesNotMatch(JSON.stringify(entries), /s3cret|alice/);
    assert.deepEqual(describeConfig({}, new Set()).find((e) => e.name === 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT')!.notes, []);
  });
});

describe('NO_PROXY agrees with curl', { skip: skipWithout('curl') }, () => {
  // curl prints `Trying <address>:<port>` for the connection it makes: the proxy's, or the target's.
  // The proxy port answers nothing (port 9, discard, closed here); --resolve keeps names off DNS.
  // curl before 8.18 ("noproxy: fix ipv6 handling") compared an IPv6 host as a name, so CIDR ranges
  // never matched it; we follow the fixed curl, and ask an older one only the other cases.
  const version = /^curl (\d+)\.(\d+)/.exec(spawnSync('curl', ['--version'], { encoding: 'utf8' }).stdout ?? '');
  const ipv6Ranges = version !== null && (Number(version[1]) > 8 || (Number(version[1]) === 8 && Number(version[2]) >= 18));

  it('for every case of the table above', () => {
    for (const [hostname, noProxy, bypassed] of NO_PROXY_CASES) {
      if (!ipv6Ranges && hostname.startsWith('[') && noProxy.includes('/')) continue;
      const target = `http://${hostname}:1/`;
      const name = hostname.startsWith('[') ? undefined : hostname;
      const args = ['-v', '-s', '-o', '/dev/null', '--max-time', '2', ...(name === undefined ? [] : ['--resolve', `${name}:1:127.0.0.1`]), target];
      const run = spawnSync('curl', args, { env: { PATH: process.env.PATH, http_proxy: 'http://127.0.0.1:9', NO_PROXY: noProxy }, encoding: 'utf8' });
      const proxied = /Trying 127\.0\.0\.1:9\b/.test(run.stderr);
      assert.equal(!proxied, bypassed, `curl ${noProxy} for ${hostname}: ${run.stderr.split('\n').slice(0, 3).join(' | ')}`);
    }
  });
});
