// One CLIENT span per database or cache operation, and its db.client.operation.duration measurement:
// the one helper every database instrumentation uses, so the attributes, the span name, the error rule
// and the metric are the same for pg, mysql2, redis and the rest.
//
// The span is started when the app makes the call, in the app's active context: a query that then waits
// for a pooled connection still belongs to the request that issued it. Its end comes from the driver's
// own completion (a callback, an event, a settled promise). The duration is recorded for every
// operation, traced or not; a call outside any trace starts no trace unless OTEL_NODE_DB_ROOT_SPANS is on.

import type { Attributes, Context, Histogram, Span, Tracer } from '@opentelemetry/api';
import { SpanKind, SpanStatusCode } from '../../src/otel-api/enums.js';
import { trace } from '../../src/otel-api/trace.js';
import { validSpanContext } from '../../src/otel-api/valid-span-context.js';
import { activeContext } from '../../src/context/als-context-manager.js';
import { isSuppressed } from '../../src/context/suppress.js';
import { settingValue } from '../../src/config/setting-value.js';
import { ATTR_ERROR_TYPE, errorTypeOf } from '../../src/core/error-type.js';
import { errorMessage } from '../../src/core/exception-attributes.js';
import { callbackFor, invokeFor, settleFor } from '../../src/hook/call-outcome.js';
import { Guard } from '../../src/hook/guard.js';
import { ShapeCache, type Shape } from '../../src/hook/shape-cache.js';
import type { Telemetry } from '../../src/hook/instrumentation.js';
import { ATTR_SERVER_ADDRESS, ATTR_SERVER_PORT } from '../http/semconv.js';
import {
  ATTR_DB_COLLECTION_NAME,
  ATTR_DB_NAMESPACE,
  ATTR_DB_OPERATION_BATCH_SIZE,
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_QUERY_PARAMETER_PREFIX,
  ATTR_DB_QUERY_SUMMARY,
  ATTR_DB_QUERY_TEXT,
  ATTR_DB_RESPONSE_STATUS_CODE,
  ATTR_DB_STORED_PROCEDURE_NAME,
  ATTR_DB_SYSTEM_NAME,
  DB_CLIENT_OPERATION_DURATION,
  DB_DURATION_BUCKETS,
  dbSpanName,
} from './semconv.js';
import { DB_CAPTURE_PARAMETERS, DB_ROOT_SPANS } from './settings.js';
import { redactedError, type MessageRedactor } from '../../src/core/redacted-error.js';

/** What an instrumentation knows about one operation when the app calls it. */
export interface DbOperation {
  readonly operationName?: string | undefined;
  readonly collectionName?: string | undefined;
  readonly storedProcedureName?: string | undefined;
  /** Parameterized text as given, or text already sanitized (sql-sanitize.ts): never raw literals. */
  readonly queryText?: string | undefined;
  readonly querySummary?: string | undefined;
  readonly namespace?: string | undefined;
  /** Operations in a batch (pipeline, multi): 2 or more. */
  readonly batchSize?: number | undefined;
  readonly serverAddress?: string | undefined;
  readonly serverPort?: number | undefined;
  /** Recorded only when OTEL_NODE_DB_CAPTURE_PARAMETERS is on. */
  readonly parameters?: readonly unknown[] | undefined;
}

/** What is fixed for one database system. */
export interface DbSystem {
  /** The instrumentation's name: said in the debug line if our own code fails. */
  readonly instrumentation: string;
  /** db.system.name. */
  readonly system: string;
  /** server.port is left out when it is this one. */
  readonly defaultPort?: number | undefined;
  /** Redis: the database index is no target, so it never names the span. */
  readonly namespaceNamesSpan?: boolean | undefined;
  /** db.response.status_code of a failure (SQLSTATE, MySQL error number, Redis error prefix, MongoDB code). */
  statusCodeOf?(error: unknown): string | undefined;
  /** Takes out of an error message the statement's values the server repeats there (error-message.ts). */
  readonly redactMessage?: MessageRedactor | undefined;
}

/** The batch size the span records: 2 or more, else none. */
function recordedBatchSize(operation: DbOperation): number | undefined {
  return operation.batchSize !== undefined && operation.batchSize >= 2 ? operation.batchSize : undefined;
}

