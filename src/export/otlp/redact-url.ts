// URLs in our diagnostics never carry credentials: userinfo is dropped and query values are masked.

/** `https://user:pw@c:4318/v1/traces?key=s` -> `https://c:4318/v1/traces?key=REDACTED`. */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '<invalid url>';
  }
  parsed.username = '';
  parsed.password = '';
  if (parsed.search !== '') {
    const keys = new Set<string>();
    for (const key of parsed.searchParams.keys()) keys.add(key);
    const params = new URLSearchParams();
    for (const key of keys) params.append(key, 'REDACTED');
    parsed.search = params.toString();
  }
  parsed.hash = '';
  return parsed.toString();
}
