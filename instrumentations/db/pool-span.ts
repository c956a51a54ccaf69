// With OTEL_NODE_DB_POOL_SPANS on, each wait for a pooled connection (pg-pool's connect, mysql2's
// getConnection, the mongodb driver's checkout) is an INTERNAL span `pool acquire`, under the trace of
// the operation or request that asked; never a root span, and none at all by default. The conventions
// define pool metrics but no pool span: the span carries db.system.name and
// db.client.connection.pool.name, which they define (server.address:server.port/db.namespace when the
// pool has no name of its own).

import type { Context, Span, Tracer } from '@opentelemetry/api';
import { SpanKind } from '../../src/otel-api/enums.js';
import { validSpanContext } from '../../src/otel-api/valid-span-context.js';
import { isSuppressed } from '../../src/context/suppress.js';
import { settingValue } from '../../src/config/setting-value.js';
import { ATTR_ERROR_TYPE, errorTypeOf } from '../../src/core/error-type.js';
import { recordFailure } from '../../src/core/exception-attributes.js';
import type { Telemetry } from '../../src/hook/instrumentation.js';
import { ATTR_DB_SYSTEM_NAME } from './semconv.js';
import { DB_POOL_SPANS } from './settings.js';

export const POOL_SPAN_NAME = 'pool acquire';
export const ATTR_DB_CLIENT_CONNECTION_POOL_NAME = 'db.client.connection.pool.name';

/** The pool's name as the conventions build one: `address:port/namespace`, the parts it has. */
export function poolName(address: unknown, port: unknown, namespace: unknown): string | undefined {
  if (typeof address !== 'string' || address === '') return undefined;
  let name = port === undefined || port === null || port === '' ? address : `${address}:${String(port)}`;
  if (typeof namespace === 'string' && namespace !== '') name += `/${namespace}`;
  return name;
}

export class PoolSpans {
  readonly enabled: boolean;
  readonly #tracer: Tracer;

  constructor(telemetry: Telemetry) {
    this.enabled = settingValue(telemetry.config, DB_POOL_SPANS);
    this.#tracer = telemetry.tracer;
  }

  /** The span of one wait, or undefined: the setting is off, or `parent` is in no trace. Never throws. */
  start(parent: Context, system: string, name: string | undefined): Span | undefined {
    if (!this.enabled || isSuppressed(parent) || validSpanContext(parent) === undefined) return undefined;
    try {
      const attributes: Record<string, string> = { [ATTR_DB_SYSTEM_NAME]: system };
      if (name !== undefined) attributes[ATTR_DB_CLIENT_CONNECTION_POOL_NAME] = name;
      return this.#tracer.startSpan(POOL_SPAN_NAME, { kind: SpanKind.INTERNAL, attributes }, parent);
    } catch {
      return undefined;
    }
  }
}

/** Ends a wait, failed when the pool gave an error (a timeout, a refused connection). Never throws. */
export function endPoolSpan(span: Span | undefined, error?: unknown): void {
  if (span === undefined) return;
  try {
    if (error !== undefined && error !== null) {
      span.setAttribute(ATTR_ERROR_TYPE, errorTypeOf(error));
      recordFailure(span, error);
    }
    span.end();
  } catch {
    // Our own failure must not reach the app's callback.
  }
}

/**
 * `callback`, ending `span` first with the error it is called with. `systemOf` reads db.system.name
 * from the connection handed over, for drivers that learn it only then (mysql2: MySQL or MariaDB).
 */
export function endingPoolSpan<F extends (...args: any[]) => unknown>(span: Span | undefined, callback: F, systemOf?: (connection: unknown) => string): F {
  if (span === undefined) return callback;
  return function (this: unknown, error: unknown, connection: unknown) {
    if (systemOf !== undefined && (error === undefined || error === null) && connection !== undefined) {
      try {
        span.setAttribute(ATTR_DB_SYSTEM_NAME, systemOf(connection));
      } catch {
        // Our own failure must not reach the app's callback.
      }
    }
    endPoolSpan(span, error);
    return Reflect.apply(callback, this, arguments);
  } as F;
}
