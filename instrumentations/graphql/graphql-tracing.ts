// What every part of the graphql instrumentation shares: its tracer, its settings (read once, when
// graphql is first loaded) and its Guard, so that a fault of ours anywhere turns all of it off.

import type { Tracer } from '@opentelemetry/api';
import { settingValue } from '../../src/config/setting-value.js';
import { Guard } from '../../src/hook/guard.js';
import type { Telemetry } from '../../src/hook/instrumentation.js';
import {
  CAPTURE_DOCUMENT,
  OPERATION_NAME_IN_SPAN_NAME,
  RESOLVER_SPANS,
  RESOLVER_SPANS_LIST_ITEMS,
  type ListItemResolverSpans,
  type ResolverSpans,
} from './settings.js';

export const guard = new Guard('graphql');

export interface GraphqlTracing {
  readonly tracer: Tracer;
  readonly resolverSpans: ResolverSpans;
  readonly listItems: ListItemResolverSpans;
  readonly captureDocument: boolean;
  readonly operationNameInSpanName: boolean;
}

let tracing: GraphqlTracing | undefined;

/** Called by every target's patch; the first call fixes the tracer and the settings. */
export function configureGraphqlTracing(telemetry: Telemetry): GraphqlTracing {
  tracing ??= {
    tracer: telemetry.tracer,
    resolverSpans: settingValue(telemetry.config, RESOLVER_SPANS),
    listItems: settingValue(telemetry.config, RESOLVER_SPANS_LIST_ITEMS),
    captureDocument: settingValue(telemetry.config, CAPTURE_DOCUMENT),
    operationNameInSpanName: settingValue(telemetry.config, OPERATION_NAME_IN_SPAN_NAME),
  };
  return tracing;
}

/** The tracing state once graphql has been patched, while this instrumentation is on. */
export function activeTracing(): GraphqlTracing | undefined {
  return guard.enabled ? tracing : undefined;
}
