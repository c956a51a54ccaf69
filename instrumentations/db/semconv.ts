// The database client conventions (semantic-conventions docs/db, stable since v1.33 for the core
// attributes, PostgreSQL, MySQL and MariaDB; the Redis and MongoDB pages are still Development, and
// we follow v1.37 there). Names are written once here for every database instrumentation.

export const ATTR_DB_SYSTEM_NAME = 'db.system.name';
export const ATTR_DB_NAMESPACE = 'db.namespace';
export const ATTR_DB_OPERATION_NAME = 'db.operation.name';
export const ATTR_DB_COLLECTION_NAME = 'db.collection.name';
export const ATTR_DB_QUERY_TEXT = 'db.query.text';
export const ATTR_DB_QUERY_SUMMARY = 'db.query.summary';
export const ATTR_DB_RESPONSE_STATUS_CODE = 'db.response.status_code';
export const ATTR_DB_OPERATION_BATCH_SIZE = 'db.operation.batch.size';
export const ATTR_DB_STORED_PROCEDURE_NAME = 'db.stored_procedure.name';
/** Opt-in: one attribute per parameter, `db.query.parameter.<key>` (the key is the position for `$1`, `?`). */
export const ATTR_DB_QUERY_PARAMETER_PREFIX = 'db.query.parameter.';

/** The well-known values of db.system.name this project emits. */
export const DB_SYSTEM = {
  postgresql: 'postgresql',
  mysql: 'mysql',
  mariadb: 'mariadb',
  sqlite: 'sqlite',
  redis: 'redis',
  mongodb: 'mongodb',
  otherSql: 'other_sql',
} as const;

export const DB_CLIENT_OPERATION_DURATION = 'db.client.operation.duration';
/** The bucket boundaries the conventions advise for db.client.operation.duration, in seconds. */
export const DB_DURATION_BUCKETS: readonly number[] = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10];

/** db.query.summary is bounded by the conventions. */
export const QUERY_SUMMARY_MAX = 255;

/** What the span is named after when there is no summary (conventions' order: collection, procedure, namespace, server). */
export interface SpanNameParts {
  readonly system: string;
  readonly querySummary?: string | undefined;
  readonly operationName?: string | undefined;
  readonly collectionName?: string | undefined;
  readonly storedProcedureName?: string | undefined;
  /** Left out of the name for systems whose namespace is no target (Redis's database index). */
  readonly namespace?: string | undefined;
  readonly serverAddress?: string | undefined;
  readonly serverPort?: number | undefined;
}

/**
 * `{db.query.summary}`; else `{db.operation.name} {target}`; else `{db.operation.name}`; else `{target}`;
 * else `{db.system.name}`. The target is the collection, else the stored procedure, else the namespace,
 * else `server.address:server.port`.
 */
export function dbSpanName(parts: SpanNameParts): string {
  if (parts.querySummary !== undefined && parts.querySummary !== '') return parts.querySummary;
  const target = spanTarget(parts);
  const operation = parts.operationName;
  if (operation !== undefined && operation !== '') return target === undefined ? operation : `${operation} ${target}`;
  return target ?? parts.system;
}

function spanTarget(parts: SpanNameParts): string | undefined {
  if (parts.collectionName) return parts.collectionName;
  if (parts.storedProcedureName) return parts.storedProcedureName;
  if (parts.namespace) return parts.namespace;
  if (parts.serverAddress) return parts.serverPort === undefined ? parts.serverAddress : `${parts.serverAddress}:${parts.serverPort}`;
  return undefined;
}
