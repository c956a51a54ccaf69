// graphql 15 and 16: execute, executeSync (graphql/execution/execute.js) and subscribe
// (graphql/subscription/subscribe.js in 15, graphql/execution/subscribe.js in 16) are wrapped on their
// module's exports. graphql's own callers (graphql(), graphqlSync(), subscribe's per-event execution)
// reach them through those exports too, so one wrapper serves the app, its framework and graphql.
// executeSync does not call the exported execute, so each call is one operation span.

import { applyInContext } from '../../src/context/als-context-manager.js';
import { wrap } from '../../src/hook/patch.js';
import { activeTracing, guard, type GraphqlTracing } from './graphql-tracing.js';
import { startOperation, type OperationRun } from './operation-span.js';
import { traceSchemaResolvers, tracedDefaultResolver } from './schema-resolvers.js';

type Execution = (...args: unknown[]) => unknown;

/** graphql 15 also takes execute's arguments one by one; this is where each one is. */
const POSITIONAL_DOCUMENT = 1;
const POSITIONAL_OPERATION_NAME = 5;
const POSITIONAL_FIELD_RESOLVER = 6;

interface ExecutionArgs {
  readonly schema?: unknown;
  readonly document?: unknown;
  readonly operationName?: unknown;
  readonly fieldResolver?: unknown;
}

/** The module's exports, for graphql's defaultFieldResolver (resolver spans `all`); undefined for subscribe's. */
type DefaultsSource = { readonly defaultFieldResolver?: unknown } | undefined;

function startFromArguments(args: IArguments): OperationRun | undefined {
  try {
    if (args.length !== 1) return startOperation(args[POSITIONAL_DOCUMENT], args[POSITIONAL_OPERATION_NAME]);
    const executionArgs = args[0] as ExecutionArgs | null | undefined;
    return startOperation(executionArgs?.document, executionArgs?.operationName);
  } catch (internal) {
    guard.fail(internal);
    return undefined;
  }
}

/**
 * With resolver spans on: the schema's resolvers wrapped (once), and for `all`, the arguments graphql
 * gets carry the traced default resolver. Otherwise the app's own arguments, untouched.
 */
function argumentsForResolverSpans(tracing: GraphqlTracing, args: IArguments, defaults: DefaultsSource): ArrayLike<unknown> {
  try {
    const positional = args.length !== 1;
    const executionArgs = args[0] as ExecutionArgs | null | undefined;
    traceSchemaResolvers(positional ? args[0] : executionArgs?.schema);
    if (tracing.resolverSpans !== 'all' || defaults === undefined) return args;
    const defaultResolver = defaults.defaultFieldResolver;
    if (positional) {
      const copy: unknown[] = Array.prototype.slice.call(args);
      while (copy.length <= POSITIONAL_FIELD_RESOLVER) copy.push(undefined);
      copy[POSITIONAL_FIELD_RESOLVER] = tracedDefaultResolver(copy[POSITIONAL_FIELD_RESOLVER] ?? defaultResolver);
      return copy;
    }
    if (executionArgs === null || typeof executionArgs !== 'object') return args;
    return [{ ...executionArgs, fieldResolver: tracedDefaultResolver(executionArgs.fieldResolver ?? defaultResolver) }];
  } catch (internal) {
    guard.fail(internal);
    return args;
  }
}

function tracedExecution(original: Execution, defaults: DefaultsSource): Execution {
  return function execute(this: unknown) {
    const tracing = activeTracing();
    if (tracing === undefined) return Reflect.apply(original, this, arguments);
    const run = startFromArguments(arguments);
    if (run === undefined) return Reflect.apply(original, this, arguments);
    const callArguments = tracing.resolverSpans === 'none' ? arguments : argumentsForResolverSpans(tracing, arguments, defaults);
    let result: unknown;
    try {
      result = applyInContext(run.context, original, this, callArguments);
    } catch (error) {
      run.fail(error);
      throw error;
    }
    return run.complete(result);
  };
}

/** graphql/execution/execute.js (graphql 15, 16). */
export function patchExecuteModule(exports: object): void {
  const target = exports as Record<string, Execution>;
  wrap(target, 'execute', (original) => tracedExecution(original, target));
  wrap(target, 'executeSync', (original) => tracedExecution(original, target));
}

/** graphql/subscription/subscribe.js (15), graphql/execution/subscribe.js (16). */
export function patchSubscribeModule(exports: object): void {
  wrap(exports as Record<string, Execution>, 'subscribe', (original) => tracedExecution(original, undefined));
}