/** What every call of one operation shares, whatever its text: the span's name, the metric's attributes (frozen). */
class OperationBase implements Shape<DbOperation> {
  readonly namespace: string | undefined;
  readonly operationName: string | undefined;
  readonly collectionName: string | undefined;
  readonly storedProcedureName: string | undefined;
  readonly querySummary: string | undefined;
  readonly serverAddress: string | undefined;
  readonly serverPort: number | undefined;

  constructor(operation: DbOperation, readonly name: string, readonly measured: Attributes) {
    this.namespace = operation.namespace;
    this.operationName = operation.operationName;
    this.collectionName = operation.collectionName;
    this.storedProcedureName = operation.storedProcedureName;
    this.querySummary = operation.querySummary;
    this.serverAddress = operation.serverAddress;
    this.serverPort = operation.serverPort;
  }

  matches(operation: DbOperation): boolean {
    return (
      operation.querySummary === this.querySummary &&
      operation.operationName === this.operationName &&
      operation.collectionName === this.collectionName &&
      operation.namespace === this.namespace &&
      operation.serverAddress === this.serverAddress &&
      operation.serverPort === this.serverPort &&
      operation.storedProcedureName === this.storedProcedureName
    );
  }
}

/** ... and, for one text and batch size, the span's start attributes (frozen). */
class OperationShape implements Shape<DbOperation> {
  readonly queryText: string | undefined;
  readonly batchSize: number | undefined;

  constructor(operation: DbOperation, readonly base: OperationBase, readonly attributes: Attributes) {
    this.queryText = operation.queryText;
    this.batchSize = recordedBatchSize(operation);
  }

  matches(operation: DbOperation): boolean {
    return operation.queryText === this.queryText && recordedBatchSize(operation) === this.batchSize && this.base.matches(operation);
  }
}

/**
 * Distinct operations kept per instrumentation: as many as the SQL texts cached (sql-query.ts), which
 * they mostly are; a Redis app's keys vary more, and past this its commands are described per call
 * (their name and metric attributes still found, as long as the operations without the text fit).
 */
const SHAPES_KEPT = 1000;

/** Starts operations for one instrumentation; made once, when its module loads. */
export class DbClient {
  readonly guard: Guard;
  readonly #tracer: Tracer;
  readonly #duration: Histogram | undefined;
  readonly #system: DbSystem;
  readonly #rootSpans: boolean;
  readonly #captureParameters: boolean;
  readonly #shapes = new ShapeCache<string | undefined, DbOperation, OperationShape>(SHAPES_KEPT);
  readonly #bases = new ShapeCache<string | undefined, DbOperation, OperationBase>(SHAPES_KEPT);

