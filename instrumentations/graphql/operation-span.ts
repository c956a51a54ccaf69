// The operation span (the conventions' span.graphql.server, v1.44.0, Development): one per execute,
// executeSync or subscribe call, made current while graphql runs the operation so the resolvers'
// own calls (http, databases) are its children.
//
// Name: `{graphql.operation.type}`, or `GraphQL Operation` when the document names no operation to
// run; `{type} {name}` only with OTEL_NODE_GRAPHQL_OPERATION_NAME_IN_SPAN_NAME, as the conventions
// advise (the name is the client's, of unbounded cardinality), and never a name the document lacks.
//
// Kind: the conventions say SERVER, for "an incoming operation on a GraphQL server". When the
// operation runs inside a span of this process (the http SERVER span of the request that carried it),
// that span already is the server side of the remote call; a second SERVER span for the same request
// would be counted as a second incoming request by backends that derive request rates from SERVER
// spans, so there the operation span is INTERNAL. With no parent, or a remote one (a transport we do
// not instrument), it is the server span itself: SERVER.
//
// Errors: graphql reports execution errors in the result (`errors`), not by throwing; each is
// recorded (record-errors.ts). A throw or rejection (an invalid schema) is recorded too and goes on
// to the app as the very same object.

import type { Attributes, Context, Span } from '@opentelemetry/api';
import { SpanKind } from '../../src/otel-api/enums.js';
import { trace } from '../../src/otel-api/trace.js';
import { validSpanContext } from '../../src/otel-api/valid-span-context.js';
import { activeContext } from '../../src/context/als-context-manager.js';
import { isSuppressed } from '../../src/context/suppress.js';
import { findOperation, isDocument } from './ast.js';
import { activeTracing, guard } from './graphql-tracing.js';
import { recordException, recordGraphqlErrors, resultErrors } from './record-errors.js';
import { sanitizedDocument } from './sanitized-document.js';
import { ATTR_GRAPHQL_DOCUMENT, ATTR_GRAPHQL_OPERATION_NAME, ATTR_GRAPHQL_OPERATION_TYPE, UNKNOWN_OPERATION_SPAN_NAME } from './semconv.js';
import { isThenable } from '../../src/hook/call-outcome.js';

/** One operation in flight. Its methods never throw. */
export class OperationRun {
  readonly span: Span;
  /** The caller's context with this operation's span current. */
  readonly context: Context;
  #ended = false;

  constructor(span: Span, context: Context) {
    this.span = span;
    this.context = context;
  }

  /** graphql answered with `result` (errors in it are the operation's errors). */
  finish(result: unknown): void {
    if (this.#ended) return;
    this.#ended = true;
    try {
      const errors = resultErrors(result);
      if (errors !== undefined) recordGraphqlErrors(this.span, errors);
      this.span.end();
    } catch (internal) {
      guard.fail(internal);
    }
  }

  /** graphql threw or rejected with `error`. */
  fail(error: unknown): void {
    if (this.#ended) return;
    this.#ended = true;
    try {
      recordException(this.span, error);
      this.span.end();
    } catch (internal) {
      guard.fail(internal);
    }
  }

  /**
   * What execute returned, handed back to the app: a plain result as it is (ended now); for a
   * promise, one of the same outcome that ends the span when it settles. The app gets that one in
   * place of graphql's (attaching to graphql's promise without returning ours would mark a rejection
   * as handled); it rejects with the very same error.
   */
  complete(result: unknown): unknown {
    if (!isThenable(result)) {
      this.finish(result);
      return result;
    }
    return result.then(
      (value) => {
        this.finish(value);
        return value;
      },
      (error: unknown) => {
        this.fail(error);
        throw error;
      },
    );
  }
}

/**
 * Starts the span of the operation `operationName` of `document` (graphql's rule picks the only one
 * when no name is given), in `parent`. Undefined when it is not ours to trace. Never throws.
 */
export function startOperation(document: unknown, operationName: unknown, parent: Context = activeContext()): OperationRun | undefined {
  const tracing = activeTracing();
  if (tracing === undefined || isSuppressed(parent)) return undefined;
  try {
    const operation = findOperation(document, operationName);
    const type = typeof operation?.operation === 'string' ? operation.operation : undefined;
    const name = operation?.name?.value;
    const attributes: Attributes = {};
    let spanName = UNKNOWN_OPERATION_SPAN_NAME;
    if (type !== undefined) {
      attributes[ATTR_GRAPHQL_OPERATION_TYPE] = type;
      spanName = type;
    }
    if (typeof name === 'string' && name !== '') {
      attributes[ATTR_GRAPHQL_OPERATION_NAME] = name;
      if (tracing.operationNameInSpanName && type !== undefined) spanName = `${type} ${name}`;
    }
    const parentSpan = validSpanContext(parent);
    const kind = parentSpan !== undefined && parentSpan.isRemote !== true ? SpanKind.INTERNAL : SpanKind.SERVER;
    const span = tracing.tracer.startSpan(spanName, { kind, attributes }, parent);
    if (tracing.captureDocument && isDocument(document) && span.isRecording()) span.setAttribute(ATTR_GRAPHQL_DOCUMENT, sanitizedDocument(document));
    return new OperationRun(span, trace.setSpan(parent, span));
  } catch (internal) {
    guard.fail(internal);
    return undefined;
  }
}
