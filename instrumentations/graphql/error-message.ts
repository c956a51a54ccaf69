// graphql's own parse and validation messages quote values of the document: 'Syntax Error: Unexpected
// String "secret".', 'Int cannot represent non-integer value: "abc"', 'Expected value of type "Int!",
// found "x".' Those become ? in what a span records, as literals do in graphql.document. Type and field
// names in quotes ('Cannot query field "email" on type "User".') stay. A resolver's own error is the
// app's and is recorded as it is.

import { redactorOf, type MessageRedactor } from '../../src/core/redacted-error.js';

export const redactGraphqlMessage: MessageRedactor = redactorOf([
  // A token as the lexer describes it.
  [/\b(String|BlockString|Int|Float) "(?:[^"\\]|\\[\s\S])*"/g, '$1 "?"'],
  // A value a scalar or enum refused, to the end of the line.
  [/( value): .*$/gm, '$1: ?'],
  // A literal of the wrong type.
  [/(Expected value of type "[^"]*", found) .*$/gm, '$1 ?'],
]);

/** graphql's own error (a GraphQLError wrapping nothing the app threw). */
export function isGraphqlOwnError(error: unknown): boolean {
  if (error === null || typeof error !== 'object') return false;
  const { name, originalError } = error as { name?: unknown; originalError?: unknown };
  return (name === 'GraphQLError' || name === 'GraphQLSyntaxError') && (originalError === undefined || originalError === null);
}
