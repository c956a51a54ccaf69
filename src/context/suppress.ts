// Our own I/O (exports, detectors) runs with tracing suppressed, so it never becomes telemetry.
// The key is the one @opentelemetry/core uses, so an app's suppressTracing() is honoured too.

import type { Context } from '@opentelemetry/api';
import { createContextKey } from '../otel-api/context-key.js';
import { ROOT_CONTEXT } from './context.js';
import { activeContext, runWithContext } from './als-context-manager.js';

const SUPPRESS_TRACING_KEY = createContextKey('OpenTelemetry SDK Context Key SUPPRESS_TRACING');
const SUPPRESSED = ROOT_CONTEXT.setValue(SUPPRESS_TRACING_KEY, true);

export function isSuppressed(ctx: Context = activeContext()): boolean {
  return ctx.getValue(SUPPRESS_TRACING_KEY) === true;
}

export function suppressed(ctx: Context): Context {
  return ctx.setValue(SUPPRESS_TRACING_KEY, true);
}

export function runSuppressed<T>(fn: () => T): T {
  return runWithContext(SUPPRESSED, fn);
}
