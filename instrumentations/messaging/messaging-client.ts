// One span per messaging operation, its metrics, and the trace context carried in messages: the
// one helper every messaging instrumentation (amqplib, kafkajs, SQS/SNS) uses, so span names and
// kinds, the parent-or-link rule for consumers, the error rule and the metrics are the same for all.
// Conventions: semantic-conventions v1.44 messaging-spans.md and messaging-metrics.md (Development).
//
// - Span name `{messaging.operation.name} {destination}`: the template, else the destination name
//   unless it is temporary or anonymous, else the operation name alone.
// - Span kind from the operation type: create and send PRODUCER (the send span's context is the
//   creation context injected into the message; CLIENT when the app injected its own), receive and
//   settle CLIENT, process CONSUMER.
// - A process span links to the message's creation context. Its parent is the ambient span when the
//   delivery runs inside one (the conventions' default); when there is none (a delivery pushed by the
//   broker's socket) and the span accounts for one message, the creation context is its parent, so
//   producer and consumer are one trace ("Message creation context as parent of Process span": MAY,
//   and instrumentations SHOULD document it: this is that place, and each README row says so).
// - Metrics: messaging.client.operation.duration (every operation but process),
//   messaging.process.duration (process), messaging.client.sent.messages (send, counted when it
//   ends), messaging.client.consumed.messages (receive and process). Temporary or anonymous
//   destination names stay off the metrics (high cardinality).
// - Errors: error.type by the one rule (src/core/error-type.ts) unless the system has its own
//   identifier, the exception recorded, status ERROR with its message.

import type { Attributes, Context, Counter, Histogram, Link, Span, SpanContext, SpanKind as ApiSpanKind, TextMapGetter, TextMapSetter, Tracer } from '@opentelemetry/api';
import { SpanKind } from '../../src/otel-api/enums.js';
import { trace } from '../../src/otel-api/trace.js';
import { validSpanContext } from '../../src/otel-api/valid-span-context.js';
import { activeContext } from '../../src/context/als-context-manager.js';
import { ROOT_CONTEXT } from '../../src/context/context.js';
import { isSuppressed } from '../../src/context/suppress.js';
import { ATTR_ERROR_TYPE, errorTypeOf, failSpan } from '../../src/core/error-type.js';
import { callbackFor, invokeFor, settleFor } from '../../src/hook/call-outcome.js';
import { Guard } from '../../src/hook/guard.js';
import { ShapeCache, type Shape } from '../../src/hook/shape-cache.js';
import type { Telemetry } from '../../src/hook/instrumentation.js';
import { settingValue } from '../../src/config/setting-value.js';
import { MESSAGING_BODY_SIZE } from './settings.js';
import { ATTR_SERVER_ADDRESS, ATTR_SERVER_PORT } from '../http/semconv.js';
import { messageHeaderGetter, messageHeaderSetter, type MessageHeaders } from './header-carrier.js';
import {
  ATTR_MESSAGING_BATCH_MESSAGE_COUNT,
  ATTR_MESSAGING_CONSUMER_GROUP_NAME,
  ATTR_MESSAGING_DESTINATION_ANONYMOUS,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_DESTINATION_PARTITION_ID,
  ATTR_MESSAGING_DESTINATION_SUBSCRIPTION_NAME,
  ATTR_MESSAGING_DESTINATION_TEMPLATE,
  ATTR_MESSAGING_DESTINATION_TEMPORARY,
  ATTR_MESSAGING_OPERATION_NAME,
  ATTR_MESSAGING_OPERATION_TYPE,
  ATTR_MESSAGING_SYSTEM,
  MESSAGING_CLIENT_CONSUMED_MESSAGES,
  MESSAGING_CLIENT_OPERATION_DURATION,
  MESSAGING_CLIENT_SENT_MESSAGES,
  MESSAGING_DURATION_BUCKETS,
  MESSAGING_PROCESS_DURATION,
  messagingSpanName,
  type MessagingOperationType,
} from './semconv.js';

