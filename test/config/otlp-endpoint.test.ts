import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setLogLevel } from '../../src/diag/log.js';
import { resolveOtlp, resolveOtlpSignal } from '../../src/config/otlp-endpoint.js';
import type { Signal } from '../../src/config/types.js';

setLogLevel('none');

const url = (env: Record<string, string>, signal: Signal = 'traces'): string => resolveOtlpSignal(env, signal).url;
const HTTP = { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' };

describe('OTLP protocol', () => {
  it('defaults to grpc (DESIGN.md), for every signal', () => {
    const all = resolveOtlp({});
    assert.deepEqual([all.traces.protocol, all.metrics.protocol, all.logs.protocol], ['grpc', 'grpc', 'grpc']);
  });
  it('takes the per-signal protocol over the generic one', () => {
    const env = { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'GRPC' };
    assert.equal(resolveOtlpSignal(env, 'traces').protocol, 'http/json');
    assert.equal(resolveOtlpSignal(env, 'metrics').protocol, 'grpc');
  });
  it('ignores an invalid per-signal protocol and falls back to the generic one', () => {
    const env = { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http' };
    assert.equal(resolveOtlpSignal(env, 'traces').protocol, 'http/protobuf');
  });
  it('ignores an invalid generic protocol', () => {
    assert.equal(resolveOtlpSignal({ OTEL_EXPORTER_OTLP_PROTOCOL: 'thrift' }, 'logs').protocol, 'grpc');
  });
});

describe('OTLP endpoint over http (spec table)', () => {
  it('defaults to http://localhost:4318/v1/<signal>', () => {
    assert.equal(url(HTTP, 'traces'), 'http://localhost:4318/v1/traces');
    assert.equal(url(HTTP, 'metrics'), 'http://localhost:4318/v1/metrics');
    assert.equal(url(HTTP, 'logs'), 'http://localhost:4318/v1/logs');
  });
  it('appends v1/<signal> to the generic endpoint', () => {
    assert.equal(url({ ...HTTP, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }), 'http://collector:4318/v1/traces');
  });
  it('puts exactly one slash between a generic endpoint with a trailing slash and v1/<signal>', () => {
    assert.equal(url({ ...HTTP, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }, 'metrics'), 'http://collector:4318/v1/metrics');
  });
  it('keeps the generic endpoint path as a prefix', () => {
    const env = { ...HTTP, OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector:4318/mycollector' };
    assert.equal(url(env, 'logs'), 'https://collector:4318/mycollector/v1/logs');
    const slash = { ...HTTP, OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector:4318/mycollector/' };
    assert.equal(url(slash, 'logs'), 'https://collector:4318/mycollector/v1/logs');
  });
  it('uses a per-signal endpoint as is', () => {
    const env = {
      ...HTTP,
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://generic:4318',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/custom/path',
    };
    assert.equal(url(env, 'traces'), 'http://collector:4318/custom/path');
    assert.equal(url(env, 'metrics'), 'http://generic:4318/v1/metrics');
  });
  it('gives a per-signal endpoint without a path the root path', () => {
    assert.equal(url({ ...HTTP, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318' }), 'http://collector:4318/');
  });
  it('does not append v1/<signal> to a per-signal endpoint with a trailing slash', () => {
    assert.equal(url({ ...HTTP, OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://c:4318/v1/logs/' }, 'logs'), 'http://c:4318/v1/logs/');
  });
  it('keeps credentials in the URL (the transport needs them)', () => {
    assert.equal(url({ ...HTTP, OTEL_EXPORTER_OTLP_ENDPOINT: 'https://u:p@c' }), 'https://u:p@c/v1/traces');
  });
  it('derives insecure from the scheme', () => {
    assert.equal(resolveOtlpSignal({ ...HTTP, OTEL_EXPORTER_OTLP_ENDPOINT: 'https://c' }, 'traces').insecure, false);
    assert.equal(resolveOtlpSignal({ ...HTTP, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c' }, 'traces').insecure, true);
  });
  it('ignores invalid endpoints: no scheme, other schemes, garbage', () => {
    for (const bad of ['collector:4318', 'ftp://collector', 'http://', 'not a url', 'unix:/tmp/otlp.sock']) {
      assert.equal(url({ ...HTTP, OTEL_EXPORTER_OTLP_ENDPOINT: bad }), 'http://localhost:4318/v1/traces', bad);
    }
  });
  it('falls back to the generic endpoint when the per-signal one is invalid', () => {
    const env = { ...HTTP, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://generic:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'bad url' };
    assert.equal(url(env), 'http://generic:4318/v1/traces');
  });
});

describe('OTLP endpoint over grpc', () => {
  it('defaults to plaintext http://localhost:4317', () => {
    assert.deepEqual(
      { url: resolveOtlpSignal({}, 'traces').url, insecure: resolveOtlpSignal({}, 'traces').insecure },
      { url: 'http://localhost:4317', insecure: true },
    );
  });
  it('uses the origin of an endpoint with a scheme; the scheme decides TLS', () => {
    const plain = resolveOtlpSignal({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4317' }, 'metrics');
    assert.deepEqual([plain.url, plain.insecure], ['http://collector:4317', true]);
    const tls = resolveOtlpSignal({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector:4317', OTEL_EXPORTER_OTLP_INSECURE: 'true' }, 'metrics');
    assert.deepEqual([tls.url, tls.insecure], ['https://collector:4317', false]);
  });
  it('does not append v1/<signal> and drops a path', () => {
    assert.equal(url({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4317/v1/traces' }), 'http://collector:4317');
  });
  it('uses TLS for a scheme-less host:port unless INSECURE is true', () => {
    const tls = resolveOtlpSignal({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4317' }, 'traces');
    assert.deepEqual([tls.url, tls.insecure], ['https://collector:4317', false]);
    const plain = resolveOtlpSignal({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4317', OTEL_EXPORTER_OTLP_INSECURE: 'TRUE' }, 'traces');
    assert.deepEqual([plain.url, plain.insecure], ['http://collector:4317', true]);
  });
  it('lets the per-signal INSECURE win, even when it is false', () => {
    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4317',
      OTEL_EXPORTER_OTLP_INSECURE: 'true',
      OTEL_EXPORTER_OTLP_LOGS_INSECURE: 'false',
    };
    assert.equal(resolveOtlpSignal(env, 'logs').insecure, false);
    assert.equal(resolveOtlpSignal(env, 'traces').insecure, true);
  });
  it('accepts the obsolete SPAN_INSECURE and METRIC_INSECURE names', () => {
    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4317',
      OTEL_EXPORTER_OTLP_SPAN_INSECURE: 'true',
      OTEL_EXPORTER_OTLP_METRIC_INSECURE: 'true',
    };
    assert.equal(resolveOtlpSignal(env, 'traces').url, 'http://collector:4317');
    assert.equal(resolveOtlpSignal(env, 'metrics').url, 'http://collector:4317');
    assert.equal(resolveOtlpSignal(env, 'logs').url, 'https://collector:4317');
  });
  it('keeps a non-default port when switching to TLS', () => {
    assert.equal(url({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:80' }), 'https://collector:80');
    assert.equal(url({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:443' }), 'https://collector');
  });
  it('uses a per-signal scheme-less endpoint', () => {
    const env = { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'traces-collector:4317', OTEL_EXPORTER_OTLP_TRACES_INSECURE: 'true' };
    assert.equal(url(env, 'traces'), 'http://traces-collector:4317');
    assert.equal(url(env, 'metrics'), 'http://localhost:4317');
  });
  it('ignores an endpoint with an unsupported scheme', () => {
    assert.equal(url({ OTEL_EXPORTER_OTLP_ENDPOINT: 'unix:///tmp/otlp.sock' }), 'http://localhost:4317');
  });
  it('mixes protocols per signal', () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf' };
    assert.equal(url(env, 'traces'), 'http://collector:4318/v1/traces');
    assert.equal(url(env, 'metrics'), 'http://collector:4318');
  });
});

describe('OTLP headers', () => {
  it('merges generic and per-signal headers, the per-signal value winning per key', () => {
    const env = {
      OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=Bearer%20generic,x-tenant=a',
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'authorization=Bearer%20traces',
    };
    assert.deepEqual(resolveOtlpSignal(env, 'traces').headers, { authorization: 'Bearer traces', 'x-tenant': 'a' });
    assert.deepEqual(resolveOtlpSignal(env, 'logs').headers, { authorization: 'Bearer generic', 'x-tenant': 'a' });
  });
  it('skips entries that are not valid headers', () => {
    const env = { OTEL_EXPORTER_OTLP_HEADERS: 'ok=1,bad name=2,crlf=a%0D%0Ab,wide=%E2%82%AC,latin=%C3%A9' };
    assert.deepEqual(resolveOtlpSignal(env, 'traces').headers, { ok: '1', latin: 'é' });
  });
  it('is empty by default', () => {
    assert.deepEqual(resolveOtlpSignal({}, 'metrics').headers, {});
  });
});

describe('OTLP compression, timeout and certificates', () => {
  it('defaults to no compression and 10 s', () => {
    const c = resolveOtlpSignal({}, 'traces');
    assert.deepEqual([c.compression, c.timeoutMs], ['none', 10000]);
  });
  it('takes per-signal values over generic ones', () => {
    const env = {
      OTEL_EXPORTER_OTLP_COMPRESSION: 'GZIP',
      OTEL_EXPORTER_OTLP_LOGS_COMPRESSION: 'none',
      OTEL_EXPORTER_OTLP_TIMEOUT: '5000',
      OTEL_EXPORTER_OTLP_LOGS_TIMEOUT: '0',
      OTEL_EXPORTER_OTLP_CERTIFICATE: '/ca.pem',
      OTEL_EXPORTER_OTLP_LOGS_CERTIFICATE: '/logs-ca.pem',
      OTEL_EXPORTER_OTLP_CLIENT_KEY: '/key.pem',
      OTEL_EXPORTER_OTLP_TRACES_CLIENT_CERTIFICATE: '/traces-cert.pem',
    };
    const traces = resolveOtlpSignal(env, 'traces');
    const logs = resolveOtlpSignal(env, 'logs');
    assert.deepEqual([traces.compression, traces.timeoutMs, traces.certificateFile], ['gzip', 5000, '/ca.pem']);
    assert.deepEqual([logs.compression, logs.timeoutMs, logs.certificateFile], ['none', 0, '/logs-ca.pem']);
    assert.deepEqual([traces.clientKeyFile, traces.clientCertificateFile], ['/key.pem', '/traces-cert.pem']);
    assert.deepEqual([logs.clientKeyFile, logs.clientCertificateFile], ['/key.pem', undefined]);
  });
  it('ignores invalid compression and timeouts', () => {
    const env = { OTEL_EXPORTER_OTLP_COMPRESSION: 'brotli', OTEL_EXPORTER_OTLP_TIMEOUT: '-1', OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: '10s' };
    const c = resolveOtlpSignal(env, 'traces');
    assert.deepEqual([c.compression, c.timeoutMs], ['none', 10000]);
  });
  it('falls back to the generic timeout past an invalid per-signal one', () => {
    assert.equal(resolveOtlpSignal({ OTEL_EXPORTER_OTLP_TIMEOUT: '2000', OTEL_EXPORTER_OTLP_METRICS_TIMEOUT: 'x' }, 'metrics').timeoutMs, 2000);
  });
});
