// What both receivers share: the recording of each request and the scripted answers, and the waits
// tests use (waitForSpans, waitForLogs, waitForMetrics, waitForRequests).

import { EventEmitter } from 'node:events';
import { flattenLogs, flattenMetrics, flattenSpans, type FlatLog, type FlatMetric, type FlatSpan } from './flatten.js';
import type { OtlpSignal } from './schema.js';

/** A scripted answer for one export call. Unset fields mean "plain success". */
export interface ScriptedResponse {
  /** gRPC status code (0 = OK). gRPC receiver only. */
  readonly grpcCode?: number;
  /** HTTP status (default 200). HTTP receiver only. */
  readonly httpStatus?: number;
  /** grpc-message, or google.rpc.Status.message in an HTTP error body. */
  readonly message?: string;
  /** gRPC: attach google.rpc.RetryInfo with this delay in grpc-status-details-bin. */
  readonly retryDelayMs?: number;
  /** HTTP: Retry-After header value. */
  readonly retryAfter?: string;
  readonly partialSuccess?: { readonly rejected: number; readonly errorMessage: string };
  /** Answer after this many ms. */
  readonly delayMs?: number;
  /** Never answer (until close()). */
  readonly hang?: boolean;
  /** HTTP: answer with these bytes instead of an OTLP body (a proxy's HTML page, junk). */
  readonly rawBody?: string | Buffer;
  /** HTTP: this Content-Type instead of the request's; '' sends none. */
  readonly contentType?: string;
}

export interface ReceivedRequest {
  readonly signal: OtlpSignal;
  readonly path: string;
  /** Lower-case header/metadata names; gRPC binary metadata as base64. */
  readonly headers: Record<string, string>;
  /** gRPC: grpc-encoding was gzip; HTTP: Content-Encoding was gzip. */
  readonly compressed: boolean;
  readonly contentType: string;
  /** The official schema's toObject() output (ids converted to hex), or undefined if decoding failed. */
  readonly body: any;
  readonly decodeError?: string;
  /** Raw request bytes after decompression. */
  readonly raw: Buffer;
  /** Date.now() when the request was complete. */
  readonly receivedAt: number;
  /** Client address:port, to tell connections apart. */
  readonly peer: string;
}

export interface TlsServerOptions {
  readonly key: string | Buffer;
  readonly cert: string | Buffer;
  /** CA to verify client certificates (mTLS). */
  readonly ca?: string | Buffer;
  readonly requireClientCert?: boolean;
}

export interface ReceiverOptions {
  readonly host?: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  readonly tls?: TlsServerOptions;
  /**
   * false: count what arrives (decoded all the same) without keeping the requests, for long load
   * runs; `received` has the counts, `requests` stays empty.
   */
  readonly keep?: boolean;
  /**
   * With keep false: the span ids of the accepted requests go into `seen`, and each one already there
   * counts in `duplicates`. Shared by the receivers of one run (a collector restarted on the same port).
   */
  readonly spanIds?: SpanIdTally;
}

/** Distinct span ids among accepted requests, across receivers (long load runs: nothing twice). */
export interface SpanIdTally {
  readonly seen: Set<string>;
  duplicates: number;
}

/** An OTLP answer that tells the client its data was taken (success or partial success). */
function isAcceptance(r: ScriptedResponse): boolean {
  return r.hang !== true && r.rawBody === undefined && r.contentType === undefined && (r.grpcCode ?? 0) === 0 && (r.httpStatus ?? 200) < 300;
}

export abstract class BaseReceiver {
  readonly requests: ReceivedRequest[] = [];
  /** The requests answered with success: what the client may take as delivered. */
  readonly accepted: ReceivedRequest[] = [];
  /** With keep false: spans, metric data points and log records received, and requests that failed to decode. */
  readonly received = { traces: 0, metrics: 0, logs: 0, undecodable: 0 };
  keep = true;
  spanIds: SpanIdTally | undefined;
  /** With keep false and spanIds: the span ids of the request just recorded, for answerFor. */
  #lastSpanIds: string[] | undefined;
  #fallback: ScriptedResponse = {};
  port = 0;
  protected readonly events = new EventEmitter();
  protected readonly script: ScriptedResponse[] = [];
  protected readonly timers = new Set<NodeJS.Timeout>();
  protected closed = false;

  /** Queues answers for the next calls, in order; afterwards calls succeed. */
  respond(...responses: ScriptedResponse[]): this {
    this.script.push(...responses);
    return this;
  }

  /** Fails the next `n` calls with the same answer. */
  failNext(n: number, response: ScriptedResponse): this {
    for (let i = 0; i < n; i++) this.script.push(response);
    return this;
  }

  /** The answer once the script is used up (a plain success unless set). */
  answerOtherwise(response: ScriptedResponse = {}): void {
    this.#fallback = response;
  }

  protected nextResponse(): ScriptedResponse {
    return this.script.shift() ?? this.#fallback;
  }

