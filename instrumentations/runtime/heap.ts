// V8 heap metrics (semconv v8js.memory.heap.*), per heap space from v8.getHeapSpaceStatistics().

import { getHeapSpaceStatistics } from 'node:v8';
import type { Attributes, BatchObservableCallback, Meter } from '@opentelemetry/api';
import { ValueType } from '../../src/otel-api/enums.js';
import { observeInBatch } from './observe-in-batch.js';

export const ATTR_V8JS_HEAP_SPACE_NAME = 'v8js.heap.space.name';

/** Registers the four per-space heap UpDownCounters; returns the stop function. */
export function startHeapMetrics(meter: Meter): () => void {
  const options = (description: string) => ({ unit: 'By', description, valueType: ValueType.INT });
  const limit = meter.createObservableUpDownCounter('v8js.memory.heap.limit', options('Total heap memory size pre-allocated.'));
  const used = meter.createObservableUpDownCounter('v8js.memory.heap.used', options('Heap Memory size allocated.'));
  const available = meter.createObservableUpDownCounter('v8js.memory.heap.space.available_size', options('Heap space available size.'));
  const physical = meter.createObservableUpDownCounter('v8js.memory.heap.space.physical_size', options('Committed size of a heap space.'));

  // One attributes object per space, reused at every collection (the SDK keys series by identity first).
  const attributesBySpace = new Map<string, Attributes>();
  const attributesFor = (space: string): Attributes => {
    let attributes = attributesBySpace.get(space);
    if (attributes === undefined) {
      attributes = Object.freeze({ [ATTR_V8JS_HEAP_SPACE_NAME]: space });
      attributesBySpace.set(space, attributes);
    }
    return attributes;
  };

  const callback: BatchObservableCallback = (result) => {
    try {
      for (const space of getHeapSpaceStatistics()) {
        const attributes = attributesFor(space.space_name);
        result.observe(limit, space.space_size, attributes);
        result.observe(used, space.space_used_size, attributes);
        result.observe(available, space.space_available_size, attributes);
        result.observe(physical, space.physical_space_size, attributes);
      }
    } catch {
      // Never fail a collection.
    }
  };
  return observeInBatch(meter, [limit, used, available, physical], callback);
}
