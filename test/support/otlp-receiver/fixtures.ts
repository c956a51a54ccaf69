// Span fixtures for exporter and encoder tests.

import type { InstrumentationScope, Resource } from '../../../src/core/types.js';
import type { ReadableSpan } from '../../../src/trace/span-data.js';

export const TEST_RESOURCE: Resource = Object.freeze({ attributes: Object.freeze({ 'service.name': 'otlp-test' }) });
export const TEST_SCOPE: InstrumentationScope = Object.freeze({ name: 'test-scope', version: '1.2.3' });

let spanCounter = 0;

/** A minimal valid ReadableSpan; every field can be overridden. Span ids are unique per call. */
export function makeTestSpan(overrides: Partial<ReadableSpan> = {}): ReadableSpan {
  spanCounter++;
  return {
    name: `span-${spanCounter}`,
    kind: 0,
    traceId: '5b8efff798038103d269b633813fc60c',
    spanId: spanCounter.toString(16).padStart(16, '0'),
    traceFlags: 1,
    traceState: undefined,
    parentSpanId: undefined,
    parentIsRemote: false,
    startTime: [1_700_000_000, 0],
    endTime: [1_700_000_000, 1_000_000],
    attributes: {},
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    status: { code: 0 },
    scope: TEST_SCOPE,
    resource: TEST_RESOURCE,
    ...overrides,
  };
}