/** What is fixed for one messaging system. */
export interface MessagingSystem {
  /** The instrumentation's name: said in the debug line if our own code fails. */
  readonly instrumentation: string;
  /** messaging.system: 'rabbitmq', 'kafka', 'aws_sqs', 'aws.sns'. */
  readonly system: string;
}

/** What an instrumentation knows about one operation when it starts. */
export interface MessagingOperationInfo {
  readonly type: MessagingOperationType;
  /** messaging.operation.name: the system's own name ('publish', 'send', 'ack', 'consume'). */
  readonly name: string;
  readonly destination?: string | undefined;
  readonly destinationTemplate?: string | undefined;
  /** Kept off the span name and the metrics; messaging.destination.temporary / .anonymous set. */
  readonly temporary?: boolean | undefined;
  readonly anonymous?: boolean | undefined;
  /** Batch APIs only (messaging.batch.message_count); also the count the message metrics add. */
  readonly batchSize?: number | undefined;
  readonly consumerGroup?: string | undefined;
  readonly subscription?: string | undefined;
  readonly partitionId?: string | undefined;
  readonly serverAddress?: string | undefined;
  readonly serverPort?: number | undefined;
  /**
   * The span's other attributes (message id, routing key, ...): they stay off the metrics. The object
   * is taken over: the span's common attributes are added to it, so pass a fresh one per operation.
   */
  readonly attributes?: Attributes | undefined;
  /** Send only: the app put its own creation context in the message; the span links to it and is CLIENT. */
  readonly creationContext?: SpanContext | undefined;
}

/** Starts operations for one instrumentation; made once, when its module loads. */
export class MessagingClient {
  readonly guard: Guard;
  readonly #tracer: Tracer;
  readonly #propagator: Telemetry['propagator'];
  readonly #system: string;
  readonly #propagatorFields: readonly string[];
  readonly #shapes = new ShapeCache<string | undefined, MessagingOperationInfo, OperationShape>(MEASURED_CACHE_SIZE);
  /** OTEL_NODE_MESSAGING_BODY_SIZE: the instrumentation adds messaging.message.body.size when true. */
  readonly recordBodySize: boolean;
  /** @internal */ readonly operationDuration: Histogram | undefined;
  /** @internal */ readonly processDuration: Histogram | undefined;
  /** @internal */ readonly sentMessages: Counter | undefined;
  /** @internal */ readonly consumedMessages: Counter | undefined;

  constructor(telemetry: Telemetry, system: MessagingSystem) {
    this.guard = new Guard(system.instrumentation);
    this.#tracer = telemetry.tracer;
    this.#propagator = telemetry.propagator;
    this.#propagatorFields = telemetry.propagator.fields();
    this.#system = system.system;
    this.recordBodySize = settingValue(telemetry.config, MESSAGING_BODY_SIZE);
    const meter = telemetry.meter;
    const advice = { explicitBucketBoundaries: [...MESSAGING_DURATION_BUCKETS] };
    this.operationDuration = meter?.createHistogram(MESSAGING_CLIENT_OPERATION_DURATION, {
      unit: 's',
      description: 'Duration of messaging operation initiated by a producer or consumer client.',
      advice,
    });
    this.processDuration = meter?.createHistogram(MESSAGING_PROCESS_DURATION, { unit: 's', description: 'Duration of processing operation.', advice });
    this.sentMessages = meter?.createCounter(MESSAGING_CLIENT_SENT_MESSAGES, {
      unit: '{message}',
      description: 'Number of messages producer attempted to send to the broker.',
    });
    this.consumedMessages = meter?.createCounter(MESSAGING_CLIENT_CONSUMED_MESSAGES, {
      unit: '{message}',
      description: 'Number of messages that were delivered to the application.',
    });
  }

