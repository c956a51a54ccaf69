// One linear scan of SQL text that gives both db.query.text (sanitized when the text is not
// parameterized) and db.query.summary (sql-summary.ts is fed the tokens). No regular expressions:
// every loop moves forward, so the cost is linear in the scanned prefix, whatever the input.
//
// Sanitization follows "Sanitization of db.query.text" (semantic-conventions
// docs/db/database-spans.md): "Sanitization SHOULD replace all literals with a placeholder value.
// Such literals include, but are not limited to, String, Numeric, Date and Time, Boolean,
// Interval, Binary, and Hexadecimal literals. The placeholder value SHOULD be `?`"; "IN-clauses
// MAY be collapsed during sanitization, e.g. from `IN (?, ?, ?, ?)` to `IN (?)`"; "instrumentation
// MAY truncate the sanitized value for performance considerations".
//
// What becomes `?`: '...' strings (with '' escapes; with backslash escapes in E'...' and in
// MySQL), N'..', B'..', X'..', U&'..' and MySQL _charset'..' as a whole, $$...$$ and $tag$...$tag$,
// numbers (integers, decimals, exponents, 0x/0b/0o, 1_000; a sign stays as written: `-?`),
// TRUE/FALSE, and in MySQL "..." strings. Date, time and interval literals are typed strings
// (DATE '2024-01-01' -> DATE ?, INTERVAL '1 day' -> INTERVAL ?). NULL stays: it is not a value.
// Comments (--, #, /* */ nested) are dropped whole, so no literal hides in them. An unterminated
// string, quoted identifier, dollar quote or comment swallows the rest of the scanned text as one
// `?` (or nothing, for a comment). "identifiers" and `identifiers` stay, as do placeholders
// ($1, ?, ?1, :name, @name). Runs of white space become one space.

import { SummaryBuilder } from './sql-summary.js';

/** Which quoting rules apply. 'postgresql' is also right for SQLite and ANSI SQL text. */
export type SqlDialect = 'postgresql' | 'mysql' | 'sqlite';

/** The bound on db.query.text, in UTF-16 code units (see sql-query.ts for why 4096). */
export const SQL_TEXT_MAX = 4096;
/**
 * How much of the given text is looked at: twice the output bound, because sanitizing shrinks text
 * (literals, comments, indentation), so most texts up to this size still give a full 4096.
 */
export const SQL_SCAN_MAX = 2 * SQL_TEXT_MAX;

export interface ScanResult {
  text: string;
  summary: string | undefined;
}

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const FF = 0x0c;
const VT = 0x0b;
const QUOTE = 0x27; // '
const DQUOTE = 0x22; // "
const BACKTICK = 0x60;
const BACKSLASH = 0x5c;
const DOLLAR = 0x24;
const DASH = 0x2d;
const PLUS = 0x2b;
const SLASH = 0x2f;
const STAR = 0x2a;
const HASH = 0x23;
const DOT = 0x2e;
const LPAREN = 0x28;
const RPAREN = 0x29;
const COMMA = 0x2c;
const SEMI = 0x3b;
const QMARK = 0x3f;
const AMP = 0x26;
const GT = 0x3e;

function isSpace(c: number): boolean {
  return c === SPACE || c === LF || c === TAB || c === CR || c === FF || c === VT;
}
function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
function isIdentStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c >= 0x80;
}
function isIdentPart(c: number): boolean {
  return isIdentStart(c) || isDigit(c) || c === DOLLAR;
}

// IN-list collapsing states.
const IN_NONE = 0;
const IN_WORD = 1; // saw IN
const IN_ITEM = 2; // after ( or ,: expecting an item (a sign may come first)
const IN_AFTER_ITEM = 3; // after an item: expecting , or )

/**
 * Scans text[0, min(length, SQL_SCAN_MAX)). With sanitize, `text` of the result is the sanitized
 * text (at most SQL_TEXT_MAX); without, it is the given text cut to SQL_TEXT_MAX.
 */
