// socket.io 4 and socket.io-client 4: a send span per emitted event and a process span per received
// event, on the server and in Node clients, with the event name, namespace and rooms, the trace
// context carried across the socket when both ends run this instrumentation, errors and acks
// (semconv.ts: which conventions; context-marker.ts: how the context travels; server.ts and
// client.ts: where each side is hooked).
//
// The server's files are CommonJS for require and import alike (its ESM entry wraps them). The
// client has separate CommonJS and ES module builds: each is patched as it loads.

import type { Instrumentation } from '../../src/hook/instrumentation.js';
import { patchClientSocket } from './client.js';
import { patchBroadcastOperator, patchSocket, patchTypedEvents } from './server.js';

const VERSIONS = '>=4.0.0 <5';

export const socketIo: Instrumentation = {
  name: 'socket.io',
  targets: [
    { module: 'socket.io/dist/socket.js', versions: VERSIONS, patch: patchSocket },
    { module: 'socket.io/dist/typed-events.js', versions: VERSIONS, patch: (exports) => patchTypedEvents(exports) },
    { module: 'socket.io/dist/broadcast-operator.js', versions: VERSIONS, patch: patchBroadcastOperator },
    ...['cjs', 'esm', 'esm-debug'].map((build) => ({ module: `socket.io-client/build/${build}/socket.js`, versions: VERSIONS, patch: patchClientSocket })),
  ],
};