  /**
   * A create, send, receive or settle operation the app starts now, a child of `parent`; undefined
   * when it is not ours to record (our own I/O, or this instrumentation turned itself off). Never throws.
   */
  start(info: MessagingOperationInfo, parent: Context = activeContext()): MessagingOperation | undefined {
    if (!this.guard.enabled || isSuppressed(parent)) return undefined;
    try {
      const creation = info.type === 'send' ? info.creationContext : undefined;
      const kind = creation !== undefined ? SpanKind.CLIENT : kindOf(info.type);
      return this.#begin(info, parent, kind, creation === undefined ? undefined : [{ context: creation }]);
    } catch (error) {
      this.guard.fail(error);
      return undefined;
    }
  }

  /**
   * A process operation for messages delivered to the app's handler. `creation` is the context
   * extracted from the message (extract()), for a single message; `links` the creation contexts of a
   * batch's messages. Parent: the ambient span if there is one, else the single message's creation
   * context (see the top of this file). Never throws.
   */
  startProcess(info: MessagingOperationInfo, creation: Context | undefined, ambient: Context = activeContext(), links?: Link[]): MessagingOperation | undefined {
    if (!this.guard.enabled || isSuppressed(ambient)) return undefined;
    try {
      const created = creation === undefined ? undefined : validSpanContext(creation);
      let parent = ambient;
      if (created !== undefined) {
        links = links === undefined ? [{ context: created }] : [{ context: created }, ...links];
        if (validSpanContext(ambient) === undefined) parent = creation!;
      }
      return this.#begin(info, parent, SpanKind.CONSUMER, links);
    } catch (error) {
      this.guard.fail(error);
      return undefined;
    }
  }

  /** Writes `context` (a send span's: operation.context) into the message's headers; keys already there are kept. Never throws. */
  inject<C = MessageHeaders>(context: Context, carrier: C, setter: TextMapSetter<C> = messageHeaderSetter as TextMapSetter<C>): void {
    try {
      this.#propagator.inject(context, carrier, setter);
    } catch (error) {
      this.guard.fail(error);
    }
  }

  /** The context a message carries (its creation context and baggage), on an empty root. Never throws. */
  extract<C = MessageHeaders>(carrier: C, getter: TextMapGetter<C> = messageHeaderGetter as TextMapGetter<C>): Context {
    try {
      return this.#propagator.extract(ROOT_CONTEXT, carrier, getter);
    } catch (error) {
      this.guard.fail(error);
      return ROOT_CONTEXT;
    }
  }

  /**
   * The creation context the app itself put into headers before we inject ours, if any: cheap when
   * the headers hold none of the propagator's fields. Never throws.
   */
  creationContextIn(headers: MessageHeaders | undefined): SpanContext | undefined {
    if (headers === undefined || headers === null) return undefined;
    const fields = this.#propagatorFields;
    for (let i = 0; i < fields.length; i++) {
      if (headers[fields[i]!] !== undefined) return validSpanContext(this.extract(headers));
    }
    return undefined;
  }

