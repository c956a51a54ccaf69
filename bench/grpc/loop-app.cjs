// The gRPC loop (run by bench/grpc/run.mjs, plain or under a launcher): unary Echo calls from a
// @grpc/grpc-js stub to an Echo server in the same process over loopback, in the measured loop of
// bench/lib/op-loop.cjs, so both sides' instrumentation is in what it measures. The service and its
// .proto (loaded by @grpc/proto-loader) are the gRPC tests' own, test/fixtures/grpc.
const { measureLoop } = require('../lib/op-loop.cjs');
const { grpc, loadEcho, startEchoServer } = require('../../test/fixtures/grpc/echo-service.js');

async function connect() {
  const { server, port } = await startEchoServer();
  const Echo = loadEcho();
  const client = new Echo(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const request = { message: 'hello' };
  return {
    op: (_i, cb) => client.Unary(request, cb),
    close: () => {
      client.close();
      server.forceShutdown();
    },
  };
}

measureLoop(connect);
