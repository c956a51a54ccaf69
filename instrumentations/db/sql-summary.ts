// db.query.summary for SQL, built from the tokens the scanner in sql-sanitize.ts hands over, so
// the summary costs no second pass. The rules follow "Generating a summary of the query"
// (semantic-conventions docs/db/database-spans.md): operations and their targets in the order
// written, `{operation1} {target1} {operation2} {target2} {target3} ...`, values as the application
// wrote them (no case change), at most 255 characters, never cut inside an operation or a target.
//
// What counts (a summary must never hold a literal: literals, numbers and placeholders never
// reach it, strings only as SQLite's quoted table names right where a table is expected):
// - SELECT, INSERT, UPDATE, DELETE, MERGE at any depth (subqueries, CTEs, INSERT ... SELECT, UNION)
//   except where the word is not an operation (`FOR UPDATE`, `ON DELETE`, `DO UPDATE`,
//   `ON DUPLICATE KEY UPDATE`, MERGE's `THEN UPDATE`);
// - targets: the tables after FROM (a comma list), JOIN, INSERT/REPLACE INTO, UPDATE, MERGE INTO /
//   USING, CALL / EXEC[UTE], TRUNCATE, and the object of CREATE/ALTER/DROP, whose operation keeps
//   the object kind (`CREATE TABLE orders`, `DROP INDEX orders_pk`); aliases are not targets; a
//   subquery in FROM is an anonymous target (spec: `SELECT SELECT orders customers`);
// - a statement that starts with another command (BEGIN, COMMIT, SET, SHOW, GRANT, VACUUM, ...)
//   gives that command alone.

export const SQL_SUMMARY_MAX = 255;

// Per-depth clause states.
const NONE = 0;
const EXPECT_TARGET = 1; // the next name is a target
const IN_NAME = 2; // reading a target, possibly qualified (a.b."c")
const AFTER_TARGET = 3; // an alias may follow
const EXPECT_ALIAS = 4; // after AS
const AFTER_ALIAS = 5;
const DDL_KIND = 6; // after CREATE/ALTER/DROP: skipping modifiers up to TABLE, VIEW, INDEX...

const MAX_DEPTH = 32;

