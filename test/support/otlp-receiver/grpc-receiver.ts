// A real gRPC OTLP peer on @grpc/grpc-js: records each Export call, decoded with the official schema,
// and answers as scripted (status codes, RetryInfo, partial success, delays, hangs).

import * as grpc from '@grpc/grpc-js';
import { BaseReceiver, type ReceiverOptions } from './base-receiver.js';
import { decodeProtobuf } from './decode.js';
import { encodeRpcStatus, TYPES, type OtlpSignal } from './schema.js';

function findIncomingEncoding(call: any): string | undefined {
  for (let c = call, i = 0; c !== undefined && c !== null && i < 10; c = c.nextCall, i++) {
    if (typeof c.incomingEncoding === 'string') return c.incomingEncoding;
  }
  return undefined;
}

const ENCODING_KEY = 'x-test-receiver-grpc-encoding';

/** Copies the call's grpc-encoding (grpc-js strips it from metadata) into a metadata key we can read. */
const encodingInterceptor: grpc.ServerInterceptor = (_desc, call) => {
  const encoding = findIncomingEncoding(call) ?? 'unknown';
  return new grpc.ServerInterceptingCall(call, {
    start: (next) =>
      next({
        onReceiveMetadata: (md, nxt) => {
          md.set(ENCODING_KEY, encoding);
          nxt(md);
        },
      }),
  });
};

export class GrpcReceiver extends BaseReceiver {
  readonly #server: grpc.Server;
  readonly #host: string;
  readonly #tls: boolean;
  readonly #hanging = new Set<() => void>();

  private constructor(host: string, tls: boolean) {
    super();
    this.#host = host;
    this.#tls = tls;
    this.#server = new grpc.Server({ interceptors: [encodingInterceptor] });
    for (const signal of Object.keys(TYPES) as OtlpSignal[]) {
      const path = TYPES[signal].grpcPath;
      const identity = (b: Buffer): Buffer => b;
      const definition: grpc.ServiceDefinition = {
        Export: {
          path,
          requestStream: false,
          responseStream: false,
          requestSerialize: identity,
          requestDeserialize: identity,
          responseSerialize: identity,
          responseDeserialize: identity,
        },
      };
      this.#server.addService(definition, {
        Export: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) =>
          this.#handle(signal, path, call, callback),
      });
    }
  }

  static async start(opts: ReceiverOptions = {}): Promise<GrpcReceiver> {
    const host = opts.host ?? '127.0.0.1';
    const receiver = new GrpcReceiver(host, opts.tls !== undefined);
    receiver.keep = opts.keep ?? true;
    receiver.spanIds = opts.spanIds;
    const creds =
      opts.tls === undefined
        ? grpc.ServerCredentials.createInsecure()
        : grpc.ServerCredentials.createSsl(
            opts.tls.ca === undefined ? null : Buffer.from(opts.tls.ca),
            [{ private_key: Buffer.from(opts.tls.key), cert_chain: Buffer.from(opts.tls.cert) }],
            opts.tls.requireClientCert ?? false,
          );
    receiver.port = await new Promise<number>((resolve, reject) => {
      receiver.#server.bindAsync(`${host}:${opts.port ?? 0}`, creds, (err, port) => (err ? reject(err) : resolve(port)));
    });
    return receiver;
  }

  get url(): string {
    return `${this.#tls ? 'https' : 'http'}://${this.#host}:${this.port}`;
  }

  #handle(signal: OtlpSignal, path: string, call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>): void {
    const headers: Record<string, string> = {};
    const map = call.metadata.getMap();
    for (const key of Object.keys(map)) {
      const v = map[key];
      headers[key] = Buffer.isBuffer(v) ? v.toString('base64') : String(v);
    }
    const encoding = headers[ENCODING_KEY];
    delete headers[ENCODING_KEY];
    let body: any;
    let decodeError: string | undefined;
    try {
      body = decodeProtobuf(signal, call.request);
    } catch (err) {
      decodeError = (err as Error).message;
    }
    const req = {
      signal,
      path,
      headers,
      compressed: encoding === 'gzip',
      contentType: 'application/grpc',
      body,
      decodeError,
      raw: call.request,
      receivedAt: Date.now(),
      peer: call.getPeer(),
    };
    this.record(req);

    const r = this.answerFor(req);
    const answer = (): void => {
      const code = r.grpcCode ?? 0;
      if (code === 0) {
        const type = TYPES[signal].response;
        const msg = r.partialSuccess
          ? { partialSuccess: { [TYPES[signal].rejectedKey]: r.partialSuccess.rejected, errorMessage: r.partialSuccess.errorMessage } }
          : {};
        callback(null, Buffer.from(type.encode(type.fromObject(msg)).finish()));
        return;
      }
      const metadata = new grpc.Metadata();
      if (r.retryDelayMs !== undefined) {
        metadata.set('grpc-status-details-bin', encodeRpcStatus(code, r.message ?? '', r.retryDelayMs));
      }
      callback({ name: 'Error', message: r.message ?? '', code, details: r.message ?? '', metadata } as grpc.ServiceError, null);
    };
    if (r.hang) {
      this.#hanging.add(answer);
      return;
    }
    if (r.delayMs !== undefined) this.later(r.delayMs, answer);
    else answer();
  }

  /**
   * Stops at once, cutting calls in flight: a batch recorded here may then lose its answer, and a
   * client that retries it (as OTLP says it should) delivers it twice. `drain` stops as a collector
   * restarting on SIGTERM does: no new calls, the ones in flight answered first.
   */
  async close(opts: { drain?: boolean } = {}): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.clearTimers();
    this.#hanging.clear();
    if (opts.drain) {
      const drained = await new Promise<boolean>((resolve) => {
        const bound = setTimeout(() => resolve(false), 5000);
        this.#server.tryShutdown(() => { clearTimeout(bound); resolve(true); });
      });
      if (drained) return;
    }
    this.#server.forceShutdown();
  }
}

export function startGrpcReceiver(opts?: ReceiverOptions): Promise<GrpcReceiver> {
  return GrpcReceiver.start(opts);
}