  constructor(telemetry: Telemetry, system: DbSystem) {
    this.guard = new Guard(system.instrumentation);
    this.#tracer = telemetry.tracer;
    this.#system = system;
    this.#rootSpans = settingValue(telemetry.config, DB_ROOT_SPANS);
    this.#captureParameters = settingValue(telemetry.config, DB_CAPTURE_PARAMETERS);
    this.#duration = telemetry.meter?.createHistogram(DB_CLIENT_OPERATION_DURATION, {
      unit: 's',
      description: 'Duration of database client operations.',
      advice: { explicitBucketBoundaries: [...DB_DURATION_BUCKETS] },
    });
  }

  /**
   * The operation the app is starting now, or undefined when it is not ours to record (our own I/O, or
   * this instrumentation turned itself off). Never throws. `startedAt` (a performance.now() reading) is
   * when the app made the call, for a driver whose single command point comes after a wait for a pooled
   * connection: the conventions' span covers the call as the caller saw it.
   */
  start(operation: DbOperation, parent: Context = activeContext(), startedAt?: number): DbCall | undefined {
    if (!this.guard.enabled || isSuppressed(parent)) return undefined;
    try {
      const shape = this.#shapeOf(operation);
      let span: Span | undefined;
      if (this.#rootSpans || validSpanContext(parent) !== undefined) {
        let attributes = shape.attributes;
        if (this.#captureParameters && operation.parameters !== undefined) {
          attributes = { ...attributes };
          addParameters(attributes, operation.parameters);
        }
        span = this.#tracer.startSpan(shape.base.name, { kind: SpanKind.CLIENT, attributes, startTime: startedAt }, parent);
      }
      return new DbCall(this, span, parent, shape.base.measured, startedAt);
    } catch (error) {
      this.guard.fail(error);
      return undefined;
    }
  }

  /** The operation's span name and attribute sets: made once per distinct operation (an app repeats a few), else per call. */
  #shapeOf(operation: DbOperation): OperationShape {
    const text = operation.queryText;
    let shape = this.#shapes.find(text, operation);
    if (shape !== undefined) return shape;
    const nameKey = operation.querySummary ?? operation.operationName;
    let base = this.#bases.find(nameKey, operation);
    if (base === undefined) {
      base = this.#makeBase(operation);
      this.#bases.add(nameKey, base);
    }
    // The span's set: the metric's, then the span's own.
    const attributes: Attributes = { ...base.measured };
    if (text !== undefined) attributes[ATTR_DB_QUERY_TEXT] = text;
    const batchSize = recordedBatchSize(operation);
    if (batchSize !== undefined) attributes[ATTR_DB_OPERATION_BATCH_SIZE] = batchSize;
    shape = new OperationShape(operation, base, this.#shapes.frozenSet(attributes));
    this.#shapes.add(text, shape);
    return shape;
  }

  #makeBase(operation: DbOperation): OperationBase {
    const system = this.#system;
    const measured: Attributes = { [ATTR_DB_SYSTEM_NAME]: system.system };
    if (operation.namespace !== undefined) measured[ATTR_DB_NAMESPACE] = operation.namespace;
    if (operation.operationName !== undefined) measured[ATTR_DB_OPERATION_NAME] = operation.operationName;
    if (operation.collectionName !== undefined) measured[ATTR_DB_COLLECTION_NAME] = operation.collectionName;
    if (operation.storedProcedureName !== undefined) measured[ATTR_DB_STORED_PROCEDURE_NAME] = operation.storedProcedureName;
    if (operation.querySummary !== undefined) measured[ATTR_DB_QUERY_SUMMARY] = operation.querySummary;
    addServer(measured, operation.serverAddress, operation.serverPort, system.defaultPort);
    const name = dbSpanName({
      system: system.system,
      querySummary: operation.querySummary,
      operationName: operation.operationName,
      collectionName: operation.collectionName,
      storedProcedureName: operation.storedProcedureName,
      namespace: system.namespaceNamesSpan === false ? undefined : operation.namespace,
      serverAddress: operation.serverAddress,
      serverPort: operation.serverPort,
    });
    return new OperationBase(operation, name, Object.freeze(measured));
  }

  /** OTEL_NODE_DB_CAPTURE_PARAMETERS: an instrumentation may skip collecting DbOperation.parameters when false. */
  get capturesParameters(): boolean {
    return this.#captureParameters;
  }

  /** @internal server.port is left out when it is the system's default one. */
  get defaultPort(): number | undefined {
    return this.#system.defaultPort;
  }

  /** @internal DbCall's end: one measurement per operation. */
  record(seconds: number, attributes: Attributes, context: Context): void {
    this.#duration?.record(seconds, attributes, context);
  }

  /** @internal The error as the span records it: values the server repeated in its message redacted. */
  recordedError(error: unknown): unknown {
    const redact = this.#system.redactMessage;
    return redact === undefined ? error : redactedError(error, redact);
  }

  /** @internal */
  statusCodeOf(error: unknown): string | undefined {
    const code = this.#system.statusCodeOf?.(error);
    return code === undefined || code === '' ? undefined : code;
  }
}

/** server.address, and server.port unless it is the system's default. */
function addServer(attributes: Attributes, address: string | undefined, port: number | undefined, defaultPort: number | undefined): void {
  if (address !== undefined) attributes[ATTR_SERVER_ADDRESS] = address;
  if (port !== undefined && port !== defaultPort) attributes[ATTR_SERVER_PORT] = port;
}

function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : errorMessage(error);
}

