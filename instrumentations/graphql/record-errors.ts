// How a failed GraphQL step is written on its span, by the conventions' "Recording errors": an
// exception event, status Error with the message, and error.type by the one rule
// (src/core/error-type.ts). graphql wraps what a resolver threw in a GraphQLError whose originalError
// is the thrown object: that is the exception, and its class or code the error.type. graphql's own
// parse and validation messages are recorded without the document's values (error-message.ts).

import type { Span } from '@opentelemetry/api';
import { SpanStatusCode } from '../../src/otel-api/enums.js';
import { ATTR_ERROR_TYPE, errorTypeOf } from '../../src/core/error-type.js';
import { errorMessage } from '../../src/core/exception-attributes.js';
import { redactedError } from '../../src/core/redacted-error.js';
import { isGraphqlOwnError, redactGraphqlMessage } from './error-message.js';

/** A response can carry thousands of errors (one per list item): the first ones are events enough. */
export const MAX_ERROR_EVENTS = 10;

/** What was thrown behind a GraphQLError (a located error may wrap another one), else the error itself. */
export function causeOf(error: unknown): unknown {
  let cause = error;
  for (let depth = 0; depth < 4; depth++) {
    const original: unknown = cause !== null && typeof cause === 'object' ? (cause as { originalError?: unknown }).originalError : undefined;
    if (original === null || original === undefined || typeof original !== 'object') break;
    cause = original;
  }
  return cause;
}

/** What a span records of `error`: graphql's own messages without the document's values. */
function recorded(error: unknown): unknown {
  return isGraphqlOwnError(error) ? redactedError(error, redactGraphqlMessage) : error;
}

function messageOf(error: unknown): string {
  const message = (recorded(error) as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : errorMessage(error);
}

/** One exception (a throw, a rejection, a resolver's returned Error). */
export function recordException(span: Span, error: unknown): void {
  const cause = causeOf(error);
  span.recordException(recorded(cause) as Error);
  span.setAttribute(ATTR_ERROR_TYPE, errorTypeOf(cause));
  span.setStatus({ code: SpanStatusCode.ERROR, message: messageOf(error) });
}

/** GraphQL errors reported in a result or by validate(): an event each (the first few), the first one's type and message. */
export function recordGraphqlErrors(span: Span, errors: readonly unknown[]): void {
  if (errors.length === 0) return;
  const events = Math.min(errors.length, MAX_ERROR_EVENTS);
  for (let i = 0; i < events; i++) span.recordException(recorded(causeOf(errors[i])) as Error);
  const first = errors[0];
  span.setAttribute(ATTR_ERROR_TYPE, errorTypeOf(causeOf(first)));
  span.setStatus({ code: SpanStatusCode.ERROR, message: messageOf(first) });
}

/**
 * The errors of an execution result: `errors` of graphql 15/16/17 results, or of the initial result
 * of an incremental one (graphql 17's @defer/@stream). Undefined when there are none.
 */
export function resultErrors(result: unknown): readonly unknown[] | undefined {
  if (result === null || typeof result !== 'object') return undefined;
  let errors = (result as { errors?: unknown }).errors;
  if (errors === undefined) {
    const initial = (result as { initialResult?: unknown }).initialResult;
    if (initial !== null && typeof initial === 'object') errors = (initial as { errors?: unknown }).errors;
  }
  return Array.isArray(errors) && errors.length > 0 ? errors : undefined;
}
