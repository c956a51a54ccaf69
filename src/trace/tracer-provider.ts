// The TracerProvider registered as the @opentelemetry/api global. One tracer per scope.

import type { Tracer, TracerOptions, TracerProvider } from '@opentelemetry/api';
import { SdkTracer, type TracerShared } from './tracer.js';

export class SdkTracerProvider implements TracerProvider {
  readonly #shared: TracerShared;
  readonly #tracers = new Map<string, SdkTracer>();

  constructor(shared: TracerShared) {
    this.#shared = shared;
  }

  getTracer(name: string, version?: string, options?: TracerOptions): Tracer {
    const schemaUrl = options?.schemaUrl;
    const key = `${name}@${version ?? ''}@${schemaUrl ?? ''}`;
    let tracer = this.#tracers.get(key);
    if (tracer === undefined) {
      tracer = new SdkTracer({ name: name || 'unknown', version, schemaUrl }, this.#shared);
      this.#tracers.set(key, tracer);
    }
    return tracer;
  }
}
