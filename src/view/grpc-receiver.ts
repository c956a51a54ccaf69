// OTLP/gRPC over node:http2 (no gRPC library at run time): the three unary Export methods. A request is one
// length-prefixed message (gRPC over HTTP/2: 1 byte compressed flag, 4 bytes big-endian length, then the
// message, gzip when flagged and grpc-encoding says so). The answer is the empty Export*ServiceResponse with
// grpc-status 0, or a grpc-status: 3 INVALID_ARGUMENT (bad message), 12 UNIMPLEMENTED (other method).

import { createServer, constants, type Http2Server, type ServerHttp2Stream, type IncomingHttpHeaders } from 'node:http2';
import { decodeExport, encodeSuccess, inflate } from './decode-request.js';
import { MAX_BODY_BYTES, type Ingest } from './http-receiver.js';
import { otlpSchema, OTLP_SIGNALS, type OtlpSignal } from './otlp-schema.js';

const GRPC_OK = 0;
const GRPC_INVALID_ARGUMENT = 3;
const GRPC_RESOURCE_EXHAUSTED = 8;
const GRPC_UNIMPLEMENTED = 12;

function frame(message: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt32BE(message.length, 1);
  return Buffer.concat([head, message]);
}

function finish(stream: ServerHttp2Stream, status: number, message?: string, body?: Buffer): void {
  if (stream.destroyed) return;
  if (!stream.headersSent) stream.respond({ [constants.HTTP2_HEADER_STATUS]: 200, 'content-type': 'application/grpc+proto' }, { waitForTrailers: true });
  stream.once('wantTrailers', () => {
    const trailers: Record<string, string> = { 'grpc-status': String(status) };
    if (message !== undefined) trailers['grpc-message'] = encodeURIComponent(message);
    stream.sendTrailers(trailers);
  });
  stream.end(body);
}

/** The messages of a request body (usually exactly one). */
function messagesOf(data: Buffer, encoding: string | undefined): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  while (at < data.length) {
    if (data.length - at < 5) throw new Error('truncated gRPC message header');
    const compressed = data[at] === 1;
    const length = data.readUInt32BE(at + 1);
    if (data.length - at - 5 < length) throw new Error('truncated gRPC message');
    const message = data.subarray(at + 5, at + 5 + length);
    out.push(compressed ? inflate(message, encoding) : message);
    at += 5 + length;
  }
  return out;
}

function onStream(stream: ServerHttp2Stream, headers: IncomingHttpHeaders, ingest: Ingest, byPath: Map<string, OtlpSignal>): void {
  stream.on('error', () => undefined);
  const signal = byPath.get(String(headers[constants.HTTP2_HEADER_PATH] ?? ''));
  if (signal === undefined || headers[constants.HTTP2_HEADER_METHOD] !== 'POST') {
    stream.resume();
    return finish(stream, GRPC_UNIMPLEMENTED, `unknown method ${String(headers[constants.HTTP2_HEADER_PATH])}`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  stream.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  });
  stream.on('end', () => {
    if (size > MAX_BODY_BYTES) return finish(stream, GRPC_RESOURCE_EXHAUSTED, 'message too large');
    let bodies: any[];
    try {
      const encoding = headers['grpc-encoding'] as string | undefined;
      bodies = messagesOf(Buffer.concat(chunks), encoding).map((m) => decodeExport(signal, m, 'protobuf'));
    } catch (error) {
      return finish(stream, GRPC_INVALID_ARGUMENT, `cannot decode the ${signal} request: ${(error as Error).message}`);
    }
    for (const body of bodies) ingest(signal, body);
    finish(stream, GRPC_OK, undefined, frame(encodeSuccess(signal, 'protobuf')));
  });
}

export function createOtlpGrpcServer(ingest: Ingest): Http2Server {
  const schema = otlpSchema();
  const byPath = new Map<string, OtlpSignal>(OTLP_SIGNALS.map((s) => [schema[s].grpcPath, s]));
  const server = createServer();
  server.on('stream', (stream, headers) => onStream(stream, headers, ingest, byPath));
  server.on('sessionError', () => undefined);
  return server;
}
