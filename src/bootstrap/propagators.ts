// OTEL_PROPAGATORS -> one composite propagator.

import type { TextMapPropagator } from '@opentelemetry/api';
import type { PropagatorName } from '../config/types.js';
import { baggagePropagator } from '../context/propagation/baggage.js';
import { compositePropagator } from '../context/propagation/composite.js';
import { traceContextPropagator } from '../context/propagation/tracecontext.js';
import { diag } from '../diag/log.js';

function load(name: PropagatorName): TextMapPropagator | undefined {
  switch (name) {
    case 'tracecontext':
      return traceContextPropagator;
    case 'baggage':
      return baggagePropagator;
    case 'b3':
      return (require('../context/propagation/b3.js') as typeof import('../context/propagation/b3.js')).b3Single;
    case 'b3multi':
      return (require('../context/propagation/b3.js') as typeof import('../context/propagation/b3.js')).b3Multi;
    case 'jaeger':
      return (require('../context/propagation/jaeger.js') as typeof import('../context/propagation/jaeger.js')).jaegerPropagator;
    default:
      diag.warn(`unsupported propagator ${JSON.stringify(name)} ignored`);
      return undefined;
  }
}

export function createPropagator(names: readonly PropagatorName[]): TextMapPropagator {
  const propagators: TextMapPropagator[] = [];
  for (const name of names) {
    const propagator = load(name);
    if (propagator !== undefined) propagators.push(propagator);
  }
  return compositePropagator(propagators);
}
