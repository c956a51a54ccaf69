// @grpc/grpc-js 1.x (from 1.10, whose server passes every call through its interceptor chain): a
// CLIENT span per call made and a SERVER span per call served, for unary, client-streaming,
// server-streaming and bidirectional calls, with the trace context carried in the call's metadata
// and the rpc.client.call.duration and rpc.server.call.duration histograms. client.ts and server.ts
// say where each is hooked; semconv.ts which conventions are followed.
//
// Every patched file is one of grpc-js's own (build/src/*.js), patched as it loads: grpc-js is
// CommonJS, so an ES module app loads those files through require too. Several copies of grpc-js in
// one app (a library pinning its own) are each patched.

import type { Instrumentation, Telemetry } from '../../src/hook/instrumentation.js';
import { patchCallObjects, patchClient } from './client.js';
import { grpcTelemetry } from './rpc-call.js';
import { patchServer, patchServerCallObjects, patchServerInterceptors } from './server.js';

const VERSIONS = '>=1.10.0 <2';
const SRC = '@grpc/grpc-js/build/src';

function target(file: string, patch: (exports: unknown, rpc: ReturnType<typeof grpcTelemetry>) => unknown) {
  return { module: `${SRC}/${file}`, versions: VERSIONS, patch: (exports: unknown, telemetry: Telemetry) => patch(exports, grpcTelemetry(telemetry)) };
}

export const grpc: Instrumentation = {
  name: 'grpc',
  targets: [
    target('client.js', patchClient),
    target('call.js', patchCallObjects),
    target('server.js', patchServer),
    target('server-interceptors.js', patchServerInterceptors),
    target('server-call.js', patchServerCallObjects),
  ],
};
