// OTLP/HTTP (otlp/docs/specification.md "OTLP/HTTP"): POST /v1/traces|metrics|logs with a protobuf or JSON
// body, gzip or not. Answers as a collector does: 200 with an empty Export*ServiceResponse in the request's
// encoding, 400 for a body that does not decode, 415 for another content type, 404 for another path.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { decodeExport, encodeSuccess, encodingOf, inflate, UnsupportedEncoding } from './decode-request.js';
import { OTLP_SIGNALS, type OtlpSignal } from './otlp-schema.js';

/** Larger bodies are refused (413): far above any SDK's batch, small enough to protect the viewer. */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

export type Ingest = (signal: OtlpSignal, body: any) => void;

const BY_PATH = new Map<string, OtlpSignal>(OTLP_SIGNALS.map((s) => [`/v1/${s}`, s]));

function answer(res: ServerResponse, status: number, contentType: string, body: Buffer | string): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function readBody(req: IncomingMessage, done: (body: Buffer | undefined) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  });
  req.on('end', () => done(size <= MAX_BODY_BYTES ? Buffer.concat(chunks) : undefined));
  req.on('error', () => undefined);
}

export function handleOtlpHttp(req: IncomingMessage, res: ServerResponse, ingest: Ingest): void {
  const signal = BY_PATH.get((req.url ?? '').split('?')[0]!);
  if (signal === undefined) return answer(res, 404, 'text/plain', 'not found\n');
  // The browser SDK exports across origins: the receiver allows it, as a collector configured for it does.
  // (Only the receiver: the page's API, which hands telemetry out, stays same-origin.)
  res.setHeader('access-control-allow-origin', '*');
  if (req.method === 'OPTIONS') {
    res.writeHead(204, { 'access-control-allow-methods': 'POST', 'access-control-allow-headers': 'content-type, content-encoding', 'access-control-max-age': '600' });
    return void res.end();
  }
  if (req.method !== 'POST') {
    res.setHeader('allow', 'POST');
    return answer(res, 405, 'text/plain', 'method not allowed\n');
  }
  const encoding = encodingOf(req.headers['content-type']);
  if (encoding === undefined) return answer(res, 415, 'text/plain', 'use application/x-protobuf or application/json\n');
  readBody(req, (raw) => {
    if (raw === undefined) return answer(res, 413, 'text/plain', 'body too large\n');
    let body: any;
    try {
      body = decodeExport(signal, inflate(raw, req.headers['content-encoding']), encoding);
    } catch (error) {
      const status = error instanceof UnsupportedEncoding ? 415 : 400;
      // The spec's error body is a google.rpc.Status; its message is what a person reads, so JSON keeps it plain.
      return answer(res, status, 'application/json', JSON.stringify({ code: 3, message: `cannot decode the ${signal} request: ${(error as Error).message}` }));
    }
    ingest(signal, body);
    answer(res, 200, encoding === 'json' ? 'application/json' : 'application/x-protobuf', encodeSuccess(signal, encoding));
  });
}

export function createOtlpHttpServer(ingest: Ingest): Server {
  return createServer((req, res) => handleOtlpHttp(req, res, ingest));
}
