// A log library's record fields -> log record attributes. Values are passed on as they are: the
// Logs API takes AnyValue (nested maps and arrays allowed) and the SDK converts app values
// defensively (cycles, depth, functions, limits).

export type Attributes = Record<string, unknown>;

/**
 * Copies the own enumerable string-keyed fields of `fields` into `attributes`, except the keys in
 * `skip` (the library's own bookkeeping), `bodyKey` and `exceptionKey` (fields the record carries
 * as its body and as exception.*; their names are configurable in some libraries) and undefined values.
 */
export function copyFields(attributes: Attributes, fields: object, skip: ReadonlySet<string>, bodyKey?: string, exceptionKey?: string): void {
  const keys = Object.keys(fields);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (skip.has(key) || key === bodyKey || key === exceptionKey) continue;
    let value: unknown;
    try {
      value = (fields as Record<string, unknown>)[key];
    } catch {
      continue; // a throwing getter is the app's business, not a reason to turn ourselves off
    }
    if (value !== undefined) attributes[key] = value;
  }
}

/** ESC [ … final byte: colour codes a library's format may have put into the message. */
const ANSI_ESCAPE = /\u001b\[[0-9;]*[A-Za-z]/g;

export function stripAnsi(text: string): string {
  return text.includes('\u001b') ? text.replace(ANSI_ESCAPE, '') : text;
}
