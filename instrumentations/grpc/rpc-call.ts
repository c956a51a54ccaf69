// One gRPC call, client or server side: its span and its call-duration measurement, ended once, by
// the status the call ended with. The one place the error rule of grpc.md is applied: rpc.status_code
// always; for a code that is an error on that side, error.type is the code's name, the span's status
// is ERROR with the status details as its description (the code is not repeated there), and the
// exception that caused it, where there is one, is recorded on the span. A call that ends without
// any status (a synchronous throw, or the process leaving mid-call) gets the exception's type, or
// 'aborted', as error.type and no rpc.status_code.

import type { Attributes, Context, Histogram, Span, Tracer } from '@opentelemetry/api';
import { SpanStatusCode } from '../../src/otel-api/enums.js';
import { trace } from '../../src/otel-api/trace.js';
import { atExit } from '../../src/exit/app-exit-callbacks.js';
import { ATTR_ERROR_TYPE, ERROR_TYPE_ABORTED, errorTypeOf, failSpan } from '../../src/core/error-type.js';
import { Guard } from '../../src/hook/guard.js';
import type { Telemetry } from '../../src/hook/instrumentation.js';
import { OpenEntry, OpenList } from '../../src/hook/open-list.js';
import { settingValue } from '../../src/config/setting-value.js';
import { ATTR_NETWORK_PEER_ADDRESS, ATTR_NETWORK_PEER_PORT } from '../http/semconv.js';
import { KnownMethods } from './method.js';
import {
  ATTR_RPC_STATUS_CODE,
  isClientError,
  isServerError,
  RPC_CLIENT_CALL_DURATION,
  RPC_DURATION_BUCKETS,
  RPC_SERVER_CALL_DURATION,
  statusName,
} from './semconv.js';
import { GRPC_KNOWN_METHODS } from './settings.js';
import { parsePeer } from './target.js';

/** A client call object (grpc-js's ClientUnaryCall and streams): network.peer.* come from it at the end. */
export interface PeerSource {
  getPeer(): string;
}

/** What every call of the instrumentation shares; made once, by the first patch. */
export class GrpcTelemetry {
  readonly guard = new Guard('grpc');
  readonly tracer: Tracer;
  readonly propagator: Telemetry['propagator'];
  readonly knownMethods: KnownMethods;
  readonly clientDuration: Histogram | undefined;
  readonly serverDuration: Histogram | undefined;

  constructor(telemetry: Telemetry) {
    this.tracer = telemetry.tracer;
    this.propagator = telemetry.propagator;
    this.knownMethods = new KnownMethods(settingValue(telemetry.config, GRPC_KNOWN_METHODS));
    const advice = { explicitBucketBoundaries: [...RPC_DURATION_BUCKETS] };
    this.clientDuration = telemetry.meter?.createHistogram(RPC_CLIENT_CALL_DURATION, {
      unit: 's',
      description: 'Measures the duration of an outgoing Remote Procedure Call (RPC).',
      advice,
    });
    this.serverDuration = telemetry.meter?.createHistogram(RPC_SERVER_CALL_DURATION, {
      unit: 's',
      description: 'Measures the duration of an incoming Remote Procedure Call (RPC).',
      advice,
    });
  }
}

let shared: GrpcTelemetry | undefined;

export function grpcTelemetry(telemetry: Telemetry): GrpcTelemetry {
  shared ??= new GrpcTelemetry(telemetry);
  return shared;
}

/**
 * The metric attributes of one method (and, on the client, one server), one frozen object per
 * outcome, made once: the histogram then finds each outcome's series by identity, without hashing.
 */
export class MetricSite {
  readonly #base: Attributes;
  readonly #byCode: (Attributes | undefined)[] = [];
  readonly #byErrorType = new Map<string, Attributes>();

  constructor(base: Attributes) {
    this.#base = base;
  }

