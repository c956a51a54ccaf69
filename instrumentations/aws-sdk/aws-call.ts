// One AWS SDK call: its span, from `client.send` until the SDK settles the call's promise (or calls
// its callback), with the attributes every AWS call shares (semconv.ts) and those of its service
// (services.ts). SQS and SNS operations that send, receive or delete messages are messaging
// operations: their span is the messaging helper's (instrumentations/messaging), with the same AWS
// attributes added. The error rule is the one of src/core/error-type.ts: the SDK names its errors by
// the service's error code (`NoSuchBucket`, `ResourceNotFoundException`), which becomes error.type.

import type { Attributes, Context, Histogram, Span, Tracer } from '@opentelemetry/api';
import { SpanKind } from '../../src/otel-api/enums.js';
import { trace } from '../../src/otel-api/trace.js';
import { ATTR_ERROR_TYPE, errorTypeOf, failSpan } from '../../src/core/error-type.js';
import { callbackFor, invokeFor, settleFor } from '../../src/hook/call-outcome.js';
import { Guard } from '../../src/hook/guard.js';
import type { Telemetry } from '../../src/hook/instrumentation.js';
import { ATTR_HTTP_RESPONSE_STATUS_CODE } from '../http/semconv.js';
import { DB_CLIENT_OPERATION_DURATION, DB_DURATION_BUCKETS } from '../db/semconv.js';
import { MessagingClient, type MessagingOperation } from '../messaging/messaging-client.js';
import type { Operation } from './operation.js';
import { knownRegion, resolveRegion } from './region.js';
import {
  ATTR_AWS_EXTENDED_REQUEST_ID,
  ATTR_AWS_REQUEST_ID,
  ATTR_CLOUD_REGION,
  ATTR_RPC_METHOD,
  ATTR_RPC_SERVICE,
  ATTR_RPC_SYSTEM,
  MESSAGING_SYSTEM_SNS,
  MESSAGING_SYSTEM_SQS,
  RPC_SYSTEM_AWS_API,
} from './semconv.js';
import { rulesFor, type ServiceRules } from './services.js';

type Fields = Record<string, unknown>;

/** What every call of the instrumentation shares; made once, by the first patch. */
export class AwsTelemetry {
  readonly guard = new Guard('aws-sdk');
  readonly tracer: Tracer;
  /** The propagator's fields (traceparent, tracestate, baggage, ...): what a message's attributes may carry. */
  readonly propagatorFields: readonly string[];
  readonly #telemetry: Telemetry;
  #sqs: MessagingClient | undefined;
  #sns: MessagingClient | undefined;
  #dbDuration: Histogram | undefined;

  constructor(telemetry: Telemetry) {
    this.#telemetry = telemetry;
    this.tracer = telemetry.tracer;
    this.propagatorFields = telemetry.propagator.fields();
  }

  get sqs(): MessagingClient {
    return (this.#sqs ??= new MessagingClient(this.#telemetry, { instrumentation: 'aws-sdk', system: MESSAGING_SYSTEM_SQS }));
  }

  get sns(): MessagingClient {
    return (this.#sns ??= new MessagingClient(this.#telemetry, { instrumentation: 'aws-sdk', system: MESSAGING_SYSTEM_SNS }));
  }

  /** db.client.operation.duration, made when a service that measures its calls (DynamoDB) is first called; undefined when metrics are off. */
  get dbDuration(): Histogram | undefined {
    return (this.#dbDuration ??= this.#telemetry.meter?.createHistogram(DB_CLIENT_OPERATION_DURATION, {
      unit: 's',
      description: 'Duration of database client operations.',
      advice: { explicitBucketBoundaries: [...DB_DURATION_BUCKETS] },
    }));
  }

  /** The call the app makes now, or undefined when it is not one the SDK would make. Never throws. */
  start(operation: Operation, config: { readonly region?: unknown } | undefined, input: unknown, parent: Context): AwsCall | undefined {
    try {
      const attributes: Attributes = {
        [ATTR_RPC_SYSTEM]: RPC_SYSTEM_AWS_API,
        [ATTR_RPC_SERVICE]: operation.service,
        [ATTR_RPC_METHOD]: operation.method,
      };
      const fields = input !== null && typeof input === 'object' ? (input as Fields) : undefined;
      const rules = rulesFor(operation.service);
      if (fields !== undefined) rules?.requestAttributes?.(operation.method, fields, attributes);
      const region = knownRegion(config);
      if (region !== undefined) attributes[ATTR_CLOUD_REGION] = region;

      const messaging = fields === undefined ? undefined : rules?.messaging?.(this, operation.method, fields, attributes, parent);
      const span = messaging !== undefined ? messaging.span : this.tracer.startSpan(operation.spanName, { kind: SpanKind.CLIENT, attributes }, parent);
      if (region === undefined) resolveRegion(config, span);
      const measured = rules?.metricAttributes?.(operation.method, fields);
      return new AwsCall(this, operation, rules, span, parent, messaging, measured, fields);
    } catch (error) {
      this.guard.fail(error);
      return undefined;
    }
  }
}

