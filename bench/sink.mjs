// A fast OTLP gRPC sink for benchmarks: answers every unary call OK with an empty message and
// counts bytes. Plain node:http2 so the sink costs next to nothing beside the app under test.
import http2 from 'node:http2';

const EMPTY_MESSAGE = Buffer.from([0, 0, 0, 0, 0]);

export function startSink(port = 0) {
  let requests = 0;
  let bytes = 0;
  const server = http2.createServer();
  // Apps are killed mid-export at the end of each round: a reset stream or session is expected.
  server.on('session', (session) => session.on('error', () => undefined));
  server.on('stream', (stream) => {
    stream.on('error', () => undefined);
    stream.on('data', (chunk) => (bytes += chunk.length));
    stream.on('end', () => {
      requests++;
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      stream.end(EMPTY_MESSAGE);
    });
  });
  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () => resolve({
      port: server.address().port,
      stats: () => ({ requests, bytes }),
      close: () => new Promise((done) => server.close(done)),
    }));
  });
}
