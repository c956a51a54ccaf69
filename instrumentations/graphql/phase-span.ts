// Spans of the steps before execution: parsing the document and validating it against the schema
// (names from the GraphQL working group's draft, see semconv.ts). They are siblings of the operation
// span, which only starts with execute. A parse that throws, or a validation that reports errors, is
// recorded on its own span: a request that never reaches execution still says why.
//
// Only inside a trace: graphql also parses and validates schema text at startup (buildSchema, gql
// tags), and those would each start a trace of their own.

import type { Span, SpanOptions } from '@opentelemetry/api';
import { SpanKind } from '../../src/otel-api/enums.js';
import { validSpanContext } from '../../src/otel-api/valid-span-context.js';
import { activeContext } from '../../src/context/als-context-manager.js';
import { activeTracing, guard } from './graphql-tracing.js';
import { recordException, recordGraphqlErrors } from './record-errors.js';

const PHASE_OPTIONS: SpanOptions = Object.freeze({ kind: SpanKind.INTERNAL });

/** Starts a parse or validate span under the current span; undefined outside any trace. Never throws. */
export function startPhase(name: string): Span | undefined {
  const tracing = activeTracing();
  if (tracing === undefined) return undefined;
  try {
    const parent = activeContext();
    if (validSpanContext(parent) === undefined) return undefined;
    return tracing.tracer.startSpan(name, PHASE_OPTIONS, parent);
  } catch (internal) {
    guard.fail(internal);
    return undefined;
  }
}

/** The step threw `error` (a syntax error from parse). Never throws. */
export function failPhase(span: Span, error: unknown): void {
  try {
    recordException(span, error);
    span.end();
  } catch (internal) {
    guard.fail(internal);
  }
}

/** The step returned; for validate, `errors` is what it returned (the validation errors). Never throws. */
export function endPhase(span: Span, errors?: unknown): void {
  try {
    if (Array.isArray(errors)) recordGraphqlErrors(span, errors);
    span.end();
  } catch (internal) {
    guard.fail(internal);
  }
}
