// Writes the propagation headers into an undici request through its public addHeader().
// A header the app already set (its own traceparent, or another tracer's) is left as it is:
// adding ours too would send the field twice, which receivers reject or read ambiguously.

import type { TextMapSetter } from '@opentelemetry/api';

/** The parts of undici's core Request we touch (undici 6 and 7; 5 kept headers as one string). */
export interface UndiciRequest {
  readonly origin?: unknown;
  readonly method?: unknown;
  readonly path?: unknown;
  readonly upgrade?: unknown;
  readonly headers?: unknown;
  addHeader?(key: string, value: string): unknown;
}

/** Whether the request already carries `name` (lower-case). */
export function hasHeader(headers: unknown, name: string): boolean {
  if (Array.isArray(headers)) {
    // Flat [name, value, name, value, ...] as undici 6 and 7 keep them.
    for (let i = 0; i < headers.length; i += 2) {
      const key = headers[i];
      if (typeof key === 'string' && key.length === name.length && key.toLowerCase() === name) return true;
    }
    return false;
  }
  if (typeof headers === 'string') {
    // 'name: value\r\n' lines (undici 5).
    const lower = headers.toLowerCase();
    return lower.startsWith(`${name}:`) || lower.includes(`\r\n${name}:`);
  }
  return false;
}

export const requestHeaderSetter: TextMapSetter<UndiciRequest> = {
  set(request, key, value) {
    if (typeof request.addHeader === 'function' && !hasHeader(request.headers, key)) request.addHeader(key, value);
  },
};