/** Operations recorded wherever they appear. */
const ANYWHERE_OPS = new Set(['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'MERGE']);
/** Words before which SELECT/INSERT/UPDATE/DELETE are not operations. */
const NOT_OP_AFTER = new Set(['FOR', 'ON', 'DO', 'KEY', 'THEN', 'OF', 'GRANT', 'REVOKE', ',']);
/** Operations whose next name is their target. */
const TARGET_OPS = new Set(['INSERT', 'UPDATE', 'MERGE', 'REPLACE', 'UPSERT', 'CALL', 'EXEC', 'EXECUTE', 'TRUNCATE']);
const DDL_OPS = new Set(['CREATE', 'ALTER', 'DROP']);
/** Commands that give their name alone when they start a statement; the rest of it is ignored. */
const COMMANDS = new Set([
  'BEGIN', 'START', 'COMMIT', 'END', 'ROLLBACK', 'SAVEPOINT', 'RELEASE', 'SET', 'RESET', 'SHOW', 'USE',
  'ANALYZE', 'ANALYSE', 'VACUUM', 'GRANT', 'REVOKE', 'LOCK', 'UNLOCK', 'COPY', 'DECLARE', 'FETCH', 'MOVE',
  'CLOSE', 'PREPARE', 'DEALLOCATE', 'DISCARD', 'LISTEN', 'NOTIFY', 'UNLISTEN', 'REFRESH', 'REINDEX',
  'CLUSTER', 'COMMENT', 'DO', 'CHECKPOINT', 'LOAD', 'PRAGMA', 'ATTACH', 'DETACH', 'DESCRIBE', 'DESC',
  'RENAME', 'OPTIMIZE', 'FLUSH', 'KILL', 'HANDLER', 'SECURITY', 'IMPORT', 'REASSIGN',
]);
/** Words skipped where a target is expected. */
const SKIP_BEFORE_TARGET = new Set([
  'INTO', 'ONLY', 'TABLE', 'IF', 'NOT', 'EXISTS', 'CONCURRENTLY', 'IGNORE', 'LOW_PRIORITY', 'DELAYED',
  'HIGH_PRIORITY', 'OR', 'REPLACE', 'ROLLBACK', 'ABORT', 'FAIL', 'LATERAL', 'QUICK', 'ON', 'FROM',
]);
/** Modifiers between CREATE/ALTER/DROP and the object kind. */
const DDL_MODIFIERS = new Set([
  'OR', 'REPLACE', 'TEMP', 'TEMPORARY', 'UNLOGGED', 'GLOBAL', 'LOCAL', 'UNIQUE', 'MATERIALIZED',
  'RECURSIVE', 'VIRTUAL', 'FOREIGN', 'CONSTRAINT', 'ONLINE', 'OFFLINE', 'FULLTEXT', 'SPATIAL', 'IF',
  'NOT', 'EXISTS', 'DEFINER', 'ALGORITHM', 'SQL', 'TRUSTED', 'PROCEDURAL',
]);
/** Words that end a table list instead of naming an alias. */
const CLAUSE_WORDS = new Set([
  'WHERE', 'ON', 'USING', 'GROUP', 'ORDER', 'HAVING', 'LIMIT', 'OFFSET', 'WINDOW', 'UNION', 'EXCEPT',
  'INTERSECT', 'MINUS', 'SET', 'VALUES', 'VALUE', 'RETURNING', 'FOR', 'WHEN', 'SELECT', 'DEFAULT', 'FETCH',
  'TABLESAMPLE', 'PARTITION', 'WITH', 'INTO', 'DO', 'OUTPUT', 'QUALIFY', 'CONNECT', 'START', 'LOCK', 'AS',
]);
const JOIN_WORDS = new Set(['LEFT', 'RIGHT', 'INNER', 'OUTER', 'FULL', 'CROSS', 'NATURAL', 'STRAIGHT_JOIN', 'SEMI', 'ANTI']);

/**
 * Fed the tokens of one SQL text in order by the scanner; `result()` gives the summary or
 * undefined. Names are passed as offsets into the scanned text so nothing is sliced unless kept.
 */
export class SummaryBuilder {
  private out = '';
  private full = false;
  private depth = 0;
  private readonly state = new Uint8Array(MAX_DEPTH);
  /** 1: a FROM list at this depth (commas add targets); 2: an operation was seen at this depth. */
  private readonly flags = new Uint8Array(MAX_DEPTH);
  private atStatementStart = true;
  /** Upper-cased first command of the statement (for MERGE ... USING). */
  private statementOp = '';
  /** The rest of the statement is ignored (a command that is summarized by its name alone). */
  private passive = false;
  private prevWord = '';
  private nameStart = 0;
  private nameEnd = 0;
  private pendingDdl = '';

  constructor(private readonly src: string) {}

  /** A bare word (keyword or identifier), src[start, end), upper-cased in `upper` when short. */
  word(start: number, end: number, upper: string): void {
    if (this.passive) return;
    const d = this.depth < MAX_DEPTH ? this.depth : MAX_DEPTH - 1;
    const st = this.state[d]!;
    if (this.atStatementStart) {
      if (this.afterExplain && !ANYWHERE_OPS.has(upper)) return; // EXPLAIN ANALYZE VERBOSE ...
      this.afterExplain = false;
      this.atStatementStart = false;
      this.statementOp = upper;
      if (COMMANDS.has(upper)) {
        this.add(this.src.slice(start, end));
        this.passive = true;
        return;
      }
      if (upper === 'EXPLAIN') {
        this.add(this.src.slice(start, end));
        this.atStatementStart = true; // EXPLAIN [ANALYZE] SELECT ...: what follows is a statement
        this.afterExplain = true;
        return;
      }
      if (DDL_OPS.has(upper)) {
        this.pendingDdl = this.src.slice(start, end);
        this.state[d] = DDL_KIND;
        this.flags[d] = 2;
        this.prevWord = upper;
        return;
      }
      if (upper === 'REPLACE' || upper === 'UPSERT') {
        this.op(d, start, end, upper);
        return;
      }
    }
    if (st === IN_NAME) {
      if (this.dotPending) {
        this.nameEnd = end; // schema.table
        this.dotPending = false;
        return;
      }
      this.commitName(d);
    }
    const now = this.state[d]!;
    if (now === DDL_KIND) {
      if (!DDL_MODIFIERS.has(upper)) {
        this.add(this.pendingDdl + ' ' + this.src.slice(start, end));
        this.state[d] = EXPECT_TARGET;
        this.flags[d] = 3;
      }
    } else if (ANYWHERE_OPS.has(upper) && !NOT_OP_AFTER.has(this.prevWord)) {
      this.op(d, start, end, upper);
    } else if ((upper === 'CALL' || upper === 'EXEC' || upper === 'EXECUTE' || upper === 'TRUNCATE') && this.statementOp === upper) {
      this.op(d, start, end, upper);
    } else if (now === EXPECT_TARGET) {
      if (!SKIP_BEFORE_TARGET.has(upper)) this.startName(d, start, end);
    } else if (upper === 'JOIN' || upper === 'STRAIGHT_JOIN') {
      if (this.flags[d]! & 2) this.state[d] = EXPECT_TARGET;
    } else if (upper === 'FROM') {
      if (this.flags[d]! & 2 && this.prevWord !== 'DISTINCT') {
        this.state[d] = EXPECT_TARGET;
        this.flags[d] = 3;
      }
    } else if (upper === 'USING' && this.statementOp === 'MERGE' && this.flags[d]! & 2) {
      this.state[d] = EXPECT_TARGET;
      this.flags[d] = 2;
    } else if (now === AFTER_TARGET) {
      if (upper === 'AS') this.state[d] = EXPECT_ALIAS;
      else if (JOIN_WORDS.has(upper)) this.state[d] = AFTER_ALIAS;
      else this.state[d] = CLAUSE_WORDS.has(upper) ? NONE : AFTER_ALIAS;
    } else if (now === EXPECT_ALIAS) {
      this.state[d] = AFTER_ALIAS;
    } else if (now === AFTER_ALIAS) {
      if (!JOIN_WORDS.has(upper)) this.state[d] = NONE;
    }
    this.prevWord = upper;
  }

  /** A quoted identifier ("x", `x`), or in SQLite a single-quoted name where a table is expected. */
  quotedName(start: number, end: number, isString: boolean): void {
    if (this.passive) return;
    const d = this.depth < MAX_DEPTH ? this.depth : MAX_DEPTH - 1;
    this.atStatementStart = false;
    const st = this.state[d]!;
    if (st === EXPECT_TARGET) this.startName(d, start, end);
    else if (st === IN_NAME && !isString && this.dotPending) {
      this.nameEnd = end;
      this.dotPending = false;
    } else if (st === AFTER_TARGET || st === EXPECT_ALIAS) this.state[d] = AFTER_ALIAS; // a quoted alias
    else if (st === IN_NAME) {
      this.commitName(d);
      this.state[d] = AFTER_ALIAS;
    } else this.other();
    this.prevWord = '"';
  }

  private dotPending = false;
  private afterExplain = false;

  /** Whether a table name is expected next (SQLite takes a 'string' there as a table name). */
  expectsTarget(): boolean {
    const d = this.depth < MAX_DEPTH ? this.depth : MAX_DEPTH - 1;
    return !this.passive && this.state[d] === EXPECT_TARGET;
  }

  /** Punctuation: ( ) , . ; and anything else as `other`. */
  punct(code: number): void {
    if (code === 0x3b /* ; */) {
      this.endStatement();
      return;
    }
    if (this.passive) return;
    const d = this.depth < MAX_DEPTH ? this.depth : MAX_DEPTH - 1;
    this.atStatementStart = false;
    const st = this.state[d]!;
    if (code === 0x2e /* . */ && st === IN_NAME) {
      this.dotPending = true;
      return;
    }
    if (st === IN_NAME) this.commitName(d);
    if (code === 0x28 /* ( */) {
      // A subquery or function where a table is expected is an anonymous target.
      if (this.state[d] === EXPECT_TARGET) this.state[d] = AFTER_TARGET;
      this.depth++;
      if (this.depth < MAX_DEPTH) {
        this.state[this.depth] = NONE;
        this.flags[this.depth] = 0;
      }
    } else if (code === 0x29 /* ) */) {
      if (this.depth > 0) this.depth--;
    } else if (code === 0x2c /* , */) {
      const now = this.state[d];
      if ((now === AFTER_TARGET || now === AFTER_ALIAS) && this.flags[d]! & 1) this.state[d] = EXPECT_TARGET;
    } else if (this.state[d] !== EXPECT_TARGET) {
      this.state[d] = this.state[d] === DDL_KIND ? DDL_KIND : NONE;
    }
    this.prevWord = code === 0x2c ? ',' : '';
  }

  /** A literal, number or placeholder. */
  other(): void {
    if (this.passive) return;
    const d = this.depth < MAX_DEPTH ? this.depth : MAX_DEPTH - 1;
    this.atStatementStart = false;
    if (this.state[d] === IN_NAME) this.commitName(d);
    if (this.state[d] !== DDL_KIND) this.state[d] = NONE;
    this.prevWord = '';
  }

  result(): string | undefined {
    const d = this.depth < MAX_DEPTH ? this.depth : MAX_DEPTH - 1;
    if (!this.passive && this.state[d] === IN_NAME) this.commitName(d);
    return this.out === '' ? undefined : this.out;
  }

  private endStatement(): void {
    const d = this.depth < MAX_DEPTH ? this.depth : MAX_DEPTH - 1;
    if (!this.passive && this.state[d] === IN_NAME) this.commitName(d);
    this.depth = 0;
    this.state[0] = NONE;
    this.flags[0] = 0;
    this.atStatementStart = true;
    this.passive = false;
    this.statementOp = '';
    this.prevWord = '';
    this.afterExplain = false;
  }

  private op(d: number, start: number, end: number, upper: string): void {
    this.add(this.src.slice(start, end));
    this.flags[d] = upper === 'TRUNCATE' ? 3 : 2;
    this.state[d] = TARGET_OPS.has(upper) ? EXPECT_TARGET : NONE;
    this.prevWord = upper;
  }

  private startName(d: number, start: number, end: number): void {
    this.nameStart = start;
    this.nameEnd = end;
    this.dotPending = false;
    this.state[d] = IN_NAME;
  }

  /** Called with state IN_NAME: a word after a dot continues the name, anything else ends it. */
  private commitName(d: number): void {
    this.add(this.src.slice(this.nameStart, this.nameEnd));
    this.dotPending = false;
    this.state[d] = AFTER_TARGET;
  }

  private add(part: string): void {
    if (this.full) return;
    const length = this.out === '' ? part.length : this.out.length + 1 + part.length;
    if (length > SQL_SUMMARY_MAX) {
      this.full = true; // never cut inside an operation or a target: stop at the last whole one
      return;
    }
    this.out = this.out === '' ? part : this.out + ' ' + part;
  }
}