let shared: AwsTelemetry | undefined;

export function awsTelemetry(telemetry: Telemetry): AwsTelemetry {
  shared ??= new AwsTelemetry(telemetry);
  return shared;
}

/** What the SDK puts on every output and every service error. */
interface ResponseMetadata {
  readonly httpStatusCode?: unknown;
  readonly requestId?: unknown;
  readonly extendedRequestId?: unknown;
}

function addMetadata(span: Span, metadata: ResponseMetadata | undefined): void {
  if (metadata === undefined || metadata === null || typeof metadata !== 'object') return;
  const { httpStatusCode, requestId, extendedRequestId } = metadata;
  if (typeof httpStatusCode === 'number') span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, httpStatusCode);
  if (typeof requestId === 'string' && requestId !== '') span.setAttribute(ATTR_AWS_REQUEST_ID, requestId);
  if (typeof extendedRequestId === 'string' && extendedRequestId !== '') span.setAttribute(ATTR_AWS_EXTENDED_REQUEST_ID, extendedRequestId);
}

/** One call in flight; only its first end counts. */
export class AwsCall {
  readonly span: Span;
  /** The app's context when it called send: its callback runs there. */
  readonly parent: Context;
  /** The parent with this call's span active: the SDK's middleware and HTTP request run in it. */
  readonly context: Context;
  readonly #aws: AwsTelemetry;
  readonly #operation: Operation;
  readonly #rules: ServiceRules | undefined;
  readonly #messaging: MessagingOperation | undefined;
  /** The duration measurement's attributes, for a service that measures its calls. */
  readonly #measured: Attributes | undefined;
  readonly #startMs = performance.now();
  /** The command's input, for what a response means (the queue a ReceiveMessage read). */
  readonly #input: Fields | undefined;
  #ended = false;

  constructor(
    aws: AwsTelemetry,
    operation: Operation,
    rules: ServiceRules | undefined,
    span: Span,
    parent: Context,
    messaging: MessagingOperation | undefined,
    measured: Attributes | undefined,
    input: Fields | undefined,
  ) {
    this.#aws = aws;
    this.#input = input;
    this.#measured = measured;
    this.#operation = operation;
    this.#rules = rules;
    this.span = span;
    this.parent = parent;
    this.#messaging = messaging;
    this.context = messaging !== undefined ? messaging.context : trace.setSpan(parent, span);
  }

  /** The SDK answered with `output`. Never throws. */
  succeeded(output: unknown): void {
    if (this.#ended) return;
    this.#ended = true;
    try {
      const span = this.span;
      if (output !== null && typeof output === 'object') {
        const fields = output as Fields;
        if (span.isRecording()) addMetadata(span, fields.$metadata as ResponseMetadata | undefined);
        this.#rules?.responseAttributes?.(this.#aws, this.#operation.method, fields, span, this.#messaging, this.#input);
      }
      if (this.#messaging !== undefined) this.#messaging.end();
      else span.end();
      this.#measure(undefined);
    } catch (internal) {
      this.#aws.guard.fail(internal);
    }
  }

  /** The call failed with `error` (a service error, a network error, a throw in a middleware). Never throws. */
  failed(error: unknown): void {
    if (this.#ended) return;
    this.#ended = true;
    try {
      const span = this.span;
      if (error !== null && typeof error === 'object' && span.isRecording()) addMetadata(span, (error as Fields).$metadata as ResponseMetadata | undefined);
      if (this.#messaging !== undefined) {
        this.#messaging.end(error, true);
        return;
      }
      const type = errorTypeOf(error);
      failSpan(span, type, error);
      span.end();
      this.#measure(type);
    } catch (internal) {
      this.#aws.guard.fail(internal);
    }
  }

  /** One duration measurement, for a service that measures its calls; `errorType` when the call failed. */
  #measure(errorType: string | undefined): void {
    const measured = this.#measured;
    if (measured === undefined) return;
    if (errorType !== undefined) measured[ATTR_ERROR_TYPE] = errorType;
    this.#aws.dbDuration?.record((performance.now() - this.#startMs) / 1000, measured, this.context);
  }

  /**
   * The SDK's `send` called with the app's `this` and arguments in this call's context, so the
   * middleware and the HTTP request beneath run under its span; a synchronous throw ends the call
   * failed and goes on to the app as the very same object.
   */
  invoke(original: Function, self: unknown, args: ArrayLike<unknown>): unknown {
    return invokeFor(this, original, self, args, this.context);
  }

  /** The app's callback: ends the call first, then runs in the app's context with the same arguments. */
  wrapCallback(callback: Function): Function {
    return callbackFor(this, callback as (...args: unknown[]) => unknown, this.parent);
  }

  /** A promise of the same outcome that ends the call when the SDK's settles (the very same error object on failure). */
  settle<T>(promise: Promise<T>): Promise<T> {
    return settleFor(this, promise);
  }
}
