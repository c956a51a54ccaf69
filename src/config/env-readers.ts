// Typed readers for OTEL_* variables, following the spec's parsing rules
// (configuration/sdk-environment-variables.md, "Parsing empty value" and "Configuration types"):
// - empty (or blank) = unset;
// - Boolean: only case-insensitive "true" is true; "false" is false; anything else warns and is false;
// - numbers that do not parse or are out of range warn and are ignored (the default, or the next variable
//   in a fallback chain, applies);
// - enums are case-insensitive; an unknown value warns and is ignored.
// Readers never throw. Each warning is one line naming the variable, emitted once per variable+value.
// Secret-bearing variables (headers) never have their value echoed.

import { warnConfig } from './config-warnings.js';

export type Env = Readonly<Record<string, string | undefined>>;

export const INT32_MAX = 2 ** 31 - 1;

// ---------------------------------------------------------------------------------------------------------
// Provenance: which variables actually determined a value (for --print-config). Opt-in per env object.

const acceptedByEnv = new WeakMap<Env, Set<string>>();

/** Starts recording, for this env object, the variables whose values were accepted by a reader. */
export function trackAcceptedVars(env: Env): ReadonlySet<string> {
  let set = acceptedByEnv.get(env);
  if (set === undefined) {
    set = new Set();
    acceptedByEnv.set(env, set);
  }
  return set;
}

/** Records that `name`'s value was used (only if tracking was enabled for `env`). */
export function markAccepted(env: Env, name: string): void {
  acceptedByEnv.get(env)?.add(name);
}

const rejectedByEnv = new WeakMap<Env, Map<string, string>>();

/** Starts recording, for this env object, why set variables were rejected (variable -> reason, no secrets). */
export function trackRejectedVars(env: Env): ReadonlyMap<string, string> {
  let map = rejectedByEnv.get(env);
  if (map === undefined) {
    map = new Map();
    rejectedByEnv.set(env, map);
  }
  return map;
}

/**
 * Records why `name`'s value was not used, for --print-config: `"abc" is not a positive integer`.
 * `shown` must already be safe to print (redacted URL, or no value at all for secrets).
 */
export function markRejected(env: Env, name: string, shown: string | undefined, expected: string): void {
  const map = rejectedByEnv.get(env);
  if (map === undefined || map.has(name)) return;
  const what = expected.startsWith('expected ') ? expected.slice('expected '.length) : undefined;
  map.set(name, shown === undefined || what === undefined ? expected : `${showValue(shown)} is not ${what}`);
}

// ---------------------------------------------------------------------------------------------------------
// Warnings

const MAX_SHOWN = 120;

/** A value as shown in a warning: JSON-quoted (so one line), truncated. */
export function showValue(raw: string): string {
  return JSON.stringify(raw.length > MAX_SHOWN ? `${raw.slice(0, MAX_SHOWN)}...` : raw);
}

/**
 * `invalid NAME="value" (expected ...); using X`, deduplicated by variable and value for the life of the
 * process. Never call it with a secret value: header lists report entry positions instead (readKeyValueList),
 * URLs are passed through redactUrlSecrets (src/diag/redact.ts) first.
 */
export function warnInvalid(name: string, raw: string, expected: string, using: string): void {
  warnConfig(`config:${name}=${raw}`, `invalid ${name}=${showValue(raw)} (${expected}); using ${using}`);
}

// ---------------------------------------------------------------------------------------------------------
// Raw access