  #begin(info: MessagingOperationInfo, parent: Context, kind: ApiSpanKind, links: Link[] | undefined): MessagingOperation {
    const shape = this.#shapeOf(info);
    // The span's attributes: the instrumentation's own object, taken over (the span copies it).
    const attributes: Attributes = info.attributes ?? {};
    attributes[ATTR_MESSAGING_SYSTEM] = this.#system;
    attributes[ATTR_MESSAGING_OPERATION_NAME] = info.name;
    attributes[ATTR_MESSAGING_OPERATION_TYPE] = info.type;
    if (info.destination !== undefined) attributes[ATTR_MESSAGING_DESTINATION_NAME] = info.destination;
    if (info.destinationTemplate !== undefined) attributes[ATTR_MESSAGING_DESTINATION_TEMPLATE] = info.destinationTemplate;
    if (info.temporary === true) attributes[ATTR_MESSAGING_DESTINATION_TEMPORARY] = true;
    if (info.anonymous === true) attributes[ATTR_MESSAGING_DESTINATION_ANONYMOUS] = true;
    if (info.consumerGroup !== undefined) attributes[ATTR_MESSAGING_CONSUMER_GROUP_NAME] = info.consumerGroup;
    if (info.subscription !== undefined) attributes[ATTR_MESSAGING_DESTINATION_SUBSCRIPTION_NAME] = info.subscription;
    if (info.partitionId !== undefined) attributes[ATTR_MESSAGING_DESTINATION_PARTITION_ID] = info.partitionId;
    if (info.batchSize !== undefined) attributes[ATTR_MESSAGING_BATCH_MESSAGE_COUNT] = info.batchSize;
    if (info.serverAddress !== undefined) attributes[ATTR_SERVER_ADDRESS] = info.serverAddress;
    if (info.serverPort !== undefined) attributes[ATTR_SERVER_PORT] = info.serverPort;
    const span = this.#tracer.startSpan(shape.name, { kind, attributes, links }, parent);
    return new MessagingOperation(this, info.type, span, parent, shape.measured, info.batchSize ?? 1);
  }

  /**
   * The span name and the metric attributes of an operation, made once per distinct set (shape-cache.ts):
   * the instruments then find the set's series by identity, without hashing. Temporary and anonymous
   * names stay off both (each is new); past MEASURED_CACHE_SIZE distinct sets, they are made per call.
   */
  #shapeOf(info: MessagingOperationInfo): OperationShape {
    const destination = measuredDestination(info);
    let shape = this.#shapes.find(destination, info);
    if (shape !== undefined) return shape;
    const made: Attributes = {
      [ATTR_MESSAGING_SYSTEM]: this.#system,
      [ATTR_MESSAGING_OPERATION_NAME]: info.name,
      [ATTR_MESSAGING_OPERATION_TYPE]: info.type,
    };
    if (destination !== undefined) made[ATTR_MESSAGING_DESTINATION_NAME] = destination;
    if (info.destinationTemplate !== undefined) made[ATTR_MESSAGING_DESTINATION_TEMPLATE] = info.destinationTemplate;
    if (info.consumerGroup !== undefined) made[ATTR_MESSAGING_CONSUMER_GROUP_NAME] = info.consumerGroup;
    if (info.subscription !== undefined) made[ATTR_MESSAGING_DESTINATION_SUBSCRIPTION_NAME] = info.subscription;
    if (info.partitionId !== undefined) made[ATTR_MESSAGING_DESTINATION_PARTITION_ID] = info.partitionId;
    if (info.serverAddress !== undefined) made[ATTR_SERVER_ADDRESS] = info.serverAddress;
    if (info.serverPort !== undefined) made[ATTR_SERVER_PORT] = info.serverPort;
    shape = new OperationShape(info, messagingSpanName(info.name, info.destinationTemplate ?? destination), Object.freeze(made));
    this.#shapes.add(destination, shape);
    return shape;
  }
}

/** The destination name the metrics and the span name take: none when it is temporary or anonymous. */
function measuredDestination(info: MessagingOperationInfo): string | undefined {
  return info.temporary === true || info.anonymous === true ? undefined : info.destination;
}

/** What every operation with the same name, destination and server shares: the span name, the metric attributes (frozen). */
class OperationShape implements Shape<MessagingOperationInfo> {
  readonly type: MessagingOperationType;
  readonly operationName: string;
  readonly destination: string | undefined;
  readonly destinationTemplate: string | undefined;
  readonly serverAddress: string | undefined;
  readonly serverPort: number | undefined;
  readonly consumerGroup: string | undefined;
  readonly subscription: string | undefined;
  readonly partitionId: string | undefined;

  constructor(info: MessagingOperationInfo, readonly name: string, readonly measured: Attributes) {
    this.type = info.type;
    this.operationName = info.name;
    this.destination = measuredDestination(info);
    this.destinationTemplate = info.destinationTemplate;
    this.serverAddress = info.serverAddress;
    this.serverPort = info.serverPort;
    this.consumerGroup = info.consumerGroup;
    this.subscription = info.subscription;
    this.partitionId = info.partitionId;
  }

