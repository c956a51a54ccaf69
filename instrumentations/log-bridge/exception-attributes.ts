// An error carried by a log record -> the semantic conventions' exception.type,
// exception.message and exception.stacktrace attributes. Works on Error objects and on the plain
// objects logging libraries serialize them to (pino: {type, message, stack}; bunyan:
// {name, message, stack, code, signal}).

export const EXCEPTION_TYPE = 'exception.type';
export const EXCEPTION_MESSAGE = 'exception.message';
export const EXCEPTION_STACKTRACE = 'exception.stacktrace';

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

/** The class name: a serializer's `type`, a meaningful `name`, else the constructor's name. */
function typeOf(e: ErrorLike): string | undefined {
  if (typeof e.type === 'string' && e.type !== '') return e.type;
  const name = typeof e.name === 'string' && e.name !== '' ? e.name : undefined;
  if (name !== undefined && name !== 'Error') return name;
  if (e instanceof Error) {
    const ctor = (e as { constructor?: { name?: unknown } }).constructor;
    if (typeof ctor?.name === 'string' && ctor.name !== '') return ctor.name;
  }
  return name;
}

/**
 * Adds exception.* for `value` when it is error-like. Attributes already present win (the app may
 * set its own). Returns whether `value` was taken as an exception.
 */
export function addExceptionAttributes(attributes: Record<string, unknown>, value: unknown): boolean {
  if (!isErrorLike(value)) return false;
  const type = typeOf(value);
  if (type !== undefined && attributes[EXCEPTION_TYPE] === undefined) attributes[EXCEPTION_TYPE] = type;
  if (typeof value.message === 'string' && attributes[EXCEPTION_MESSAGE] === undefined) attributes[EXCEPTION_MESSAGE] = value.message;
  if (typeof value.stack === 'string' && attributes[EXCEPTION_STACKTRACE] === undefined) attributes[EXCEPTION_STACKTRACE] = value.stack;
  return true;
}

/** "TypeError: bad thing\n    at …" -> type and message from the first line. */
const STACK_HEAD = /^([A-Za-z_$][\w$.]*): ?([^\n]*)/;

/**
 * For records that carry only a stack string (winston flattens `logger.error('msg', err)` into
 * `stack`): type and message are read from its first line when it has the usual "Type: message" form.
 */
export function addStackAttributes(attributes: Record<string, unknown>, stack: string): void {
  if (attributes[EXCEPTION_STACKTRACE] === undefined) attributes[EXCEPTION_STACKTRACE] = stack;
  const head = STACK_HEAD.exec(stack);
  if (head === null) return;
  if (attributes[EXCEPTION_TYPE] === undefined) attributes[EXCEPTION_TYPE] = head[1];
  if (attributes[EXCEPTION_MESSAGE] === undefined) attributes[EXCEPTION_MESSAGE] = head[2];
}

/**
 * What of a serialized error is left once exception.* carry type, message and stack: other own
 * fields (code, errno, custom ones), or undefined when nothing is left.
 */
export function remainingErrorFields(value: object): Record<string, unknown> | undefined {
  let rest: Record<string, unknown> | undefined;
  for (const key of Object.keys(value)) {
    if (key === 'type' || key === 'name' || key === 'message' || key === 'stack') continue;
    const v = (value as Record<string, unknown>)[key];
    if (v === undefined) continue;
    (rest ??= {})[key] = v;
  }
  return rest;
}