/** The trimmed value, or undefined when unset, empty or blank. Does not mark the variable as accepted. */
export function readRaw(env: Env, name: string): string | undefined {
  const value = env[name];
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** A free-form string (trimmed); undefined when unset or empty. */
export function readString(env: Env, name: string): string | undefined {
  const value = readRaw(env, name);
  if (value !== undefined) markAccepted(env, name);
  return value;
}

/** The first set variable of `names` (e.g. per-signal, then generic). */
export function readStringChain(env: Env, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = readString(env, name);
    if (value !== undefined) return value;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Booleans

/**
 * Spec Boolean: unset/empty -> undefined; "true"/"false" (any case) -> true/false; anything else -> warning, false
 * (the spec says any value other than true MUST be interpreted as false).
 */
export function readBoolOrUndefined(env: Env, name: string): boolean | undefined {
  const raw = readRaw(env, name);
  if (raw === undefined) return undefined;
  const lower = raw.toLowerCase();
  if (lower === 'true' || lower === 'false') {
    markAccepted(env, name);
    return lower === 'true';
  }
  warnInvalid(name, raw, 'expected true or false', 'false');
  markRejected(env, name, raw, 'expected true or false');
  return false;
}

/** Spec Boolean with its mandated default, false. */
export function readBool(env: Env, name: string): boolean {
  return readBoolOrUndefined(env, name) ?? false;
}

// ---------------------------------------------------------------------------------------------------------
// Generic fallback chain

type Parser<T> = (raw: string) => T | undefined;

/**
 * The value of the first variable in `names` that is set and valid, else `fallback`. Each set-but-invalid
 * variable gets one warning saying which value is used instead.
 */
function readChain<T>(
  env: Env,
  names: readonly string[],
  parse: Parser<T>,
  fallback: T,
  expected: string | ((raw: string) => string),
  show: (value: T) => string,
  silent = false,
): T {
  let invalid: Array<[string, string]> | undefined;
  let result = fallback;
  for (const name of names) {
    const raw = readRaw(env, name);
    if (raw === undefined) continue;
    const value = parse(raw);
    if (value === undefined) {
      (invalid ??= []).push([name, raw]);
      continue;
    }
    markAccepted(env, name);
    result = value;
    break;
  }
  if (invalid !== undefined && !silent) {
    for (const [name, raw] of invalid) {
      warnInvalid(name, raw, typeof expected === 'string' ? expected : expected(raw), show(result));
    }
  }
  for (const [name, raw] of invalid ?? []) markRejected(env, name, raw, typeof expected === 'string' ? expected : expected(raw));
  return result;
}

const showNumber = (n: number): string => (n === Infinity ? 'no limit' : String(n));

// ---------------------------------------------------------------------------------------------------------
// Integers and durations

export interface IntOptions {
  /** Inclusive; default 0. */
  readonly min?: number;
  /** Inclusive; default 2^31-1. */
  readonly max?: number;
}

const DIGITS = /^\d+$/;

function intParser(min: number, max: number): Parser<number> {
  return (raw) => {
    if (!DIGITS.test(raw)) return undefined;
    const n = Number(raw);
    return n >= min && n <= max ? n : undefined;
  };
}

function expectedInt(min: number, max: number, unit = ''): (raw: string) => string {
  let what: string;
  if (max !== INT32_MAX) what = `an integer from ${min} to ${max}`;
  else what = min === 0 ? 'a non-negative integer' : min === 1 ? 'a positive integer' : `an integer >= ${min}`;
  return (raw) => {
    const tooBig = DIGITS.test(raw) && max === INT32_MAX && Number(raw) > max;
    return `expected ${what}${unit}${tooBig ? ` <= ${max}` : ''}`;
  };
}

/**
 * Integer in [min, max] (default [0, 2^31-1]); first valid variable of `names` wins, else `fallback`.
 * Pass `Infinity` as fallback for "no limit" defaults.
 */
export function readIntChain(env: Env, names: readonly string[], fallback: number, options: IntOptions = {}): number {
  const min = options.min ?? 0;
  const max = options.max ?? INT32_MAX;
  return readChain(env, names, intParser(min, max), fallback, expectedInt(min, max), showNumber);
}

/** Integer in [min, max] (default [0, 2^31-1]), else `fallback` (with a warning when set but invalid). */
export function readInt(env: Env, name: string, fallback: number, options: IntOptions = {}): number {
  return readIntChain(env, [name], fallback, options);
}

/**
 * Spec Duration/Timeout: an integer number of milliseconds, >= `min` (default 0; for timeouts 0 means no limit).
 * Negative or unparsable values warn and are ignored.
 */
export function readDurationChain(env: Env, names: readonly string[], fallback: number, min = 0): number {
  return readChain(
    env,
    names,
    intParser(min, INT32_MAX),
    fallback,
    expectedInt(min, INT32_MAX, ' of milliseconds'),
    showNumber,
  );
}

export function readDuration(env: Env, name: string, fallback: number, min = 0): number {
  return readDurationChain(env, [name], fallback, min);
}

// ---------------------------------------------------------------------------------------------------------
// Decimal numbers

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;

/** A decimal number in [min, max], else `fallback`. */
export function readNumber(env: Env, name: string, fallback: number, min: number, max: number): number {
  return readChain(
    env,
    [name],
    (raw) => {
      if (!DECIMAL.test(raw)) return undefined;
      const n = Number(raw);
      return n >= min && n <= max ? n : undefined;
    },
    fallback,
    `expected a number from ${min} to ${max}`,
    String,
  );
}

// ---------------------------------------------------------------------------------------------------------
// Enums

export interface EnumOptions {
  /** Values the spec defines but we do not implement: warned as "not supported" rather than "unknown". */
  readonly unsupported?: readonly string[];
  /** Do not warn (someone else already did). */
  readonly silent?: boolean;
}

/** Case-insensitive enum; first valid variable of `names` wins, else `fallback`. */
export function readEnumChain<T extends string>(
  env: Env,
  names: readonly string[],
  allowed: readonly T[],
  fallback: T,
  options: EnumOptions = {},
): T {
  const parse: Parser<T> = (raw) => {
    const lower = raw.toLowerCase();
    return (allowed as readonly string[]).includes(lower) ? (lower as T) : undefined;
  };
  const expected = (raw: string): string => {
    const lower = raw.toLowerCase();
    return options.unsupported?.includes(lower)
      ? `${showValue(lower)} is not supported by otel-instrument; supported: ${allowed.join(', ')}`
      : `expected one of ${allowed.join(', ')}`;
  };
  return readChain(env, names, parse, fallback, expected, (value) => value, options.silent === true);
}

export function readEnum<T extends string>(
  env: Env,
  name: string,
  allowed: readonly T[],
  fallback: T,
  options: EnumOptions = {},
): T {
  return readEnumChain(env, [name], allowed, fallback, options);
}

// ---------------------------------------------------------------------------------------------------------
// Lists

/** Splits a comma list: trimmed, empty items dropped. */
export function splitList(raw: string): string[] {
  const out: string[] = [];
  for (const item of raw.split(',')) {
    const trimmed = item.trim();
    if (trimmed !== '') out.push(trimmed);
  }
  return out;
}

/**
 * A comma-separated list (trimmed items, empties dropped, lower-cased unless `lowerCase: false`);
 * undefined when unset or when no item remains.
 */
export function readList(env: Env, name: string, options: { lowerCase?: boolean } = {}): string[] | undefined {
  const raw = readRaw(env, name);
  if (raw === undefined) return undefined;
  const items = splitList(options.lowerCase === false ? raw : raw.toLowerCase());
  if (items.length === 0) return undefined;
  markAccepted(env, name);
  return items;
}

export interface EnumListOptions<T extends string> {
  readonly allowed: readonly T[];
  readonly fallback: readonly T[];
  /** Spec values we do not implement: warned as "not supported". */
  readonly unsupported?: readonly string[];
  /** Accept `none` (alone) as the empty list. */
  readonly none?: boolean;
  /** Names that stand for several values, e.g. `all`. */
  readonly expand?: Readonly<Record<string, readonly T[]>>;
}

/**
 * A case-insensitive comma list of enum values, de-duplicated, in order. `none` alone -> []. Unknown or
 * unsupported items warn and are skipped; `none` mixed with other values warns and is skipped. When no
 * usable item remains, `fallback` applies (with a warning).
 */
export function readEnumList<T extends string>(env: Env, name: string, options: EnumListOptions<T>): T[] {
  const raw = readRaw(env, name);
  if (raw === undefined) return [...options.fallback];
  const items = splitList(raw.toLowerCase());
  if (items.length === 0) return [...options.fallback];
  if (options.none === true && items.every((item) => item === 'none')) {
    markAccepted(env, name);
    return [];
  }
  const allowedText = [...options.allowed, ...Object.keys(options.expand ?? {}), ...(options.none === true ? ['none'] : [])].join(', ');
  const out: T[] = [];
  const add = (value: T): void => {
    if (!out.includes(value)) out.push(value);
  };
  // Problems are said after the loop: when nothing usable remains, one line says it all.
  const problems: Array<[item: string, message: string]> = [];
  for (const item of items) {
    const expansion = options.expand?.[item];
    if (expansion !== undefined && Object.prototype.hasOwnProperty.call(options.expand, item)) {
      for (const value of expansion) add(value);
    } else if ((options.allowed as readonly string[]).includes(item)) {
      add(item as T);
    } else if (item === 'none' && options.none === true) {
      problems.push(['none', `${name}: "none" combined with other values is ignored`]);
    } else if (options.unsupported?.includes(item)) {
      problems.push([item, `${name}: ${showValue(item)} is not supported by otel-instrument; ignoring it`]);
    } else {
      problems.push([item, `${name}: unknown value ${showValue(item)} (expected ${allowedText}); ignoring it`]);
    }
  }
  if (out.length === 0) {
    const using = options.fallback.length === 0 ? 'none' : options.fallback.join(',');
    const unsupported = problems.length === 1 && options.unsupported?.includes(problems[0]![0]) === true;
    const expected = unsupported
      ? `${showValue(problems[0]![0])} is not supported by otel-instrument; supported: ${allowedText}`
      : `expected ${allowedText}`;
    warnConfig(`config:${name}=${raw}`, `invalid ${name}=${showValue(raw)} (${expected}); using ${using}`);
    markRejected(env, name, raw, unsupported ? expected : `expected a comma list of ${allowedText}`);
    return [...options.fallback];
  }
  for (const [item, message] of problems) warnConfig(`config:${name}=${raw}:${item}`, message);
  markAccepted(env, name);
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Key-value lists (W3C-baggage-like, percent-decoded): OTEL_EXPORTER_OTLP_HEADERS, OTEL_RESOURCE_ATTRIBUTES

export interface KeyValueListOptions {
  /**
   * 'skip': a malformed entry is skipped with a warning (headers).
   * 'discard': any error discards the whole value with a warning (OTEL_RESOURCE_ATTRIBUTES, per resource/sdk.md).
   */
  readonly onError: 'skip' | 'discard';
  /** Extra check on a decoded pair; returns the reason it is invalid, or undefined. */
  readonly validate?: (key: string, value: string) => string | undefined;
  /** Lower-case the decoded keys (header names). */
  readonly lowerCaseKeys?: boolean;
}

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/**
 * Parses `k1=v1,k2=v2` with percent-decoded keys and values (keys and values trimmed; empty entries, e.g. a
 * trailing comma, ignored). Returns undefined when unset, or when discarded. Warnings name the variable and
 * the entry's position, never a value.
 */
export function readKeyValueList(env: Env, name: string, options: KeyValueListOptions): Record<string, string> | undefined {
  const raw = readRaw(env, name);
  if (raw === undefined) return undefined;
  const pairs: Array<[string, string]> = [];
  let position = 0;
  for (const member of raw.split(',')) {
    const entry = member.trim();
    if (entry === '') continue;
    position++;
    const problem = parseMember(entry, options, pairs);
    if (problem === undefined) continue;
    if (options.onError === 'discard') {
      warnConfig(`config:${name}=${raw}`, `invalid ${name}: entry ${position} ${problem}; discarding the whole value`);
      markRejected(env, name, undefined, `entry ${position} ${problem}`);
      return undefined;
    }
    warnConfig(`config:${name}=${raw}:${position}`, `invalid ${name}: entry ${position} ${problem}; skipping it`);
  }
  if (pairs.length > 0) markAccepted(env, name);
  return Object.fromEntries(pairs);
}

function parseMember(entry: string, options: KeyValueListOptions, pairs: Array<[string, string]>): string | undefined {
  const eq = entry.indexOf('=');
  if (eq === -1) return 'is not of the form key=value';
  const rawKey = entry.slice(0, eq).trim();
  if (rawKey === '') return 'has an empty key';
  let key = decode(rawKey);
  const value = decode(entry.slice(eq + 1).trim());
  if (key === undefined || value === undefined) {
    return `has invalid percent-encoding in its ${key === undefined ? 'key' : 'value'}`;
  }
  key = key.trim();
  if (key === '') return 'has an empty key';
  if (options.lowerCaseKeys === true) key = key.toLowerCase();
  const reason = options.validate?.(key, value);
  if (reason !== undefined) return reason;
  pairs.push([key, value]);
  return undefined;
}
