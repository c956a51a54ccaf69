// An HTTP/2 proxy in front of a real gRPC receiver that can end connections with GOAWAY, the way a
// collector behind a load balancer does when it restarts or rebalances. Per incoming stream, in order:
//  - 'refuse': GOAWAY naming an earlier stream as the last processed, and this stream refused
//              (REFUSED_STREAM): the request was never handled, the client should send it again;
//  - 'after':  the stream is forwarded and answered, then GOAWAY naming it as the last, and the
//              connection closes (graceful drain): the next export needs a new connection;
//  - 'pass':   forwarded (the default once the plan is used up).

import * as http2 from 'node:http2';
import type { AddressInfo } from 'node:net';

export type GoawayAction = 'refuse' | 'after' | 'pass';

const { NGHTTP2_NO_ERROR, NGHTTP2_REFUSED_STREAM } = http2.constants;

export class GoawayProxy {
  readonly #server: http2.Http2Server;
  readonly #upstream: http2.ClientHttp2Session;
  readonly #plan: GoawayAction[];
  readonly #sessions = new Set<http2.ServerHttp2Session>();
  /** The action taken for each stream, in arrival order. */
  readonly actions: GoawayAction[] = [];
  /** Connections the proxy accepted. */
  connections = 0;
  port = 0;

  private constructor(targetUrl: string, plan: GoawayAction[]) {
    this.#plan = [...plan];
    this.#upstream = http2.connect(targetUrl);
    this.#upstream.on('error', () => undefined);
    this.#server = http2.createServer();
    this.#server.on('session', (session) => {
      this.connections++;
      this.#sessions.add(session);
      session.on('close', () => this.#sessions.delete(session));
      session.on('error', () => undefined);
    });
    this.#server.on('stream', (stream, headers) => this.#onStream(stream, headers));
  }

  static async start(targetUrl: string, plan: GoawayAction[]): Promise<GoawayProxy> {
    const proxy = new GoawayProxy(targetUrl, plan);
    await new Promise<void>((resolve) => proxy.#server.listen(0, '127.0.0.1', resolve));
    proxy.port = (proxy.#server.address() as AddressInfo).port;
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  #onStream(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders): void {
    const action = this.#plan.shift() ?? 'pass';
    this.actions.push(action);
    stream.on('error', () => undefined);
    const session = stream.session!;
    if (action === 'refuse') {
      session.goaway(NGHTTP2_NO_ERROR, Math.max(0, (stream.id ?? 0) - 2));
      stream.close(NGHTTP2_REFUSED_STREAM);
      session.close();
      return;
    }
    this.#forward(stream, headers, () => {
      if (action !== 'after') return;
      session.goaway(NGHTTP2_NO_ERROR, stream.id ?? 0);
      session.close();
    });
  }

  /** Forwards one gRPC call to the receiver and its answer back; `answered` runs once the answer is sent. */
  #forward(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders, answered: () => void): void {
    const request: http2.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(headers)) {
      if (!name.startsWith(':') || name === ':path' || name === ':method') request[name] = value;
    }
    const up = this.#upstream.request(request);
    up.on('error', () => stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR));
    stream.pipe(up);
    let trailers: http2.OutgoingHttpHeaders = {};
    up.on('response', (response) => {
      const out: http2.OutgoingHttpHeaders = {};
      for (const [name, value] of Object.entries(response)) if (!name.startsWith(':') || name === ':status') out[name] = value;
      const trailersOnly = response['grpc-status'] !== undefined;
      stream.respond(out, trailersOnly ? { endStream: true } : { waitForTrailers: true });
      if (trailersOnly) answered();
    });
    up.on('trailers', (received) => (trailers = { ...received }));
    stream.on('wantTrailers', () => {
      stream.sendTrailers(trailers);
      answered();
    });
    up.on('data', (chunk: Buffer) => stream.write(chunk));
    up.on('end', () => {
      if (!stream.headersSent) return;
      stream.end();
    });
  }

  async close(): Promise<void> {
    for (const session of this.#sessions) session.destroy();
    this.#upstream.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