  /** The answer for `req`, just recorded; remembers the request among the accepted ones when it is a success. */
  protected answerFor(req: ReceivedRequest): ScriptedResponse {
    const r = this.nextResponse();
    if (this.keep && isAcceptance(r)) this.accepted.push(req);
    const ids = this.#lastSpanIds;
    this.#lastSpanIds = undefined;
    if (ids !== undefined && this.spanIds !== undefined && isAcceptance(r)) {
      for (const id of ids) {
        if (this.spanIds.seen.has(id)) this.spanIds.duplicates++;
        else this.spanIds.seen.add(id);
      }
    }
    return r;
  }

  /** Every span of the accepted requests, flattened. */
  acceptedSpans(): FlatSpan[] {
    const out: FlatSpan[] = [];
    for (const r of this.accepted) if (r.signal === 'traces' && r.body) out.push(...flattenSpans(r.body));
    return out;
  }

  protected record(req: ReceivedRequest): void {
    if (!this.keep) {
      if (req.body === undefined) this.received.undecodable++;
      else if (req.signal === 'traces') {
        const spans = flattenSpans(req.body);
        this.received.traces += spans.length;
        if (this.spanIds !== undefined) this.#lastSpanIds = spans.map((span) => span.spanId);
      }
      else if (req.signal === 'logs') this.received.logs += flattenLogs(req.body).length;
      else this.received.metrics += flattenMetrics(req.body).reduce((n, m) => n + m.points.length, 0);
      return;
    }
    this.requests.push(req);
    this.events.emit('request', req);
  }

  protected later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  /** Every span received so far, flattened (conventions: decode.ts). */
  spans(): FlatSpan[] {
    const out: FlatSpan[] = [];
    for (const r of this.requests) if (r.signal === 'traces' && r.body) out.push(...flattenSpans(r.body));
    return out;
  }

  /** Every metric received so far, flattened (one entry per Metric message, in arrival order). */
  metrics(): FlatMetric[] {
    const out: FlatMetric[] = [];
    for (const r of this.requests) if (r.signal === 'metrics' && r.body) out.push(...flattenMetrics(r.body));
    return out;
  }

  /**
   * Resolves with metrics() once `n` metrics arrived, or once `until(metrics())` is true; rejects after
   * `timeoutMs`.
   */
  waitForMetrics(until: number | ((metrics: FlatMetric[]) => boolean), timeoutMs = 5000): Promise<FlatMetric[]> {
    const ready = typeof until === 'number' ? (): boolean => this.metrics().length >= until : (): boolean => until(this.metrics());
    const goal = typeof until === 'number' ? `/${until} metrics` : ' metrics, predicate unmet';
    return this.#waitFor(ready, () => this.metrics(), timeoutMs, () => `${this.metrics().length}${goal}`);
  }

  /** Every log record received so far, flattened, in arrival order. */
  logs(): FlatLog[] {
    const out: FlatLog[] = [];
    for (const r of this.requests) if (r.signal === 'logs' && r.body) out.push(...flattenLogs(r.body));
    return out;
  }

  /** Resolves with logs() once `n` records arrived, or once `until(logs())` is true; rejects after `timeoutMs`. */
  waitForLogs(until: number | ((logs: FlatLog[]) => boolean), timeoutMs = 5000): Promise<FlatLog[]> {
    const ready = typeof until === 'number' ? (): boolean => this.logs().length >= until : (): boolean => until(this.logs());
    const goal = typeof until === 'number' ? `/${until} log records` : ' log records, predicate unmet';
    return this.#waitFor(ready, () => this.logs(), timeoutMs, () => `${this.logs().length}${goal}`);
  }

  /** Resolves once `n` requests arrived; rejects after `timeoutMs`. */
  waitForRequests(n: number, timeoutMs = 5000): Promise<ReceivedRequest[]> {
    return this.#waitFor(() => this.requests.length >= n, () => this.requests, timeoutMs, () => `${this.requests.length}/${n} requests`);
  }

  /** Resolves once `n` spans arrived; rejects after `timeoutMs`. */
  waitForSpans(n: number, timeoutMs = 5000): Promise<FlatSpan[]> {
    return this.#waitFor(() => this.spans().length >= n, () => this.spans(), timeoutMs, () => `${this.spans().length}/${n} spans`);
  }

  #waitFor<T>(ready: () => boolean, value: () => T, timeoutMs: number, progress: () => string): Promise<T> {
    if (ready()) return Promise.resolve(value());
    return new Promise<T>((resolve, reject) => {
      const onRequest = (): void => {
        if (!ready()) return;
        clearTimeout(timer);
        this.events.off('request', onRequest);
        resolve(value());
      };
      const timer = setTimeout(() => {
        this.events.off('request', onRequest);
        reject(new Error(`receiver: timed out after ${timeoutMs} ms with ${progress()}`));
      }, timeoutMs);
      this.events.on('request', onRequest);
    });
  }

  protected clearTimers(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  abstract get url(): string;
  abstract close(): Promise<void>;
}
