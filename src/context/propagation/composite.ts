// Runs several propagators as one. A propagator that throws is skipped, never fatal.

import type { Context, TextMapGetter, TextMapPropagator, TextMapSetter } from '@opentelemetry/api';
import { diag } from '../../diag/log.js';

export function compositePropagator(propagators: readonly TextMapPropagator[]): TextMapPropagator {
  const fields = [...new Set(propagators.flatMap((p) => p.fields()))];
  return {
    inject(ctx: Context, carrier: unknown, setter: TextMapSetter): void {
      for (const propagator of propagators) {
        try {
          propagator.inject(ctx, carrier, setter);
        } catch (error) {
          diag.debug(`propagator inject failed: ${String(error)}`);
        }
      }
    },
    extract(ctx: Context, carrier: unknown, getter: TextMapGetter): Context {
      let result = ctx;
      for (const propagator of propagators) {
        try {
          result = propagator.extract(result, carrier, getter);
        } catch (error) {
          diag.debug(`propagator extract failed: ${String(error)}`);
        }
      }
      return result;
    },
    fields(): string[] {
      return fields;
    },
  };
}
