// What every part of the fastify instrumentation shares: its guard (our own fault turns it off,
// never reaches the app), its tracer, and whether hooks get spans. Set once, on the first instance.

import type { Tracer } from '@opentelemetry/api';
import type { Telemetry } from '../../src/hook/instrumentation.js';
import { Guard } from '../../src/hook/guard.js';
import { settingValue } from '../../src/config/setting-value.js';
import { NOOP_TRACER_PROVIDER } from '../../src/trace/noop-tracer.js';
import { HOOK_SPANS } from './settings.js';

export const guard = new Guard('fastify');

let configured = false;
let currentTracer: Tracer = NOOP_TRACER_PROVIDER.getTracer('fastify');
let hookSpans = false;

export function configureFastify(telemetry: Telemetry): void {
  if (configured) return;
  configured = true;
  currentTracer = telemetry.tracer;
  hookSpans = settingValue(telemetry.config, HOOK_SPANS);
}

export function tracer(): Tracer {
  return currentTracer;
}

/** OTEL_NODE_FASTIFY_HOOK_SPANS: the app's request hooks get spans. */
export function hookSpansOn(): boolean {
  return hookSpans;
}
