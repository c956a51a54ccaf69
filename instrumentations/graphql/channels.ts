// graphql 17 publishes TracingChannels (graphql/diagnostics.js) for each step: graphql:parse,
// graphql:validate, graphql:execute, graphql:subscribe and graphql:resolve; its CommonJS and ESM builds
// publish on the same channels, so nothing of graphql 17 is patched. Spans start and end here as for
// graphql 15 and 16 (operation-span.ts, phase-span.ts, resolver-span.ts).
//
// The operation and resolver spans must be current while graphql runs, so that the resolvers' own
// calls are their children: their start channels get a bound store, which diagnostics_channel runs
// the traced call in (`store.run(transform(message), call)`): our context manager's own store.
//
// A subscriber that throws would reach the app as an uncaught exception (diagnostics_channel reports
// it so), and a transform that throws likewise: every handler here catches all and turns the
// instrumentation off instead. graphql:resolve is subscribed only with resolver spans on: a
// subscriber makes graphql build a message and trace every field.

import * as diagnosticsChannel from 'node:diagnostics_channel';
import type { Context, Span } from '@opentelemetry/api';
import { trace } from '../../src/otel-api/trace.js';
import { activeContext, bindContextToChannel } from '../../src/context/als-context-manager.js';
import { activeTracing, guard, type GraphqlTracing } from './graphql-tracing.js';
import { startOperation, type OperationRun } from './operation-span.js';
import { endPhase, startPhase } from './phase-span.js';
import { recordException } from './record-errors.js';
import { endResolverSpan, isIntrospection, startResolverSpan, type PathSegments } from './resolver-span.js';
import { PARSE_SPAN_NAME, VALIDATE_SPAN_NAME } from './semconv.js';

type Message = Record<string | symbol, unknown>;
type Handler = (message: Message) => void;
type TracingChannel = diagnosticsChannel.TracingChannel<object, object>;

const RUN = Symbol('otel-instrument.graphql.operation');
const SPAN = Symbol('otel-instrument.graphql.span');

/** Held here: a channel nobody references may be collected with its subscribers (Node 20). */
const held: TracingChannel[] = [];


/** A start transform: the context the traced call runs in; the caller's own when we add nothing. */
function guardedTransform(transform: (message: Message, parent: Context) => Context): (message: unknown) => Context {
  return (message) => {
    const parent = activeContext();
    if (!guard.enabled) return parent;
    try {
      return transform(message as Message, parent);
    } catch (internal) {
      guard.fail(internal);
      return parent;
    }
  };
}

/** traceSync and traceMixed set `result` or `error` before `end` when the call finished synchronously. */
function settled(message: Message): boolean {
  return 'error' in message || 'result' in message;
}

// Parse and validate: synchronous (traceSync).

function phaseStart(spanName: string): Handler {
  return (message) => {
    const span = startPhase(spanName);
    if (span !== undefined) message[SPAN] = span;
  };
}

function onPhaseError(message: Message): void {
  const span = message[SPAN] as Span | undefined;
  if (span !== undefined) recordException(span, message.error);
}

function onParseEnd(message: Message): void {
  const span = message[SPAN] as Span | undefined;
  if (span !== undefined) endPhase(span);
}

function onValidateEnd(message: Message): void {
  const span = message[SPAN] as Span | undefined;
  if (span !== undefined) endPhase(span, 'error' in message ? undefined : message.result);
}

// Execute and subscribe: a result or a promise of one (traceMixed).

function startOperationOf(message: Message, parent: Context): Context {
  // operationName is graphql's: the requested name, else the one of the document's only operation.
  const run = startOperation(message.document, message.operationName, parent);
  if (run === undefined) return parent;
  message[RUN] = run;
  return run.context;
}

function finishOperation(message: Message): void {
  const run = message[RUN] as OperationRun | undefined;
  if (run === undefined) return;
  if ('error' in message) run.fail(message.error);
  else run.finish(message.result);
}

function onOperationEnd(message: Message): void {
  if (settled(message)) finishOperation(message);
}

// Resolve: one message per field resolution, with resolver spans on.

/** `users.0.name` (graphql's fieldPath) as segments: list indices are the all-digit ones (names never start with a digit). */
function pathOf(fieldPath: string): PathSegments {
  const segments: (string | number)[] = fieldPath.split('.');
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as string;
    const code = segment.charCodeAt(0);
    if (code >= 48 && code <= 57) segments[i] = Number(segment);
  }
  return segments;
}

function resolverTransform(tracing: GraphqlTracing): (message: Message, parent: Context) => Context {
  return (message, parent) => {
    if (tracing.resolverSpans === 'nontrivial' && message.isDefaultResolver === true) return parent;
    const parentType = String(message.parentType);
    const fieldName = String(message.fieldName);
    if (isIntrospection(parentType, fieldName)) return parent;
    const field = { parentType, fieldName, selectionName: String(message.alias) };
    const span = startResolverSpan(tracing, field, pathOf(String(message.fieldPath)), parent);
    if (span === undefined) return parent;
    message[SPAN] = span;
    return trace.setSpan(parent, span);
  };
}

function finishResolver(message: Message): void {
  const span = message[SPAN] as Span | undefined;
  if (span === undefined) return;
  const failed = 'error' in message;
  endResolverSpan(span, failed ? message.error : message.result, failed);
}

function onResolverEnd(message: Message): void {
  if (settled(message)) finishResolver(message);
}

function tracingChannel(name: string): TracingChannel {
  const channel = diagnosticsChannel.tracingChannel<object, object>(name);
  held.push(channel);
  return channel;
}

let subscribed = false;

/** Subscribes once per process, when graphql 17 is first loaded. */
export function subscribeGraphqlChannels(): void {
  if (subscribed) return;
  subscribed = true;
  const tracing = activeTracing();
  if (tracing === undefined || typeof diagnosticsChannel.tracingChannel !== 'function') return;

  const parse = tracingChannel('graphql:parse');
  parse.start.subscribe(guard.subscriber(phaseStart(PARSE_SPAN_NAME)));
  parse.error.subscribe(guard.subscriber(onPhaseError));
  parse.end.subscribe(guard.subscriber(onParseEnd));

  const validate = tracingChannel('graphql:validate');
  validate.start.subscribe(guard.subscriber(phaseStart(VALIDATE_SPAN_NAME)));
  validate.error.subscribe(guard.subscriber(onPhaseError));
  validate.end.subscribe(guard.subscriber(onValidateEnd));

  for (const name of ['graphql:execute', 'graphql:subscribe']) {
    const operation = tracingChannel(name);
    bindContextToChannel(operation.start, guardedTransform(startOperationOf));
    operation.end.subscribe(guard.subscriber(onOperationEnd));
    operation.asyncEnd.subscribe(guard.subscriber(finishOperation));
  }

  if (tracing.resolverSpans !== 'none') {
    const resolve = tracingChannel('graphql:resolve');
    bindContextToChannel(resolve.start, guardedTransform(resolverTransform(tracing)));
    resolve.end.subscribe(guard.subscriber(onResolverEnd));
    resolve.asyncEnd.subscribe(guard.subscriber(finishResolver));
  }
}
