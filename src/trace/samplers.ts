// Samplers from the OpenTelemetry SDK specification, chosen by OTEL_TRACES_SAMPLER(_ARG).

import type { Attributes, SpanContext, SpanKind, TraceState } from '@opentelemetry/api';
import type { SamplerName } from '../config/types.js';

/** Same numbers as @opentelemetry/api SamplingDecision. */
export const enum Decision {
  Drop = 0,
  RecordOnly = 1,
  RecordAndSample = 2,
}

export interface SamplingResult {
  readonly decision: Decision;
  readonly attributes?: Attributes;
  readonly traceState?: TraceState;
}

export interface Sampler {
  shouldSample(
    parent: SpanContext | undefined,
    traceId: string,
    name: string,
    kind: SpanKind,
    attributes: Attributes | undefined,
  ): SamplingResult;
  toString(): string;
}

const SAMPLE: SamplingResult = Object.freeze({ decision: Decision.RecordAndSample });
const DROP: SamplingResult = Object.freeze({ decision: Decision.Drop });

export const alwaysOn: Sampler = { shouldSample: () => SAMPLE, toString: () => 'AlwaysOnSampler' };
export const alwaysOff: Sampler = { shouldSample: () => DROP, toString: () => 'AlwaysOffSampler' };

/**
 * TraceIdRatioBased: keep a trace when the randomness in the low 56 bits of its id reaches the
 * rejection threshold (1 - ratio) * 2^56, so every SDK using the same rule agrees on a trace.
 */
export function traceIdRatio(ratio: number): Sampler {
  if (ratio >= 1) return { shouldSample: () => SAMPLE, toString: () => `TraceIdRatioBased{${ratio}}` };
  if (ratio <= 0) return { shouldSample: () => DROP, toString: () => `TraceIdRatioBased{${ratio}}` };
  // Compare in two 28-bit halves: 56 bits do not fit in a double exactly.
  const threshold = (1 - ratio) * 2 ** 56;
  const thresholdHigh = Math.floor(threshold / 2 ** 28);
  const thresholdLow = Math.ceil(threshold - thresholdHigh * 2 ** 28);
  return {
    shouldSample(_parent, traceId) {
      const high = parseInt(traceId.slice(18, 25), 16);
      const low = parseInt(traceId.slice(25, 32), 16);
      const keep = high > thresholdHigh || (high === thresholdHigh && low >= thresholdLow);
      return keep ? SAMPLE : DROP;
    },
    toString: () => `TraceIdRatioBased{${ratio}}`,
  };
}

export function parentBased(root: Sampler): Sampler {
  return {
    shouldSample(parent, traceId, name, kind, attributes) {
      if (parent === undefined) return root.shouldSample(parent, traceId, name, kind, attributes);
      return (parent.traceFlags & 1) === 1 ? SAMPLE : DROP;
    },
    toString: () => `ParentBased{root=${root.toString()}}`,
  };
}

export function createSampler(name: SamplerName, ratio: number): Sampler {
  switch (name) {
    case 'always_on':
      return alwaysOn;
    case 'always_off':
      return alwaysOff;
    case 'traceidratio':
      return traceIdRatio(ratio);
    case 'parentbased_always_off':
      return parentBased(alwaysOff);
    case 'parentbased_traceidratio':
      return parentBased(traceIdRatio(ratio));
    case 'parentbased_always_on':
    default:
      return parentBased(alwaysOn);
  }
}
