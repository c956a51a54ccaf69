// db.query.text for a MongoDB command: its shape as JSON, with the command's name and target, every
// field name and operator kept, and every value a `?` ({"find":"orders","filter":{"total":{"$gt":"?"}}}).
// The MongoDB conventions (docs/db/mongodb.md, Development, v1.44) define no text of their own; the
// general rule applies: text that is not parameterized is recorded only sanitized, and a command's
// values are never parameters. Documents being written (insert's `documents`) are data, not shape: they
// are one `?`. Session and transport fields say nothing about the query and are left out.

/** The text is bounded like SQL text: a 10 000-clause $or is still one readable line. */
export const MONGODB_TEXT_MAX = 4096;
/** Array elements rendered at most; the rest is one "…". */
const MAX_ELEMENTS = 16;
/** Nesting rendered at most; deeper documents are one "?". */
const MAX_DEPTH = 12;

// Fields the driver adds to every command (sessions, transactions, read/write concerns, server API).
const LEFT_OUT = new Set([
  '$db', 'lsid', '$clusterTime', 'txnNumber', 'autocommit', 'startTransaction', '$readPreference', 'readConcern',
  'writeConcern', 'apiVersion', 'apiStrict', 'apiDeprecationErrors', 'maxTimeMS', 'comment',
]);
// Fields whose whole value is data.
const DATA = new Set(['documents']);

/**
 * The documents of a field the driver sends as an OP_MSG document sequence (7.x: a bulk write's
 * `updates`, `deletes`, `documents`), else the value itself.
 */
export function sequenceDocuments(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const sequence = value as { field?: unknown; documents?: unknown };
  return typeof sequence.field === 'string' && Array.isArray(sequence.documents) ? sequence.documents : value;
}

function isDocument(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

class Text {
  out = '';
  get full(): boolean {
    return this.out.length >= MONGODB_TEXT_MAX;
  }
}

function render(text: Text, value: unknown, depth: number): void {
  if (Array.isArray(value)) {
    if (depth >= MAX_DEPTH) {
      text.out += '"?"';
      return;
    }
    // A list of plain values says nothing more than one: `$in` of 3 ids or of 300 has one shape.
    const scalars = value.every((element) => !Array.isArray(element) && !isDocument(element));
    if (scalars) {
      text.out += value.length === 0 ? '[]' : '["?"]';
      return;
    }
    text.out += '[';
    const shown = Math.min(value.length, MAX_ELEMENTS);
    for (let i = 0; i < shown && !text.full; i++) {
      if (i > 0) text.out += ',';
      render(text, value[i], depth + 1);
    }
    if (value.length > shown) text.out += ',"…"';
    text.out += ']';
    return;
  }
  if (isDocument(value)) {
    if (depth >= MAX_DEPTH) {
      text.out += '"?"';
      return;
    }
    text.out += '{';
    let first = true;
    for (const key in value) {
      if (text.full) break;
      if (!first) text.out += ',';
      first = false;
      text.out += JSON.stringify(key);
      text.out += ':';
      render(text, value[key], depth + 1);
    }
    text.out += '}';
    return;
  }
  text.out += '"?"';
}

/**
 * The command's sanitized text. `collection` is kept as written where the command names it; every other
 * value is a `?`. Never throws on a document the driver accepts.
 */
export function mongoCommandText(command: Record<string, unknown>, name: string, collection: string | undefined): string {
  const text = new Text();
  // getMore names its collection in a field of its own; its first value is a cursor id.
  const collectionField = name === 'getMore' ? 'collection' : name;
  text.out = '{';
  text.out += JSON.stringify(name);
  text.out += collection === undefined || collectionField !== name ? ':"?"' : `:${JSON.stringify(collection)}`;
  for (const key in command) {
    if (key === name || LEFT_OUT.has(key)) continue;
    if (text.full) break;
    text.out += ',';
    text.out += JSON.stringify(key);
    text.out += ':';
    if (DATA.has(key)) text.out += '"?"';
    else if (key === collectionField && collection !== undefined) text.out += JSON.stringify(collection);
    else render(text, sequenceDocuments(command[key]), 1);
  }
  text.out += '}';
  return text.full ? `${text.out.slice(0, MONGODB_TEXT_MAX - 1)}…` : text.out;
}