export function scanSql(input: string, sanitize: boolean, dialect: SqlDialect = 'postgresql'): ScanResult {
  const mysql = dialect === 'mysql';
  const sqlite = dialect === 'sqlite';
  const n = input.length < SQL_SCAN_MAX ? input.length : SQL_SCAN_MAX;
  const summary = new SummaryBuilder(input);
  let out = '';
  let run = 0; // start of the text copied as written since the last change
  let i = 0;
  let inState = IN_NONE;
  let inListStart = 0; // output length right after `IN (`
  let inItems = 0;

  // Appends input[run, to) to the output.
  const flush = (to: number): void => {
    if (to > run) out += input.slice(run, to);
  };
  const replace = (start: number, end: number, by: string): void => {
    if (!sanitize) return;
    flush(start);
    out += by;
    run = end;
  };
  const literal = (start: number, end: number): void => {
    replace(start, end, '?');
    summary.other();
    if (inState === IN_ITEM) {
      inState = IN_AFTER_ITEM;
      inItems++;
    } else inState = IN_NONE;
  };

  // Leading white space and comments go.
  while (i < n) {
    const c = input.charCodeAt(i);
    const start = i;
    if (isSpace(c)) {
      i++;
      while (i < n && isSpace(input.charCodeAt(i))) i++;
      // One space as written stays in the run; anything else becomes one space, and none at the
      // start or after a space already written (a dropped comment leaves one).
      if (sanitize) {
        const afterSpace = run === start && (out.length === 0 || out.charCodeAt(out.length - 1) === SPACE);
        if (afterSpace || i - start !== 1 || c !== SPACE) {
          flush(start);
          if (out.length > 0 && out.charCodeAt(out.length - 1) !== SPACE) out += ' ';
          run = i;
        }
      }
      continue;
    }
    const next = i + 1 < n ? input.charCodeAt(i + 1) : -1;
    // Comments: -- and # (MySQL; `#>`, `#-` are PostgreSQL operators) to the end of the line, /* */ nested.
    if ((c === DASH && next === DASH) || (c === HASH && next !== GT && next !== DASH)) {
      i += 2;
      while (i < n && input.charCodeAt(i) !== LF) i++;
      dropComment(start, i);
      continue;
    }
    if (c === SLASH && next === STAR) {
      i += 2;
      let depth = 1;
      while (i < n) {
        const d = input.charCodeAt(i);
        if (d === STAR && i + 1 < n && input.charCodeAt(i + 1) === SLASH) {
          i += 2;
          if (--depth === 0) break;
        } else if (d === SLASH && i + 1 < n && input.charCodeAt(i + 1) === STAR) {
          i += 2;
          depth++;
        } else i++;
      }
      dropComment(start, i);
      continue;
    }
    if (c === QUOTE) {
      const end = stringEnd(input, i, n, QUOTE, mysql);
      i = end > n ? n : end;
      if (sqlite && end <= n && summary.expectsTarget()) {
        // SQLite reads a 'string' where a table is expected as the table's name (spec example).
        summary.quotedName(start, i, true);
        replace(start, i, '?');
        inState = IN_NONE;
      } else literal(start, i);
      continue;
    }
    if (c === DQUOTE || c === BACKTICK) {
      const end = stringEnd(input, i, n, c, mysql && c === DQUOTE);
      i = end > n ? n : end;
      if ((mysql && c === DQUOTE) || end > n) {
        // A MySQL "string", or a quote never closed: everything after it could be a value.
        literal(start, i);
      } else {
        summary.quotedName(start, end, false);
        inState = IN_NONE;
      }
      continue;
    }
    if (isDigit(c) || (c === DOT && isDigit(next))) {
      i = numberEnd(input, i, n);
      literal(start, i);
      continue;
    }
    if (c === DOLLAR) {
      // $1 placeholders; $$...$$ and $tag$...$tag$ strings (PostgreSQL; taken as strings in every
      // dialect, since treating one as a string can only hide text, never show a literal).
      if (isDigit(next)) {
        // $1: a placeholder, kept.
        i++;
        while (i < n && isDigit(input.charCodeAt(i))) i++;
        summary.other();
        inState = IN_NONE;
        continue;
      }
      const end = dollarQuoteEnd(input, i, n);
      if (end > 0) {
        i = end;
        literal(start, i);
        continue;
      }
    }
    if (isIdentStart(c)) {
      i++;
      while (i < n && isIdentPart(input.charCodeAt(i))) i++;
      const len = i - start;
      const after = i < n ? input.charCodeAt(i) : -1;
      // Prefixed strings: E'..' (backslash escapes), N'..', B'..', X'..', U&'..', _utf8mb4'..'.
      if (after === QUOTE && (len === 1 || c === 0x5f)) {
        i = stringEnd(input, i, n, QUOTE, mysql || (len === 1 && (c | 0x20) === 0x65));
        if (i > n) i = n;
        literal(start, i);
        continue;
      }
      if (len === 1 && (c | 0x20) === 0x75 && after === AMP && i + 1 < n && input.charCodeAt(i + 1) === QUOTE) {
        i = stringEnd(input, i + 1, n, QUOTE, false);
        if (i > n) i = n;
        literal(start, i);
        continue;
      }
      const upper = len <= 16 ? input.slice(start, i).toUpperCase() : '';
      if (upper === 'TRUE' || upper === 'FALSE') {
        literal(start, i);
        continue;
      }
      summary.word(start, i, upper);
      if (upper === 'IN') inState = IN_WORD;
      else inState = IN_NONE;
      continue;
    }
    // Punctuation and operators: one character at a time.
    i++;
    if (c === QMARK) {
      // A placeholder: ? alone counts as an IN-list item; ?1 (SQLite) is kept.
      if (isDigit(next)) {
        while (i < n && isDigit(input.charCodeAt(i))) i++;
        inState = IN_NONE;
      } else if (inState === IN_ITEM) {
        inState = IN_AFTER_ITEM;
        inItems++;
      } else inState = IN_NONE;
      summary.other();
      continue;
    }
    if (c === LPAREN || c === RPAREN || c === COMMA || c === SEMI || c === DOT) summary.punct(c);
    else summary.punct(0);
    if (c === LPAREN && inState === IN_WORD) {
      if (sanitize) {
        flush(i);
        run = i;
        inListStart = out.length;
      }
      inItems = 0;
      inState = IN_ITEM;
    } else if (c === COMMA && inState === IN_AFTER_ITEM) {
      inState = IN_ITEM;
    } else if ((c === DASH || c === PLUS) && inState === IN_ITEM) {
      // a sign before an item
    } else if (c === RPAREN && inState === IN_AFTER_ITEM) {
      if (sanitize && inItems > 1) {
        out = out.slice(0, inListStart) + '?';
        run = i - 1;
      }
      inState = IN_NONE;
    } else inState = IN_NONE;
  }
  let text: string;
  if (sanitize) {
    flush(n);
    if (out.length > 0 && out.charCodeAt(out.length - 1) === SPACE) out = out.slice(0, -1);
    text = cut(out);
  } else {
    text = cut(input);
  }
  return { text, summary: summary.result() };

  // Takes the end as an argument so that `i`, the hot loop's index, stays out of any closure.
  function dropComment(start: number, end: number): void {
    if (!sanitize) return;
    flush(start);
    if (out.length > 0 && out.charCodeAt(out.length - 1) !== SPACE) out += ' ';
    run = end > n ? n : end;
  }
}

