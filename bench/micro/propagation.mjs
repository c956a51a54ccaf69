// Microbenchmark: W3C traceparent/tracestate inject into an outgoing header object and extract
// from incoming headers. Ours (dist traceContextPropagator) vs the official
// W3CTraceContextPropagator from bench/official, each with its own API's getter/setter.
// Run after `npx tsc -p tsconfig.json`:  node bench/micro/propagation.mjs [trials=7] [ms-per-trial=1000]

import { createRequire } from 'node:module';
import { measureOps, officialRequire } from './measure.mjs';

const require = createRequire(import.meta.url);
const api = require('@opentelemetry/api');
const { traceContextPropagator } = require('../../dist/src/context/propagation/tracecontext.js');
const { ROOT_CONTEXT } = require('../../dist/src/context/context.js');
const officialCore = officialRequire(createRequire, '@opentelemetry/core');
const officialApi = officialRequire(createRequire, '@opentelemetry/api');

const trials = Number(process.argv[2] ?? 7);
const trialMs = Number(process.argv[3] ?? 1000);

const SPAN_CONTEXT = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: 1 };
const INCOMING = { host: 'checkout.internal', accept: '*/*', traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' };
const INCOMING_STATE = { ...INCOMING, tracestate: 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE' };

function cases(propagator, apiModule, root) {
  const { defaultTextMapGetter: getter, defaultTextMapSetter: setter } = apiModule;
  const active = apiModule.trace.setSpanContext(root, SPAN_CONTEXT);
  let sink = 0;
  return {
    'inject traceparent': (n) => {
      for (let i = 0; i < n; i++) {
        const headers = {};
        propagator.inject(active, headers, setter);
        sink += headers.traceparent.length;
      }
    },
    'extract traceparent': (n) => {
      for (let i = 0; i < n; i++) sink += apiModule.trace.getSpanContext(propagator.extract(root, INCOMING, getter)).traceFlags;
    },
    'extract traceparent + tracestate': (n) => {
      for (let i = 0; i < n; i++) sink += apiModule.trace.getSpanContext(propagator.extract(root, INCOMING_STATE, getter)).traceFlags;
    },
  };
}

console.log(`node ${process.version}, ${trials} trials x ${trialMs} ms\n`);
const ours = cases(traceContextPropagator, api, ROOT_CONTEXT);
const theirs = officialCore && officialApi ? cases(new officialCore.W3CTraceContextPropagator(), officialApi, officialApi.ROOT_CONTEXT) : undefined;
for (const name of Object.keys(ours)) {
  const a = await measureOps({ name: `ours     ${name}`, fn: ours[name], trials, trialMs });
  if (!theirs) continue;
  const b = await measureOps({ name: `official ${name}`, fn: theirs[name], trials, trialMs });
  console.log(`${''.padEnd(44)} ours / official time = ${(a / b).toFixed(2)}x\n`);
}
if (!theirs) console.log('\nbench/official not installed (npm ci --prefix bench/official): official propagator skipped');
