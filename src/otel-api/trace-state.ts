// W3C tracestate as the API's TraceState: parsed leniently (invalid members dropped, at most 32
// kept, whole header ignored above 512 chars), and immutable (set/unset return a new one with the
// changed member first).

import type { TraceState } from '@opentelemetry/api';

const MAX_MEMBERS = 32;
const MAX_LENGTH = 512;
const KEY_CHARS = '[_0-9a-z-*/]';
const VALID_KEY = new RegExp(`^(?:[a-z]${KEY_CHARS}{0,255}|[a-z0-9]${KEY_CHARS}{0,240}@[a-z]${KEY_CHARS}{0,13})$`);
const VALID_VALUE = /^[ -~]{0,255}[!-~]$/;

function validMember(key: string, value: string): boolean {
  return VALID_KEY.test(key) && VALID_VALUE.test(value) && !value.includes(',') && !value.includes('=');
}

class W3CTraceState implements TraceState {
  /** Members in header order (first = most recently changed). */
  readonly #members: ReadonlyArray<readonly [string, string]>;

  constructor(members: ReadonlyArray<readonly [string, string]>) {
    this.#members = members;
  }

  get(key: string): string | undefined {
    for (const [k, v] of this.#members) if (k === key) return v;
    return undefined;
  }

  set(key: string, value: string): TraceState {
    return new W3CTraceState([[key, value], ...this.#members.filter(([k]) => k !== key)]);
  }

  unset(key: string): TraceState {
    return new W3CTraceState(this.#members.filter(([k]) => k !== key));
  }

  serialize(): string {
    return this.#members.map(([k, v]) => `${k}=${v}`).join(',');
  }
}

export function createTraceState(raw = ''): TraceState {
  const members: Array<readonly [string, string]> = [];
  if (raw.length <= MAX_LENGTH) {
    for (const part of raw.split(',')) {
      const member = part.trim();
      const eq = member.indexOf('=');
      if (eq === -1) continue;
      const key = member.slice(0, eq);
      const value = member.slice(eq + 1);
      if (!validMember(key, value)) continue;
      // A repeated key: the first occurrence wins.
      if (members.some(([k]) => k === key)) continue;
      members.push([key, value]);
    }
  }
  return new W3CTraceState(members.length > MAX_MEMBERS ? members.slice(0, MAX_MEMBERS) : members);
}
