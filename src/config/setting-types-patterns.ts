// Setting kinds for lists of regular expressions (instrumentation options such as excluded URLs and
// captured headers). Patterns are compiled once, when the configuration is read; a pattern that does
// not compile warns once and is left out.

import { readList, warnInvalid } from './env-readers.js';
import type { SettingType } from './setting.js';

/** Names (lower-case) and patterns; a name matches if it equals one or a pattern matches it whole. */
export interface NamePatterns {
  readonly names: readonly string[];
  readonly patterns: readonly RegExp[];
}

const REGEX_CHARS = /[\\^$.*+?()[\]{}|]/;

function compile(variable: string, source: string, flags: string): RegExp | undefined {
  try {
    return new RegExp(source, flags);
  } catch {
    warnInvalid(variable, source, 'a regular expression', 'nothing for this entry');
    return undefined;
  }
}

/** A comma list of case-insensitive names, or regular expressions matched against the whole name. */
export const namesOrPatterns: SettingType<NamePatterns | undefined> = {
  read(env, vars, fallback) {
    const variable = vars[0]!;
    const items = readList(env, variable);
    if (items === undefined) return fallback;
    const names: string[] = [];
    const patterns: RegExp[] = [];
    for (const item of items) {
      if (!REGEX_CHARS.test(item)) names.push(item);
      else {
        const pattern = compile(variable, `^(?:${item})$`, 'i');
        if (pattern !== undefined) patterns.push(pattern);
      }
    }
    return names.length + patterns.length === 0 ? fallback : { names, patterns };
  },
  show: (value) => (value === undefined ? '' : [...value.names, ...value.patterns.map((p) => p.source.slice(4, -2))].join(',')),
};

/** A comma list of regular expressions (case-sensitive, searched anywhere); the first set variable wins. */
export const patternList: SettingType<readonly RegExp[]> = {
  read(env, vars, fallback) {
    for (const variable of vars) {
      const items = readList(env, variable, { lowerCase: false });
      if (items === undefined) continue;
      const out: RegExp[] = [];
      for (const item of items) {
        const pattern = compile(variable, item, '');
        if (pattern !== undefined) out.push(pattern);
      }
      return out;
    }
    return fallback;
  },
  show: (value) => value.map((p) => p.source).join(','),
};
