// Process metrics (semconv process.cpu.time, process.memory.usage), read at collection time.

import type { Attributes, BatchObservableCallback, Meter } from '@opentelemetry/api';
import { ValueType } from '../../src/otel-api/enums.js';
import { observeInBatch } from './observe-in-batch.js';

export const ATTR_CPU_MODE = 'cpu.mode';

const USER: Attributes = Object.freeze({ [ATTR_CPU_MODE]: 'user' });
const SYSTEM: Attributes = Object.freeze({ [ATTR_CPU_MODE]: 'system' });

const US_PER_S = 1e6;

/** Registers process.cpu.time and process.memory.usage; returns the stop function. */
export function startProcessMetrics(meter: Meter): () => void {
  const cpuTime = meter.createObservableCounter('process.cpu.time', {
    unit: 's',
    description: 'Total CPU seconds broken down by different CPU modes.',
  });
  const memoryUsage = meter.createObservableUpDownCounter('process.memory.usage', {
    unit: 'By',
    description: 'The amount of physical memory in use.',
    valueType: ValueType.INT,
  });

  const callback: BatchObservableCallback = (result) => {
    try {
      const cpu = process.cpuUsage();
      result.observe(cpuTime, cpu.user / US_PER_S, USER);
      result.observe(cpuTime, cpu.system / US_PER_S, SYSTEM);
    } catch {
      // Never fail a collection.
    }
    try {
      result.observe(memoryUsage, process.memoryUsage.rss());
    } catch {
      // ignore
    }
  };
  return observeInBatch(meter, [cpuTime, memoryUsage], callback);
}