  matches(info: MessagingOperationInfo): boolean {
    return (
      info.name === this.operationName &&
      info.type === this.type &&
      measuredDestination(info) === this.destination &&
      info.serverAddress === this.serverAddress &&
      info.serverPort === this.serverPort &&
      info.destinationTemplate === this.destinationTemplate &&
      info.consumerGroup === this.consumerGroup &&
      info.subscription === this.subscription &&
      info.partitionId === this.partitionId
    );
  }
}

/** Distinct metric attribute sets kept per instrumentation (destinations times operations, as a rule few). */
const MEASURED_CACHE_SIZE = 512;

function kindOf(type: MessagingOperationType): ApiSpanKind {
  switch (type) {
    case 'create':
    case 'send':
      return SpanKind.PRODUCER;
    case 'process':
      return SpanKind.CONSUMER;
    default:
      return SpanKind.CLIENT;
  }
}

/** One operation in flight. end() may be called more than once; only the first counts. */
export class MessagingOperation {
  readonly span: Span;
  /** The context the operation was started in: the app's callbacks for a send or receive run there. */
  readonly parent: Context;
  readonly type: MessagingOperationType;
  /** How many messages the message counters add at the end: the batch size, or 1; setMessages() changes it. */
  messages: number;
  readonly #client: MessagingClient;
  readonly #measured: Attributes;
  readonly #startMs = performance.now();
  #context: Context | undefined = undefined;
  #ended = false;

  constructor(client: MessagingClient, type: MessagingOperationType, span: Span, parent: Context, measured: Attributes, messages: number) {
    this.#client = client;
    this.type = type;
    this.span = span;
    this.parent = parent;
    this.#measured = measured;
    this.messages = messages;
  }

  /** The parent with this operation's span active: inject it into the message, run the handler in it. */
  get context(): Context {
    return (this.#context ??= trace.setSpan(this.parent, this.span));
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** A receive that got nothing: 0 messages consumed. */
  setMessages(count: number): void {
    this.messages = count;
  }

  /**
   * The operation is over, failed when `error` is given. `errorType` is the system's own identifier
   * for the failure when it has one (an AMQP reply code name, a Kafka error code); otherwise the one
   * rule of src/core/error-type.ts. Never throws.
   */
  end(error?: unknown, failed: boolean = error !== undefined, errorType?: string): void {
    if (this.#ended) return;
    this.#ended = true;
    const client = this.#client;
    try {
      let measured = this.#measured;
      const span = this.span;
      if (failed) {
        const type = errorType ?? errorTypeOf(error);
        measured = { ...measured, [ATTR_ERROR_TYPE]: type };
        failSpan(span, type, error);
      }
      span.end();
      const seconds = (performance.now() - this.#startMs) / 1000;
      // Exemplars from the operation's own span, not whatever context the library ends it in.
      const context = this.context;
      switch (this.type) {
        case 'process':
          client.processDuration?.record(seconds, measured, context);
          client.consumedMessages?.add(this.messages, measured, context);
          break;
        case 'receive':
          client.operationDuration?.record(seconds, measured, context);
          if (this.messages !== 0 || failed) client.consumedMessages?.add(this.messages, measured, context);
          break;
        case 'send':
          client.operationDuration?.record(seconds, measured, context);
          client.sentMessages?.add(this.messages, measured, context);
          break;
        default:
          client.operationDuration?.record(seconds, measured, context);
      }
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

  /** The library's `original` called as the app called it; a synchronous throw ends this operation failed (call-outcome.ts). */
  invoke(original: Function, self: unknown, args: ArrayLike<unknown>): unknown {
    return invokeFor(this, original, self, args);
  }

  /** The app's node-style callback, ending this operation first, then called in `context` (the parent unless told). */
  wrapCallback<F extends (...args: any[]) => unknown>(callback: F, context: Context = this.parent): F {
    return callbackFor(this, callback, context);
  }

  /** A promise of the same outcome that ends this operation when the library's settles (call-outcome.ts). */
  settle<T>(promise: Promise<T>): Promise<T> {
    return settleFor(this, promise);
  }
}