function addParameters(attributes: Attributes, parameters: readonly unknown[]): void {
  for (let i = 0; i < parameters.length; i++) {
    const value = parameters[i];
    attributes[`${ATTR_DB_QUERY_PARAMETER_PREFIX}${i}`] = value === null || value === undefined ? String(value) : typeof value === 'object' ? safeJson(value) : String(value);
  }
}

function safeJson(value: object): string {
  try {
    return value instanceof Date ? value.toISOString() : Buffer.isBuffer(value) ? `<${value.length} bytes>` : JSON.stringify(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** One operation in flight. end() may be called more than once; only the first counts. */
export class DbCall {
  /** Undefined when the call starts no trace (outside any trace, root spans off). */
  readonly span: Span | undefined;
  /** The app's context when it made the call: callbacks run in it, as they would have without pools. */
  readonly parent: Context;
  readonly #client: DbClient;
  #measured: Attributes;
  readonly #startMs: number;
  #ended = false;

  constructor(client: DbClient, span: Span | undefined, parent: Context, measured: Attributes, startedAt: number = performance.now()) {
    this.#client = client;
    this.span = span;
    this.parent = parent;
    this.#measured = measured;
    this.#startMs = startedAt;
  }

  /**
   * The server, when the driver picks it only after the call started (a cluster's node, a pool's
   * connection): on the span and the duration measurement, by the same rule as at start. Never throws.
   */
  setServer(address: string | undefined, port: number | undefined): void {
    try {
      const attributes: Attributes = {};
      addServer(attributes, address, port, this.#client.defaultPort);
      this.span?.setAttributes(attributes);
      // The operation's set is shared (frozen): this call's is its own.
      this.#measured = { ...this.#measured, ...attributes };
    } catch (internal) {
      this.#client.guard.fail(internal);
    }
  }

  /** The context with this operation's span active: for driver work that should nest under it. */
  get context(): Context {
    return this.span === undefined ? this.parent : trace.setSpan(this.parent, this.span);
  }

  /**
   * The operation is over, failed when `error` is given: error.type is the driver's status code when it
   * has one (db.response.status_code), else the error's type (src/core/error-type.ts); the exception is
   * recorded on the span. Never throws.
   */
  end(error?: unknown, failed: boolean = error !== undefined): void {
    if (this.#ended) return;
    this.#ended = true;
    const client = this.#client;
    try {
      let measured = this.#measured;
      const span = this.span;
      if (failed) {
        const status = client.statusCodeOf(error);
        const type = status ?? errorTypeOf(error);
        // The operation's set is shared (frozen): a failure's is its own.
        measured = status === undefined ? { ...measured, [ATTR_ERROR_TYPE]: type } : { ...measured, [ATTR_ERROR_TYPE]: type, [ATTR_DB_RESPONSE_STATUS_CODE]: status };
        if (span !== undefined) {
          const recorded = client.recordedError(error);
          span.recordException(recorded as Error);
          span.setAttribute(ATTR_ERROR_TYPE, type);
          if (status !== undefined) span.setAttribute(ATTR_DB_RESPONSE_STATUS_CODE, status);
          span.setStatus({ code: SpanStatusCode.ERROR, message: messageOf(recorded) });
        }
      }
      span?.end();
      // The exemplar is the operation's own span: at its end the active context may be another request's
      // (a pooled connection's callbacks run in whatever context its socket was made in).
      client.record((performance.now() - this.#startMs) / 1000, measured, this.context);
    } catch (internal) {
      client.guard.fail(internal);
    }
  }

  succeeded(): void {
    this.end();
  }

  failed(error: unknown): void {
    this.end(error, true);
  }

  /** The driver's `original` called as the app called it; a synchronous throw ends this operation failed (call-outcome.ts). */
  invoke(original: Function, self: unknown, args: ArrayLike<unknown>): unknown {
    return invokeFor(this, original, self, args);
  }

  /** The app's callback, ending this operation first, then called in the app's context (call-outcome.ts). */
  wrapCallback<F extends (...args: any[]) => unknown>(callback: F): F {
    return callbackFor(this, callback, this.parent);
  }

  /** A promise of the same outcome that ends this operation when the driver's settles (call-outcome.ts). */
  settle<T>(promise: Promise<T>): Promise<T> {
    return settleFor(this, promise);
  }
}
