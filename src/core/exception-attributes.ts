// The semantic conventions' exception.type, exception.message and exception.stacktrace: the one rule
// for span exception events (recordException, our handler-error events) and for log records (the
// Logs API's `exception` field and the log bridges). Works on Error objects and on the plain objects
// logging libraries serialize them to (pino: {type, message, stack}; bunyan: {name, message, stack, code}).

import type { Span } from '@opentelemetry/api';
import { SpanStatusCode } from '../otel-api/enums.js';

export const ATTR_EXCEPTION_TYPE = 'exception.type';
export const ATTR_EXCEPTION_MESSAGE = 'exception.message';
export const ATTR_EXCEPTION_STACKTRACE = 'exception.stacktrace';

interface ErrorLike {
  type?: unknown;
  name?: unknown;
  message?: unknown;
  stack?: unknown;
}

/** An Error, or a serialized one: an object with a string message or stack. */
export function isErrorLike(value: unknown): value is ErrorLike {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  if (value instanceof Error) return true;
  const e = value as ErrorLike;
  return typeof e.message === 'string' || typeof e.stack === 'string';
}

/**
 * The class name of what was thrown (the conventions: "its fully-qualified class name"): a
 * serializer's `type` for a plain object, a meaningful `name` (DOMException's 'AbortError'), else
 * the constructor's name (a subclass that does not set its own name, or sets 'error'), else the name
 * as it is.
 * A real Error's own `type` field is not its class (body-parser sets 'entity.parse.failed').
 */
export function errorClassName(value: object): string | undefined {
  const e = value as ErrorLike;
  const isError = value instanceof Error;
  if (!isError && typeof e.type === 'string' && e.type !== '') return e.type;
  const name = typeof e.name === 'string' && e.name !== '' ? e.name : undefined;
  // 'error' names no type either: pg's DatabaseError carries the protocol message's kind there.
  if (name !== undefined && name !== 'Error' && name !== 'error') return name;
  const ctor = (value as { constructor?: { name?: unknown } }).constructor;
  // A plain object's constructor says nothing about the error it describes.
  if (typeof ctor?.name === 'string' && ctor.name !== '' && (isError || ctor !== Object)) return ctor.name;
  return name;
}

/**
 * Writes exception.* for a value known to be an exception (thrown, or passed as one). Keys already
 * in `target` are kept: an app's own attributes win. A string is the message; another primitive
 * is its string form as the message.
 */
export function writeExceptionAttributes(target: Record<string, unknown>, exception: unknown): void {
  if (exception === null || typeof exception !== 'object') {
    if (target[ATTR_EXCEPTION_MESSAGE] === undefined) target[ATTR_EXCEPTION_MESSAGE] = String(exception);
    return;
  }
  const e = exception as ErrorLike;
  const type = errorClassName(exception);
  if (type !== undefined && target[ATTR_EXCEPTION_TYPE] === undefined) target[ATTR_EXCEPTION_TYPE] = type;
  if (typeof e.message === 'string' && target[ATTR_EXCEPTION_MESSAGE] === undefined) target[ATTR_EXCEPTION_MESSAGE] = e.message;
  if (typeof e.stack === 'string' && target[ATTR_EXCEPTION_STACKTRACE] === undefined) target[ATTR_EXCEPTION_STACKTRACE] = e.stack;
}

/** A span status message for what was thrown: an Error's message, else its string form. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The attributes of a span's 'exception' event, from anything that was thrown. */
export function exceptionAttributes(exception: unknown): Record<string, string> {
  const attributes: Record<string, string> = {};
  writeExceptionAttributes(attributes, exception);
  return attributes;
}

/**
 * For log bridges, which do not know whether a field holds an error: adds exception.* only when
 * `value` is error-like. Returns whether it was taken as an exception.
 */
export function addExceptionAttributes(attributes: Record<string, unknown>, value: unknown): boolean {
  if (!isErrorLike(value)) return false;
  writeExceptionAttributes(attributes, value);
  return true;
}

/** "TypeError: bad thing\n    at …" -> type and message from the first line. */
const STACK_HEAD = /^([A-Za-z_$][\w$.]*): ?([^\n]*)/;

/**
 * For records that carry only a stack string (winston flattens `logger.error('msg', err)` into
 * `stack`): type and message are read from its first line when it has the usual "Type: message" form.
 */
export function addStackAttributes(attributes: Record<string, unknown>, stack: string): void {
  if (attributes[ATTR_EXCEPTION_STACKTRACE] === undefined) attributes[ATTR_EXCEPTION_STACKTRACE] = stack;
  const head = STACK_HEAD.exec(stack);
  if (head === null) return;
  if (attributes[ATTR_EXCEPTION_TYPE] === undefined) attributes[ATTR_EXCEPTION_TYPE] = head[1];
  if (attributes[ATTR_EXCEPTION_MESSAGE] === undefined) attributes[ATTR_EXCEPTION_MESSAGE] = head[2];
}

/** `span` failed with `error`: the exception event, and an ERROR status carrying the error's message. */
export function recordFailure(span: Span, error: unknown): void {
  span.addEvent('exception', exceptionAttributes(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(error) });
}
