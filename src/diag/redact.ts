// Every redaction rule in one place: URL credentials, query values, header values. Used by the
// telemetry we produce (url.full, url.query), by our diagnostics and by --print-config. Layer 0, so
// config can use it. Nothing here parses more than it must: the http hot path calls
// redactSensitiveQueryValues on every request with a query string.

export const REDACTED = 'REDACTED';
/** What credentials in a URL become (the conventions' form for url.full). */
export const REDACTED_CREDENTIALS = 'REDACTED:REDACTED@';
/** What a captured header's value becomes when OTEL_INSTRUMENTATION_HTTP_SANITIZE_HEADERS selects it. */
export const REDACTED_HEADER_VALUE = '[REDACTED]';

// Query parameters whose values the HTTP conventions say to redact in url.full and url.query. Matched
// case-sensitively, as the conventions list them (the raw key or its percent-decoded form).
const SEMCONV_SENSITIVE_QUERY_KEYS = new Set([
  'AWSAccessKeyId',
  'Signature',
  'sig',
  'X-Goog-Signature',
  'X-Amz-Signature',
  'X-Amz-Credential',
  'X-Amz-Security-Token',
]);

/** Telemetry: the keys the semantic conventions name (exactly these; the app's other parameters are its data). */
export function isSemconvSensitiveQueryKey(key: string): boolean {
  return SEMCONV_SENSITIVE_QUERY_KEYS.has(key);
}

// Our own diagnostics and --print-config show configuration the user typed: anything that looks
// like a secret is hidden, a wider net than the conventions' list.
const SECRET_LOOKING_QUERY_KEY = /^(awsaccesskeyid|signature|sig|x-goog-signature|.*(?:token|secret|password|passwd|api[-_]?key|apikey|auth).*)$/i;

/** Diagnostics: names that look like secrets (token, secret, password, api key, auth, signatures). */
export function isSecretLookingQueryKey(key: string): boolean {
  return SECRET_LOOKING_QUERY_KEY.test(key);
}

function safeDecode(text: string): string {
  if (text.indexOf('%') === -1) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * A raw query string (without '?' and '#') with the values of the selected keys replaced by REDACTED;
 * keys and other values kept byte for byte. Returns `query` itself when nothing was selected.
 */
export function redactSensitiveQueryValues(query: string, isSensitive: (key: string) => boolean = isSemconvSensitiveQueryKey): string {
  if (query === '') return query;
  let changed = false;
  const parts = query.split('&');
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const eq = part.indexOf('=');
    const key = eq === -1 ? part : part.slice(0, eq);
    if (isSensitive(key) || isSensitive(safeDecode(key))) {
      parts[i] = `${key}=${REDACTED}`;
      changed = true;
    }
  }
  return changed ? parts.join('&') : query;
}

const USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)?([^/?#@]*)@/i;

/**
 * `scheme://user:pass@host` -> `scheme://REDACTED:REDACTED@host`. Works on strings that are not valid
 * URLs too (`user:pass@host:4317`): it only matches, never parses.
 */
export function redactUrlCredentials(value: string): string {
  return value.replace(USERINFO, (_m, scheme: string | undefined) => `${scheme ?? ''}${REDACTED_CREDENTIALS}`);
}

/**
 * A URL or URL-like value as our warnings and --print-config show it: credentials marked and the
 * values of secret-looking query parameters redacted; the rest as the user typed it.
 */
export function redactUrlSecrets(value: string): string {
  const out = redactUrlCredentials(value);
  const q = out.indexOf('?');
  if (q === -1) return out;
  const hash = out.indexOf('#', q);
  const end = hash === -1 ? out.length : hash;
  return `${out.slice(0, q + 1)}${redactSensitiveQueryValues(out.slice(q + 1, end), isSecretLookingQueryKey)}${out.slice(end)}`;
}

/**
 * An exporter endpoint as our debug and warning lines show it: parsed, userinfo and fragment
 * dropped and every query value REDACTED (an endpoint's parameters are usually keys). '<invalid url>'
 * when it does not parse.
 */
export function redactEndpointUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '<invalid url>';
  }
  parsed.username = '';
  parsed.password = '';
  if (parsed.search !== '') {
    const params = new URLSearchParams();
    for (const key of new Set(parsed.searchParams.keys())) params.append(key, REDACTED);
    parsed.search = params.toString();
  }
  parsed.hash = '';
  return parsed.toString();
}

/** `k1=****,k2=****`: header names are shown, values never. */
export function maskHeaderValues(headers: Readonly<Record<string, string>>): string {
  return Object.keys(headers)
    .map((k) => `${k}=****`)
    .join(',');
}

/**
 * A raw `k1=v1,k2=v2` header list as given (not parsed): `k1=****,k2=****`; members that are not
 * `key=value` are hidden entirely, and a list with no key at all is `****`.
 */
export function maskRawHeaderList(raw: string): string {
  const keys: string[] = [];
  for (const member of raw.split(',')) {
    const eq = member.indexOf('=');
    if (eq > 0) keys.push(`${member.slice(0, eq).trim()}=****`);
  }
  return keys.length === 0 ? '****' : keys.join(',');
}
