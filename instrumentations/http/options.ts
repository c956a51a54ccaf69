// What users tune by environment (./settings.ts), which the official Node SDK only offers in code:
// excluded URLs (health checks), captured headers, and the known-method list. Parsed with the rest of
// the configuration; here they are taken from the Config handed to the instrumentation.

import { REDACTED_HEADER_VALUE } from '../../src/diag/redact.js';
import type { NamePatterns } from '../../src/config/setting-types-patterns.js';
import { settingValue } from '../../src/config/setting-value.js';
import type { Config } from '../../src/config/types.js';
import {
  CAPTURE_CLIENT_REQUEST,
  CAPTURE_CLIENT_RESPONSE,
  CAPTURE_SERVER_REQUEST,
  CAPTURE_SERVER_RESPONSE,
  HTTP_EXCLUDED_URLS,
  KNOWN_METHODS,
  SANITIZE_FIELDS,
} from './settings.js';

/** Header names (lower-case) and patterns; a name matches if it equals one or a pattern matches it. */
export type HeaderSelection = NamePatterns;

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

export function readHttpOptions(config: Config): HttpOptions {
  return {
    excludedUrls: settingValue(config, HTTP_EXCLUDED_URLS),
    captureServerRequest: settingValue(config, CAPTURE_SERVER_REQUEST),
    captureServerResponse: settingValue(config, CAPTURE_SERVER_RESPONSE),
    captureClientRequest: settingValue(config, CAPTURE_CLIENT_REQUEST),
    captureClientResponse: settingValue(config, CAPTURE_CLIENT_RESPONSE),
    sanitize: settingValue(config, SANITIZE_FIELDS),
    knownMethods: settingValue(config, KNOWN_METHODS),
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
    setAttribute(`${prefix}${name}`, sanitize !== undefined && selects(sanitize, name) ? values.map(() => REDACTED_HEADER_VALUE) : values);
  }
}
