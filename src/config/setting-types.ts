// The kinds of value a setting can hold, each a reader (from src/config/env-readers.ts, which carries
// the spec's parsing rules and the warnings) plus how --print-config shows the value.

import {
  type Env,
  type EnumListOptions,
  type IntOptions,
  type KeyValueListOptions,
  readBoolOrUndefined,
  readDurationChain,
  readEnumChain,
  readEnumList,
  readIntChain,
  readKeyValueList,
  readList,
  readNumber,
  readStringChain,
} from './env-readers.js';
import { maskHeaderValues, redactUrlSecrets } from '../diag/redact.js';
import type { SettingType } from './setting.js';

const showCount = (n: number): string => (n === Infinity ? 'unlimited' : String(n));
const showList = (items: readonly string[] | undefined, empty = ''): string =>
  items === undefined || items.length === 0 ? empty : items.join(',');

/** Free text (URL credentials redacted when shown). */
export const text: SettingType<string | undefined> = {
  read: (env, names, fallback) => readStringChain(env, names) ?? fallback,
  show: (value) => redactUrlSecrets(value ?? ''),
};

/** Spec Boolean: only "true"/"false" (any case); anything else warns and is false. First set variable wins. */
export const bool: SettingType<boolean> = {
  read(env, names, fallback) {
    for (const name of names) {
      const value = readBoolOrUndefined(env, name);
      if (value !== undefined) return value;
    }
    return fallback;
  },
  show: String,
  values: ['true', 'false'],
};

/** An integer in [min, max] (default [0, 2^31-1]); Infinity as the default means no limit. */
export function integer(options: IntOptions = {}): SettingType<number> {
  return { read: (env, names, fallback) => readIntChain(env, names, fallback, options), show: showCount };
}

/** Spec Duration/Timeout: integer milliseconds >= min (for timeouts, 0 means no limit). */
export function milliseconds(min = 0): SettingType<number> {
  return { read: (env, names, fallback) => readDurationChain(env, names, fallback, min), show: String };
}

/** A decimal number in [min, max]. */
export function decimal(min: number, max: number): SettingType<number> {
  return { read: (env, names, fallback) => readNumber(env, names[0]!, fallback, min, max), show: String };
}

/** One of `values`, case-insensitive. `unsupported`: spec values we do not implement (warned as such). */
export function oneOf<T extends string>(values: readonly T[], unsupported?: readonly string[]): SettingType<T> {
  return {
    read: (env, names, fallback) => readEnumChain(env, names, values, fallback, { unsupported }),
    show: (value) => value,
    values,
  };
}

/** A comma list of enum values; `none` alone is the empty list (shown as `none`). */
export function listOf<T extends string>(options: Omit<EnumListOptions<T>, 'fallback'>): SettingType<readonly T[]> {
  const values = [...options.allowed, ...Object.keys(options.expand ?? {}), ...(options.none === true ? ['none'] : [])];
  return {
    read: (env, names, fallback) => readEnumList(env, names[0]!, { ...options, fallback }),
    show: (value) => showList(value, 'none'),
    values,
  };
}

/** A free comma list (trimmed, empties dropped, lower-cased unless `lowerCase: false`); undefined when unset. */
export function names(options: { lowerCase?: boolean } = {}): SettingType<readonly string[] | undefined> {
  return { read: (env, vars, fallback) => readList(env, vars[0]!, options) ?? fallback, show: (value) => showList(value) };
}

/** `k1=v1,k2=v2`, percent-decoded. With `secret`, values are shown as `****`. */
export function keyValues(options: KeyValueListOptions, secret = false): SettingType<Readonly<Record<string, string>>> {
  return {
    read: (env, vars, fallback) => readKeyValueList(env, vars[0]!, options) ?? fallback,
    show: (value) =>
      secret
        ? maskHeaderValues(value)
        : Object.entries(value)
            .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
            .join(','),
  };
}

/** A URL (credentials and sensitive query parameters redacted when shown). Resolution is the caller's. */
export const url: SettingType<string> = {
  read: (env, vars, fallback) => readStringChain(env, vars) ?? fallback,
  show: redactUrlSecrets,
};

export type { Env };