  /** rpc.status_code, and error.type when the code is an error on this side. */
  forStatus(code: number, name: string, failed: boolean): Attributes {
    const known = Number.isInteger(code) && code >= 0 && code < 32;
    let attributes = known ? this.#byCode[code] : undefined;
    if (attributes === undefined) {
      attributes = Object.freeze(failed ? { ...this.#base, [ATTR_RPC_STATUS_CODE]: name, [ATTR_ERROR_TYPE]: name } : { ...this.#base, [ATTR_RPC_STATUS_CODE]: name });
      if (known) this.#byCode[code] = attributes;
    }
    return attributes;
  }

  /** error.type alone: the call failed without a status. */
  forErrorType(type: string): Attributes {
    let attributes = this.#byErrorType.get(type);
    if (attributes === undefined) {
      attributes = Object.freeze({ ...this.#base, [ATTR_ERROR_TYPE]: type });
      // Error types are class names and codes, few; a flood of them is not kept.
      if (this.#byErrorType.size < 64) this.#byErrorType.set(type, attributes);
    }
    return attributes;
  }
}

// Calls whose span is open: at exit, their status will never come.
const inFlight = new OpenList<RpcCall>();
atExit(() => {
  inFlight.forEach((call) => call.endWithoutStatus(undefined));
});

export class RpcCall extends OpenEntry {
  readonly span: Span;
  /** The context the app's code for this call runs in: the caller's (client), the span's (server). */
  readonly context: Context;
  /** Where the call's outcome is measured. */
  readonly site: MetricSite;
  readonly isServer: boolean;
  readonly #rpc: GrpcTelemetry;
  readonly #startMs = performance.now();
  /** The exception behind a failure, when the app or grpc-js gave one. */
  error: unknown = undefined;
  /** The client call object, once grpc-js returned it. */
  peerSource: PeerSource | undefined = undefined;
  ended = false;

  constructor(rpc: GrpcTelemetry, span: Span, context: Context, site: MetricSite, isServer: boolean) {
    super();
    this.#rpc = rpc;
    this.span = span;
    this.context = context;
    this.site = site;
    this.isServer = isServer;
    inFlight.add(this);
  }

  /** The call ended with this status. Never throws. */
  end(code: number, details: unknown): void {
    if (this.ended) return;
    this.ended = true;
    inFlight.delete(this);
    try {
      const name = statusName(code);
      const failed = this.isServer ? isServerError(code) : isClientError(code);
      const span = this.span;
      if (span.isRecording()) {
        span.setAttribute(ATTR_RPC_STATUS_CODE, name);
        const address = this.peerSource === undefined ? undefined : parsePeer(this.peerSource.getPeer());
        if (address !== undefined) {
          span.setAttribute(ATTR_NETWORK_PEER_ADDRESS, address.address);
          if (address.port !== undefined) span.setAttribute(ATTR_NETWORK_PEER_PORT, address.port);
        }
        if (failed) {
          span.setAttribute(ATTR_ERROR_TYPE, name);
          if (this.error !== undefined) span.recordException(this.error as Error);
          span.setStatus(typeof details === 'string' && details !== '' ? { code: SpanStatusCode.ERROR, message: details } : { code: SpanStatusCode.ERROR });
        }
      }
      this.#finish(this.site.forStatus(code, name, failed));
    } catch (internal) {
      this.#rpc.guard.fail(internal);
    }
  }

  /** The call failed without a status: a synchronous throw (`error`), or cut off at exit. Never throws. */
  endWithoutStatus(error: unknown): void {
    if (this.ended) return;
    this.ended = true;
    inFlight.delete(this);
    try {
      const type = error === undefined ? ERROR_TYPE_ABORTED : errorTypeOf(error);
      const span = this.span;
      failSpan(span, type, error);
      this.#finish(this.site.forErrorType(type));
    } catch (internal) {
      this.#rpc.guard.fail(internal);
    }
  }

  #finish(measured: Attributes): void {
    this.span.end();
    const histogram = this.isServer ? this.#rpc.serverDuration : this.#rpc.clientDuration;
    // The exemplar is the call's span (a client call's own context is the caller's).
    histogram?.record((performance.now() - this.#startMs) / 1000, measured, this.isServer ? this.context : trace.setSpan(this.context, this.span));
  }
}
