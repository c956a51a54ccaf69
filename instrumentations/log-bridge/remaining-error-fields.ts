// What of a serialized error a log record keeps beside exception.* (src/core/exception-attributes.ts
// writes those): the fields that are not type, name, message or stack.

/**
 * Other own fields of a serialized error (code, errno, custom ones) once exception.* carry type,
 * message and stack, or undefined when nothing is left.
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
