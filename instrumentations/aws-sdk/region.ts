// cloud.region: the region the client sends to. The SDK resolves it from the client's config through
// a provider (a function returning a promise) that it calls for every request itself; the value is
// kept per config object once known, so later calls have it when their span starts. The first call
// of a client gets it when the provider answers, well before the response.

import type { Span } from '@opentelemetry/api';
import { ATTR_CLOUD_REGION } from './semconv.js';

const known = new WeakMap<object, string>();

function ignore(): void {}

/** The region, when already known; otherwise undefined, and `span` gets it once the provider answers. */
export function regionOf(config: { readonly region?: unknown } | undefined, span: Span | undefined): string | undefined {
  if (config === undefined || config === null) return undefined;
  const cached = known.get(config);
  if (cached !== undefined) return cached;
  const region = config.region;
  if (typeof region === 'string') return region !== '' ? region : undefined;
  if (typeof region !== 'function') return undefined;
  try {
    const answer: unknown = region.call(config);
    if (typeof answer === 'string') {
      if (answer !== '') known.set(config, answer);
      return answer || undefined;
    }
    if (answer !== null && typeof answer === 'object' && typeof (answer as Promise<unknown>).then === 'function') {
      // A rejection is the SDK's to report (it calls the same provider); ours is ignored.
      (answer as Promise<unknown>).then((value) => {
        if (typeof value !== 'string' || value === '') return;
        known.set(config, value);
        if (span !== undefined && span.isRecording()) span.setAttribute(ATTR_CLOUD_REGION, value);
      }, ignore);
    }
  } catch {
    // A provider that throws is the SDK's to report when it calls it.
  }
  return undefined;
}
