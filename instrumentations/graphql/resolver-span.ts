// Resolver spans, off unless OTEL_NODE_GRAPHQL_RESOLVER_SPANS asks for them (settings.ts). Names and
// attributes follow the GraphQL working group's draft (see semconv.ts): the span is named after the
// field's schema coordinate (`Query.user`), and says where in the result it lands (`users[0].name`).
//
// They are children of the operation span, all at one level: graphql runs a field's sub-fields after
// its resolver has returned, outside it, and the path attribute already says how they nest. Inside a
// resolver, its span is current, so what the resolver calls (http, a database) is its child.

import type { Attributes, Context, Span } from '@opentelemetry/api';
import { SpanKind } from '../../src/otel-api/enums.js';
import { validSpanContext } from '../../src/otel-api/valid-span-context.js';
import { guard, type GraphqlTracing } from './graphql-tracing.js';
import { recordException } from './record-errors.js';
import {
  ATTR_GRAPHQL_SELECTION_FIELD_COORDINATE,
  ATTR_GRAPHQL_SELECTION_FIELD_NAME,
  ATTR_GRAPHQL_SELECTION_FIELD_PARENT_TYPE,
  ATTR_GRAPHQL_SELECTION_NAME,
  ATTR_GRAPHQL_SELECTION_PATH,
} from './semconv.js';

/** A response path from the root: field names (or aliases) and list indices. */
export type PathSegments = readonly (string | number)[];

/** The field being resolved, as graphql 15/16 (resolve info) and 17 (its channel message) describe it. */
export interface ResolvedField {
  readonly parentType: string;
  readonly fieldName: string;
  /** The alias if there is one, else the field name. */
  readonly selectionName: string;
}

/** Introspection (`__schema`, `__Type.fields`, `__typename`) is graphql's own work, never the app's resolvers. */
export function isIntrospection(parentType: string, fieldName: string): boolean {
  return parentType.startsWith('__') || fieldName.startsWith('__');
}

/** Whether every list index along the path is the first one. */
function inFirstItems(path: PathSegments): boolean {
  for (let i = 0; i < path.length; i++) if (typeof path[i] === 'number' && path[i] !== 0) return false;
  return true;
}

/** `users[0].name`: the working group's path form. */
export function formatPath(path: PathSegments): string {
  let text = '';
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]!;
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? segment : `.${segment}`;
  }
  return text;
}

/**
 * Starts the span of one resolver call in `parent`, or undefined when it gets none: outside any trace,
 * or a later list item under OTEL_NODE_GRAPHQL_RESOLVER_SPANS_LIST_ITEMS=first. The caller has already
 * applied the nontrivial/all rule. Never throws.
 */
export function startResolverSpan(tracing: GraphqlTracing, field: ResolvedField, path: PathSegments, parent: Context): Span | undefined {
  try {
    if (validSpanContext(parent) === undefined) return undefined;
    if (tracing.listItems === 'first' && !inFirstItems(path)) return undefined;
    const coordinate = `${field.parentType}.${field.fieldName}`;
    const attributes: Attributes = {
      [ATTR_GRAPHQL_SELECTION_NAME]: field.selectionName,
      [ATTR_GRAPHQL_SELECTION_PATH]: formatPath(path),
      [ATTR_GRAPHQL_SELECTION_FIELD_NAME]: field.fieldName,
      [ATTR_GRAPHQL_SELECTION_FIELD_PARENT_TYPE]: field.parentType,
      [ATTR_GRAPHQL_SELECTION_FIELD_COORDINATE]: coordinate,
    };
    return tracing.tracer.startSpan(coordinate, { kind: SpanKind.INTERNAL, attributes }, parent);
  } catch (internal) {
    guard.fail(internal);
    return undefined;
  }
}

/**
 * The resolver returned or settled with `value`, or threw it (`failed`). A returned Error is a failure
 * too: graphql reports it as the field's error. Never throws.
 */
export function endResolverSpan(span: Span, value: unknown, failed: boolean): void {
  try {
    if (failed || value instanceof Error) recordException(span, value);
    span.end();
  } catch (internal) {
    guard.fail(internal);
  }
}
