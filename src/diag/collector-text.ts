// Text that a collector sends (an HTTP error body, a grpc-message, a partial-success message, a
// content type) is not ours, and it ends up on the app's stderr. Every transport passes it through
// collectorText() before it goes into a message: control characters escaped, so it can neither forge
// lines nor drive the terminal, and cut to a bounded length. (log.ts escapes every line it writes the
// same way; this adds the bound, so an 8 KB grpc-message is not printed whole.)

import { escapeControlCharacters } from './log.js';

/** At most this many characters of a collector's text are printed (an ellipsis says there was more). */
export const MAX_COLLECTOR_TEXT = 200;

/**
 * A collector's `text` as our diagnostics may print it: control characters escaped, and no more than
 * MAX_COLLECTOR_TEXT characters of it (escapes count; a character pair is never split), then '…'.
 * Reads only as much of a long text as it prints.
 */
export function collectorText(text: string, max: number = MAX_COLLECTOR_TEXT): string {
  let out = '';
  for (const c of text) {
    const piece = escapeControlCharacters(c);
    if (out.length + piece.length > max) return `${out}…`;
    out += piece;
  }
  return out;
}
