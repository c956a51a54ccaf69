// A collector that accepts a request partially says why in its response (spec: log it, never retry).
// Each distinct reason is said once: a collector that rejects the same field on every request would
// otherwise repeat itself on every export.

import type { Signal } from '../../../config/types.js';
import { collectorText } from '../../../diag/collector-text.js';
import { diag } from '../../../diag/log.js';
import type { PartialSuccessInfo } from '../transport/types.js';
import { ITEM_NOUN } from './item-noun.js';

/** Bounds the memory of reasons already said: past this many, new ones are not said at all. */
const MAX_REMEMBERED_PARTIAL_MESSAGES = 64;

/** The transport's onPartialSuccess for one exporter; `url` is already redacted. */
export function partialSuccessWarnings(signal: Signal, url: string): (info: PartialSuccessInfo) => void {
  const seenPartialMessages = new Set<string>();
  return (info) => {
    // Both transports' partial successes come through here: the collector's text is escaped and bounded once.
    const message = collectorText(info.errorMessage);
    if (seenPartialMessages.has(message) || seenPartialMessages.size >= MAX_REMEMBERED_PARTIAL_MESSAGES) return;
    seenPartialMessages.add(message);
    diag.warn(
      `the OTLP collector at ${url} accepted ${signal} partially: ${info.rejected} ${ITEM_NOUN[signal]} rejected` +
        (message ? `: ${message}` : ''),
    );
  };
}
