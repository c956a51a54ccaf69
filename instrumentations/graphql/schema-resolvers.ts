// graphql 15 and 16 have no hook around a field's resolution, so with resolver spans on, the resolvers
// themselves are wrapped: each schema's field `resolve` functions once, the first time the schema is
// executed (a field without one is a default property read: `nontrivial` leaves it alone), and for
// `all`, the default resolver of each execution, handed to graphql through the execution arguments
// (setting it on the schema's fields would override an app's own `fieldResolver`). A wrapper without
// an active trace, or with this instrumentation off, calls the resolver as it is.
// With resolver spans off (the default) nothing here runs and no schema is touched.

import type { Span } from '@opentelemetry/api';
import { trace } from '../../src/otel-api/trace.js';
import { activeContext, applyInContext } from '../../src/context/als-context-manager.js';
import { activeTracing, guard } from './graphql-tracing.js';
import { endResolverSpan, isIntrospection, startResolverSpan, type PathSegments } from './resolver-span.js';
import { isThenable } from '../../src/hook/call-outcome.js';
import { keepShape } from '../../src/hook/patch.js';

type Resolver = (...args: unknown[]) => unknown;

const TRACED = Symbol('otel-instrument.graphql.traced-resolver');
const tracedSchemas = new WeakSet<object>();
/** Default resolvers (graphql's, or an app's `fieldResolver`) and their traced wrapper, made once each. */
const tracedDefaults = new WeakMap<Resolver, Resolver>();

/** The resolve info fields we read (graphql 15 and 16). */
interface ResolveInfo {
  readonly fieldName: string;
  readonly parentType: { readonly name: string };
  readonly path: ResponsePath | undefined;
}

interface ResponsePath {
  readonly prev: ResponsePath | undefined;
  readonly key: string | number;
}

function pathSegments(path: ResponsePath | undefined): PathSegments {
  const segments: (string | number)[] = [];
  for (let at = path; at !== undefined; at = at.prev) segments.push(at.key);
  return segments.reverse();
}

function runResolver(original: Resolver, self: unknown, args: IArguments): unknown {
  const tracing = activeTracing();
  const info = args[3] as ResolveInfo | undefined;
  if (tracing === undefined || info === undefined || info === null) return Reflect.apply(original, self, args);
  const parent = activeContext();
  let span: Span | undefined;
  try {
    const parentType = info.parentType.name;
    const fieldName = info.fieldName;
    if (!isIntrospection(parentType, fieldName)) {
      const path = pathSegments(info.path);
      const last = path[path.length - 1];
      span = startResolverSpan(tracing, { parentType, fieldName, selectionName: typeof last === 'string' ? last : fieldName }, path, parent);
    }
  } catch (internal) {
    guard.fail(internal);
  }
  if (span === undefined) return Reflect.apply(original, self, args);
  let result: unknown;
  try {
    result = applyInContext(trace.setSpan(parent, span), original, self, args);
  } catch (error) {
    endResolverSpan(span, error, true);
    throw error;
  }
  if (!isThenable(result)) {
    endResolverSpan(span, result, false);
    return result;
  }
  // A promise of the same outcome (see OperationRun.complete for why not graphql's own).
  return result.then(
    (value) => {
      endResolverSpan(span, value, false);
      return value;
    },
    (error: unknown) => {
      endResolverSpan(span, error, true);
      throw error;
    },
  );
}

function tracedResolver(original: Resolver): Resolver {
  const traced = function resolve(this: unknown) {
    return runResolver(original, this, arguments);
  };
  Object.defineProperty(traced, TRACED, { value: true });
  return keepShape(traced, original);
}

function isTraced(fn: unknown): boolean {
  return typeof fn === 'function' && (fn as { [TRACED]?: boolean })[TRACED] === true;
}

interface FieldLike {
  resolve?: unknown;
}

/** Wraps the resolvers of `schema`'s object fields, once per schema. Never throws. */
export function traceSchemaResolvers(schema: unknown): void {
  if (schema === null || typeof schema !== 'object' || tracedSchemas.has(schema)) return;
  tracedSchemas.add(schema);
  try {
    const getTypeMap = (schema as { getTypeMap?: unknown }).getTypeMap;
    if (typeof getTypeMap !== 'function') return;
    const types = getTypeMap.call(schema) as Record<string, unknown>;
    for (const typeName of Object.keys(types)) {
      if (typeName.startsWith('__')) continue;
      const type = types[typeName] as { getFields?: unknown; getInterfaces?: unknown } | null;
      // Object types (and interfaces, whose resolvers graphql never calls); not input objects.
      if (type === null || typeof type.getFields !== 'function' || typeof type.getInterfaces !== 'function') continue;
      let fields: Record<string, FieldLike>;
      try {
        fields = type.getFields() as Record<string, FieldLike>;
      } catch {
        // The app's field thunk threw: an invalid schema, which execute reports as it always does.
        continue;
      }
      for (const fieldName of Object.keys(fields)) {
        const field = fields[fieldName]!;
        if (typeof field.resolve === 'function' && !isTraced(field.resolve)) field.resolve = tracedResolver(field.resolve as Resolver);
      }
    }
  } catch (internal) {
    guard.fail(internal);
  }
}

/** The traced form of a default resolver (`all`), made once per function. */
export function tracedDefaultResolver(resolver: unknown): unknown {
  if (typeof resolver !== 'function' || isTraced(resolver)) return resolver;
  let traced = tracedDefaults.get(resolver as Resolver);
  if (traced === undefined) {
    traced = tracedResolver(resolver as Resolver);
    tracedDefaults.set(resolver as Resolver, traced);
  }
  return traced;
}
