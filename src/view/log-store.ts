// Log records in arrival order, bounded: past maxLogs the oldest go first.

import type { LogRecord } from './records.js';

export interface LogFilter {
  /** Lowest SeverityNumber shown (logs data model: 1-4 TRACE, 5-8 DEBUG, 9-12 INFO, 13-16 WARN, 17-20 ERROR, 21-24 FATAL). */
  readonly minSeverity?: number;
  /** Found in the body, severity text or an attribute value (case-insensitive). */
  readonly text?: string;
  readonly service?: string;
  readonly traceId?: string;
  readonly limit?: number;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value) ?? '';
}

export class LogStore {
  #records: LogRecord[] = [];
  /** Index of the oldest kept record: dropping from the front is a counter, compacted now and then. */
  #head = 0;
  #seq = 0;

  constructor(readonly maxLogs: number) {}

  get count(): number {
    return this.#records.length - this.#head;
  }

  nextSeq(): number {
    return ++this.#seq;
  }

  add(records: readonly LogRecord[]): void {
    for (const record of records) {
      this.#records.push(record);
      if (record.seq > this.#seq) this.#seq = record.seq;
    }
    const over = this.count - this.maxLogs;
    if (over > 0) this.#head += over;
    if (this.#head > 4096 && this.#head > this.#records.length / 2) {
      this.#records = this.#records.slice(this.#head);
      this.#head = 0;
    }
  }

  *all(): Iterable<LogRecord> {
    for (let i = this.#head; i < this.#records.length; i++) yield this.#records[i]!;
  }

  /** Matching records, the newest first. */
  list(filter: LogFilter = {}): LogRecord[] {
    const needle = filter.text?.trim().toLowerCase() ?? '';
    const limit = filter.limit ?? Infinity;
    const out: LogRecord[] = [];
    for (let i = this.#records.length - 1; i >= this.#head && out.length < limit; i--) {
      const r = this.#records[i]!;
      if (filter.traceId !== undefined && r.traceId !== filter.traceId) continue;
      if (filter.minSeverity !== undefined && r.severityNumber < filter.minSeverity && r.severityNumber !== 0) continue;
      if (filter.service && r.resource.service !== filter.service) continue;
      if (needle !== '' && !matches(r, needle)) continue;
      out.push(r);
    }
    return out;
  }
}

function matches(r: LogRecord, needle: string): boolean {
  if (text(r.body).toLowerCase().includes(needle) || r.severityText.toLowerCase().includes(needle)) return true;
  for (const key in r.attributes) if (text(r.attributes[key]).toLowerCase().includes(needle)) return true;
  return r.traceId === needle;
}
