// What users tune by environment, which the official Node SDK only offers in code:
// excluded URLs (health checks), captured headers, and the known-method list.

import { readList, warnInvalid } from '../../src/config/env-readers.js';

/** Header names (lower-case) and patterns; a name matches if it equals one or a pattern matches it. */
export interface HeaderSelection {
  readonly names: readonly string[];
  readonly patterns: readonly RegExp[];
}

export interface HttpOptions {
  /** Server requests whose full URL matches one of these get no span, and nothing under them is traced. */
  readonly excludedUrls: readonly RegExp[];
  readonly captureServerRequest: HeaderSelection | undefined;
  readonly captureServerResponse: HeaderSelection | undefined;
  readonly captureClientRequest: HeaderSelection | undefined;
  readonly captureClientResponse: HeaderSelection | undefined;
  readonly sanitize: HeaderSelection | undefined;
  readonly knownMethods: readonly string[] | undefined;
}

const REGEX_CHARS = /[\\^$.*+?()[\]{}|]/;

function compile(variable: string, source: string, flags: string): RegExp | undefined {
  try {
    return new RegExp(source, flags);
  } catch {
    warnInvalid(variable, source, 'a regular expression', 'nothing for this entry');
    return undefined;
  }
}

/** Header lists are case-insensitive names, or regular expressions matched against the whole name. */
function readHeaderSelection(env: NodeJS.ProcessEnv, variable: string): HeaderSelection | undefined {
  const items = readList(env, variable);
  if (items === undefined) return undefined;
  const names: string[] = [];
  const patterns: RegExp[] = [];
  for (const item of items) {
    if (!REGEX_CHARS.test(item)) names.push(item);
    else {
      const pattern = compile(variable, `^(?:${item})$`, 'i');
      if (pattern !== undefined) patterns.push(pattern);
    }
  }
  return names.length + patterns.length === 0 ? undefined : { names, patterns };
}

function readExcludedUrls(env: NodeJS.ProcessEnv): RegExp[] {
  // Python's OTEL_PYTHON_EXCLUDED_URLS shape: comma-separated regular expressions, searched in the full URL.
  const variable = env.OTEL_NODE_HTTP_EXCLUDED_URLS ? 'OTEL_NODE_HTTP_EXCLUDED_URLS' : 'OTEL_NODE_EXCLUDED_URLS';
  const out: RegExp[] = [];
  for (const item of readList(env, variable, { lowerCase: false }) ?? []) {
    const pattern = compile(variable, item, '');
    if (pattern !== undefined) out.push(pattern);
  }
  return out;
}

export function readHttpOptions(env: NodeJS.ProcessEnv = process.env): HttpOptions {
  const prefix = 'OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_';
  return {
    excludedUrls: readExcludedUrls(env),
    captureServerRequest: readHeaderSelection(env, `${prefix}SERVER_REQUEST`),
    captureServerResponse: readHeaderSelection(env, `${prefix}SERVER_RESPONSE`),
    captureClientRequest: readHeaderSelection(env, `${prefix}CLIENT_REQUEST`),
    captureClientResponse: readHeaderSelection(env, `${prefix}CLIENT_RESPONSE`),
    sanitize: readHeaderSelection(env, `${prefix}SANITIZE_FIELDS`),
    // Case-sensitive, and a full replacement of the default set (semantic conventions).
    knownMethods: readList(env, 'OTEL_INSTRUMENTATION_HTTP_KNOWN_METHODS', { lowerCase: false }),
  };
}

function selects(selection: HeaderSelection, name: string): boolean {
  if (selection.names.includes(name)) return true;
  for (const pattern of selection.patterns) if (pattern.test(name)) return true;
  return false;
}

type HeaderValue = string | number | readonly string[] | undefined;

/**
 * Sets `<prefix><name>` = string[] for every selected header. `lookup(name)` reads one header;
 * `all()` lists the header names present, needed only when patterns are configured.
 */
export function captureHeaders(
  setAttribute: (key: string, value: string[]) => void,
  prefix: 'http.request.header.' | 'http.response.header.',
  selection: HeaderSelection,
  sanitize: HeaderSelection | undefined,
  lookup: (name: string) => HeaderValue,
  all: () => readonly string[],
): void {
  const names = selection.patterns.length === 0 ? selection.names : all().filter((name) => selects(selection, name.toLowerCase()));
  for (const raw of names) {
    const name = raw.toLowerCase();
    const value = lookup(name);
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value.map(String) : [String(value)];
    setAttribute(`${prefix}${name}`, sanitize !== undefined && selects(sanitize, name) ? values.map(() => '[REDACTED]') : values);
  }
}
