// A fast OTLP gRPC sink for benchmarks: answers every unary call OK with an empty message and
// counts, per service (traces, metrics, logs), the calls and the items they carried, so a run
// can prove each configuration really exported. Plain node:http2 so the sink costs next to
// nothing beside the app under test.
import http2 from 'node:http2';
import { gunzipSync } from 'node:zlib';

const EMPTY_MESSAGE = Buffer.from([0, 0, 0, 0, 0]);
const SIGNAL_BY_PATH = {
  '/opentelemetry.proto.collector.trace.v1.TraceService/Export': 'traces',
  '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export': 'metrics',
  '/opentelemetry.proto.collector.logs.v1.LogsService/Export': 'logs',
};

function readVarint(buf, pos) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = buf[pos++];
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return [value, pos];
    shift += 7;
  }
}

/** Calls onField(fieldNumber, start, end) for each length-delimited field of one message; skips the rest. */
function eachBytesField(buf, start, end, onField) {
  let pos = start;
  while (pos < end) {
    let key;
    [key, pos] = readVarint(buf, pos);
    const wire = key & 7;
    if (wire === 0) [, pos] = readVarint(buf, pos);
    else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else if (wire === 2) {
      let len;
      [len, pos] = readVarint(buf, pos);
      onField(key >>> 3, pos, pos + len);
      pos += len;
    } else throw new Error(`unexpected wire type ${wire}`);
  }
}

// All three export requests have the same shape: field 1 = Resource{Spans,Metrics,Logs},
// whose field 2 = Scope{...}, whose field 2 = the items (spans, metrics, log records).
export function countItems(message) {
  let items = 0;
  eachBytesField(message, 0, message.length, (f1, s1, e1) => {
    if (f1 !== 1) return;
    eachBytesField(message, s1, e1, (f2, s2, e2) => {
      if (f2 !== 2) return;
      eachBytesField(message, s2, e2, (f3) => {
        if (f3 === 2) items++;
      });
    });
  });
  return items;
}

/** Items in one gRPC request body: a sequence of 5-byte-framed messages, maybe gzip-compressed. */
function countGrpcBody(body) {
  let items = 0;
  let pos = 0;
  while (pos + 5 <= body.length) {
    const compressed = body[pos] === 1;
    const len = body.readUInt32BE(pos + 1);
    const message = body.subarray(pos + 5, pos + 5 + len);
    items += countItems(compressed ? gunzipSync(message) : message);
    pos += 5 + len;
  }
  return items;
}

function emptyStats() {
  return { traces: { calls: 0, items: 0 }, metrics: { calls: 0, items: 0 }, logs: { calls: 0, items: 0 }, other: 0, badBodies: 0 };
}

export function startSink(port = 0) {
  let stats = emptyStats();
  const server = http2.createServer();
  const open = new Set();
  // Apps are killed mid-export at the end of each round: a reset stream or session is expected.
  server.on('session', (session) => {
    open.add(session);
    session.on('close', () => open.delete(session));
    session.on('error', () => undefined);
  });
  server.on('stream', (stream, headers) => {
    const signal = SIGNAL_BY_PATH[headers[':path']];
    const chunks = [];
    stream.on('error', () => undefined);
    stream.on('data', (chunk) => chunks.push(chunk));
    stream.on('end', () => {
      if (signal === undefined) stats.other++;
      else {
        stats[signal].calls++;
        try {
          stats[signal].items += countGrpcBody(Buffer.concat(chunks));
        } catch {
          stats.badBodies++;
        }
      }
      if (stream.destroyed) return;
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      stream.end(EMPTY_MESSAGE);
    });
  });
  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () => resolve({
      port: server.address().port,
      /** Returns the counts since the last take and starts counting afresh. */
      take() {
        const taken = stats;
        stats = emptyStats();
        return taken;
      },
      close: () => new Promise((done) => {
        server.close(done);
        // Exporters keep idle HTTP/2 sessions open; do not wait for them.
        for (const session of open) session.destroy();
      }),
    }));
  });
}
