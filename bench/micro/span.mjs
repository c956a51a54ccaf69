// Microbenchmark: start and end one server span with 8 attributes, ours vs the official SDK
// (@opentelemetry/sdk-trace-base from bench/official). Both always sample and end into a processor that
// does nothing, and both get the parent context passed in, so this times the span itself only.
// Run after `npx tsc -p tsconfig.json`:  node bench/micro/span.mjs [trials=7] [ms-per-trial=1000]

import { createRequire } from 'node:module';
import { measureOps, officialRequire } from './measure.mjs';

const require = createRequire(import.meta.url);
const { SdkTracerProvider } = require('../../dist/src/trace/tracer-provider.js');
const { alwaysOn } = require('../../dist/src/trace/samplers.js');
const { loadConfig } = require('../../dist/src/config/load-config.js');
const { ROOT_CONTEXT } = require('../../dist/src/context/context.js');
const officialTrace = officialRequire(createRequire, '@opentelemetry/sdk-trace-base');
const officialApi = officialRequire(createRequire, '@opentelemetry/api');

const trials = Number(process.argv[2] ?? 7);
const trialMs = Number(process.argv[3] ?? 1000);
const SERVER = 1;

// What an HTTP server span carries at start.
const ATTRIBUTES = {
  'http.request.method': 'GET',
  'url.path': '/api/users/42',
  'url.scheme': 'http',
  'server.address': 'checkout.internal',
  'server.port': 8080,
  'network.protocol.version': '1.1',
  'client.address': '10.0.3.7',
  'user_agent.original': 'wrk/4.2.0',
};

const noopProcessor = {
  onStart() {},
  onEnd() {},
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};

function oursTracer() {
  return new SdkTracerProvider({
    sampler: alwaysOn,
    limits: loadConfig({}).spanLimits,
    resource: { attributes: { 'service.name': 'bench' } },
    listener: { onEnd() {} },
  }).getTracer('bench');
}

function officialTracer() {
  return new officialTrace.BasicTracerProvider({ sampler: new officialTrace.AlwaysOnSampler(), spanProcessors: [noopProcessor] }).getTracer('bench');
}

function cases(tracer, root) {
  return {
    'start(8 attributes) + end': (n) => {
      for (let i = 0; i < n; i++) tracer.startSpan('GET', { kind: SERVER, attributes: ATTRIBUTES }, root).end();
    },
    // What an HTTP server span does: starts with its request attributes, adds the response's at the end.
    'start(8 attributes) + 2 setAttribute, end': (n) => {
      for (let i = 0; i < n; i++) {
        const span = tracer.startSpan('GET', { kind: SERVER, attributes: ATTRIBUTES }, root);
        span.setAttribute('http.response.status_code', 200);
        span.setAttribute('http.route', '/api/users/:id');
        span.end();
      }
    },
    'start + 8 setAttribute + setStatus + end': (n) => {
      for (let i = 0; i < n; i++) {
        const span = tracer.startSpan('GET', { kind: SERVER }, root);
        for (const key in ATTRIBUTES) span.setAttribute(key, ATTRIBUTES[key]);
        span.setStatus({ code: 0 });
        span.end();
      }
    },
  };
}

console.log(`node ${process.version}, ${trials} trials x ${trialMs} ms\n`);
const ours = cases(oursTracer(), ROOT_CONTEXT);
const theirs = officialTrace ? cases(officialTracer(), officialApi.ROOT_CONTEXT) : undefined;
for (const name of Object.keys(ours)) {
  const a = await measureOps({ name: `ours     ${name}`, fn: ours[name], trials, trialMs, width: 50 });
  if (!theirs) continue;
  const b = await measureOps({ name: `official ${name}`, fn: theirs[name], trials, trialMs, width: 50 });
  console.log(`${''.padEnd(50)} ours / official time = ${(a / b).toFixed(2)}x\n`);
}
if (!theirs) console.log('\nbench/official not installed (npm ci --prefix bench/official): official SDK skipped');