/** The text cut to SQL_TEXT_MAX, never between the two halves of a surrogate pair. */
export function cut(text: string): string {
  if (text.length <= SQL_TEXT_MAX) return text;
  let end = SQL_TEXT_MAX;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return text.slice(0, end);
}

/**
 * The end (one past the closing quote) of the quoted run opening at `start`; a doubled quote is an
 * escaped one, and with `backslash` so is \x. Unterminated: n + 1, so the caller knows.
 */
function stringEnd(s: string, start: number, n: number, quote: number, backslash: boolean): number {
  let i = start + 1;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === quote) {
      if (i + 1 < n && s.charCodeAt(i + 1) === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    if (c === BACKSLASH && backslash) i += 2;
    else i++;
  }
  return n + 1;
}

function numberEnd(s: string, start: number, n: number): number {
  let i = start;
  const c = s.charCodeAt(i);
  const next = i + 1 < n ? s.charCodeAt(i + 1) | 0x20 : -1;
  if (c === 0x30 && (next === 0x78 || next === 0x62 || next === 0x6f)) {
    // 0x1F, 0b101, 0o17: with anything identifier-like after, as a whole.
    i += 2;
    while (i < n && isIdentPart(s.charCodeAt(i))) i++;
    return i;
  }
  while (i < n) {
    const d = s.charCodeAt(i);
    if (isDigit(d) || d === 0x5f || d === DOT) i++;
    else if ((d | 0x20) === 0x65) {
      // exponent: 1e5, 1.5E-3
      i++;
      const sign = i < n ? s.charCodeAt(i) : -1;
      if ((sign === PLUS || sign === DASH) && i + 1 < n && isDigit(s.charCodeAt(i + 1))) i++;
    } else if (isIdentStart(d)) i++; // 123abc: swallowed whole rather than leave half a value
    else break;
  }
  return i;
}

/** The end of a $tag$...$tag$ string opening at `start`, n for one never closed, 0 for no tag. */
function dollarQuoteEnd(s: string, start: number, n: number): number {
  let i = start + 1;
  if (i < n && s.charCodeAt(i) !== DOLLAR) {
    if (!isIdentStart(s.charCodeAt(i))) return 0;
    while (i < n && s.charCodeAt(i) !== DOLLAR && isIdentPart(s.charCodeAt(i))) i++;
    if (i >= n || s.charCodeAt(i) !== DOLLAR) return 0;
  }
  if (i >= n) return 0;
  const tag = s.slice(start, i + 1);
  const close = s.indexOf(tag, i + 1);
  if (close < 0 || close + tag.length > n) return n;
  return close + tag.length;
}
