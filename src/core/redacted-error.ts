// An error as a span records it when its message repeats values the app sent (a database echoing a
// statement's literal, graphql quoting a query's string): the class name kept, the values in the
// message and the stack's copy of it redacted. The app's own error object is never touched.

import { errorClassName } from './exception-attributes.js';

/** Rewrites a message (and the stack's copy of it) without the values it repeats. */
export type MessageRedactor = (message: string) => string;

/** A redactor applying each [pattern, replacement] in turn. */
export function redactorOf(rules: ReadonlyArray<readonly [RegExp, string]>): MessageRedactor {
  return (message) => {
    let out = message;
    for (const [pattern, replacement] of rules) out = out.replace(pattern, replacement);
    return out;
  };
}

/**
 * What to record for `error`: the error itself when redaction changes nothing, else a plain copy of
 * its class name, message and stack with the values redacted.
 */
export function redactedError(error: unknown, redact: MessageRedactor): unknown {
  if (error === null || typeof error !== 'object') return typeof error === 'string' ? redact(error) : error;
  const { message, stack } = error as { message?: unknown; stack?: unknown };
  const redactedMessage = typeof message === 'string' ? redact(message) : message;
  const redactedStack = typeof stack === 'string' ? redact(stack) : stack;
  if (redactedMessage === message && redactedStack === stack) return error;
  return { type: errorClassName(error), message: redactedMessage, stack: redactedStack };
}
