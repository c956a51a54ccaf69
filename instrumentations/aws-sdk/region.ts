// cloud.region: the region the client sends to. The SDK resolves it from the client's config through
// a provider (a function returning a promise) that it calls for every request itself; the value is
// kept per config object once known, so later calls have it when their span starts. The first call
// of a client gets it when the provider answers, well before the response.

import type { Span } from '@opentelemetry/api';
import { ATTR_CLOUD_REGION } from './semconv.js';

type Config = { readonly region?: unknown } | undefined;

const known = new WeakMap<object, string>();

function ignore(): void {}

/** The region, when already known (a string in the config, or a provider's earlier answer). */
export function knownRegion(config: Config): string | undefined {
  if (config === undefined || config === null) return undefined;
  const region = config.region;
  if (typeof region === 'string') return region !== '' ? region : undefined;
  return known.get(config);
}

/** Asks the config's provider for the region; `span` gets it once the provider answers. Never throws. */
export function resolveRegion(config: Config, span: Span): void {
  if (config === undefined || config === null || typeof config.region !== 'function') return;
  try {
    const answer: unknown = config.region.call(config);
    const settle = (value: unknown): void => {
      if (typeof value !== 'string' || value === '') return;
      known.set(config, value);
      if (span.isRecording()) span.setAttribute(ATTR_CLOUD_REGION, value);
    };
    // A rejection or a throw is the SDK's to report (it calls the same provider); ours is ignored.
    if (answer !== null && typeof answer === 'object' && typeof (answer as Promise<unknown>).then === 'function') (answer as Promise<unknown>).then(settle, ignore);
    else settle(answer);
  } catch {
    // As above.
  }
}
