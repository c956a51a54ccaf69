// What one MongoDB command is, for its span: db.operation.name is the command's name (its first field:
// `find`, `insert`, `getMore`, `findAndModify`), db.collection.name the collection it targets,
// db.namespace the database, db.operation.batch.size the statements of an update or delete that carries
// several (a bulkWrite of updates is one `update` command). Conventions: docs/db/mongodb.md
// (Development; followed as of v1.44).

import type { DbOperation } from '../db/db-call.js';
import { mongoCommandText, sequenceDocuments } from './command-text.js';

// Commands whose first field's value is a collection name. Any other command's first value (a user
// name for createUser, 1 for ping or aggregate on the database) is no collection and is never recorded.
const ON_COLLECTION = new Set([
  'find', 'insert', 'update', 'delete', 'findAndModify', 'aggregate', 'count', 'distinct', 'createIndexes',
  'dropIndexes', 'listIndexes', 'create', 'drop', 'collMod', 'killCursors', 'mapReduce', 'validate', 'collStats',
  'compact', 'createSearchIndexes', 'dropSearchIndex', 'updateSearchIndex', 'listSearchIndexes', 'geoNear',
]);
// Statements per command kind, for db.operation.batch.size.
const STATEMENTS: Readonly<Record<string, string>> = { update: 'updates', delete: 'deletes' };

// The handshake, heartbeats and authentication: the driver's own work, never the app's operations.
const CONNECTION_WORK = new Set(['hello', 'isMaster', 'ismaster', 'saslStart', 'saslContinue', 'authenticate', 'getnonce']);

/** The driver's MongoDBNamespace: the database and, for collection operations, the collection. */
export interface MongoNamespace {
  readonly db?: unknown;
  readonly collection?: unknown;
}

/** The command's name, or undefined for the driver's own connection work and for what is no command. */
export function commandName(command: unknown): string | undefined {
  if (command === null || typeof command !== 'object') return undefined;
  for (const key in command) return CONNECTION_WORK.has(key) ? undefined : key;
  return undefined;
}

function collectionOf(command: Record<string, unknown>, name: string): string | undefined {
  if (name === 'getMore') return typeof command.collection === 'string' ? command.collection : undefined;
  const value = command[name];
  return ON_COLLECTION.has(name) && typeof value === 'string' ? value : undefined;
}

/** The operation's attributes; server.address and server.port are added by the caller. */
export function commandOperation(ns: MongoNamespace | undefined, command: Record<string, unknown>, name: string): DbOperation {
  const collection = collectionOf(command, name);
  const statements = STATEMENTS[name];
  const list = statements === undefined ? undefined : sequenceDocuments(command[statements]);
  const database = ns?.db;
  return {
    operationName: name,
    collectionName: collection,
    namespace: typeof database === 'string' && database !== '' ? database : undefined,
    queryText: mongoCommandText(command, name, collection),
    batchSize: Array.isArray(list) && list.length >= 2 ? list.length : undefined,
  };
}
