// OTLP names, units and attribute keys to Prometheus names and labels, as the OpenTelemetry spec
// says (specification/compatibility/prometheus_and_openmetrics.md, "OTLP Metric points to
// Prometheus"): invalid characters become `_`, runs of `_` collapse to one, the unit becomes a
// suffix unless the name already has it, and monotonic sums end in `_total`.

import type { AttributeValue, Attributes } from '../../core/types.js';

// UCUM abbreviations to the full words Prometheus uses for base units.
const UNIT_WORDS: ReadonlyMap<string, string> = new Map([
  ['d', 'days'],
  ['h', 'hours'],
  ['min', 'minutes'],
  ['s', 'seconds'],
  ['ms', 'milliseconds'],
  ['us', 'microseconds'],
  ['ns', 'nanoseconds'],
  ['By', 'bytes'],
  ['KiBy', 'kibibytes'],
  ['MiBy', 'mebibytes'],
  ['GiBy', 'gibibytes'],
  ['TiBy', 'tibibytes'],
  ['KBy', 'kilobytes'],
  ['MBy', 'megabytes'],
  ['GBy', 'gigabytes'],
  ['TBy', 'terabytes'],
  ['m', 'meters'],
  ['V', 'volts'],
  ['A', 'amperes'],
  ['J', 'joules'],
  ['W', 'watts'],
  ['g', 'grams'],
  ['Cel', 'celsius'],
  ['Hz', 'hertz'],
  ['%', 'percent'],
]);

// The denominator of "foo/bar" is singular: By/s is bytes_per_second.
const PER_UNIT_WORDS: ReadonlyMap<string, string> = new Map([
  ['s', 'second'],
  ['m', 'minute'],
  ['h', 'hour'],
  ['d', 'day'],
  ['w', 'week'],
  ['mo', 'month'],
  ['y', 'year'],
]);

const INVALID_NAME_CHARS = /[^a-zA-Z0-9_:]+/g;
const INVALID_LABEL_CHARS = /[^a-zA-Z0-9_]+/g;
const UNDERSCORES = /_{2,}/g;
const BRACED = /\{[^}]*\}/g;
const EDGE_UNDERSCORES = /^_+|_+$/g;

/** `[a-zA-Z_:][a-zA-Z0-9_:]*`: invalid characters to `_`, one `_` per run, no leading digit. */
export function sanitizeMetricName(name: string): string {
  const out = name.replace(INVALID_NAME_CHARS, '_').replace(UNDERSCORES, '_');
  return out === '' || (out.charCodeAt(0) >= 48 && out.charCodeAt(0) <= 57) ? `_${out}` : out;
}

/** `[a-zA-Z_][a-zA-Z0-9_]*`, by the same rules as metric names. */
export function sanitizeLabelName(key: string): string {
  const out = key.replace(INVALID_LABEL_CHARS, '_').replace(UNDERSCORES, '_');
  return out === '' || (out.charCodeAt(0) >= 48 && out.charCodeAt(0) <= 57) ? `_${out}` : out;
}

function unitPart(part: string, words: ReadonlyMap<string, string>): string {
  const trimmed = part.trim();
  const word = words.get(trimmed) ?? trimmed;
  return word.replace(INVALID_LABEL_CHARS, '_').replace(UNDERSCORES, '_').replace(EDGE_UNDERSCORES, '');
}

/**
 * The Prometheus unit word for a UCUM unit: "s" -> "seconds", "By/s" -> "bytes_per_second",
 * "1" -> "ratio", and "" for annotations such as "{request}" (a count is unitless).
 */
export function prometheusUnit(unit: string): string {
  if (unit.trim() === '1') return 'ratio';
  const plain = unit.replace(BRACED, '');
  const slash = plain.indexOf('/');
  const main = unitPart(slash === -1 ? plain : plain.slice(0, slash), UNIT_WORDS);
  const per = slash === -1 ? '' : unitPart(plain.slice(slash + 1), PER_UNIT_WORDS);
  if (per === '') return main;
  return main === '' ? `per_${per}` : `${main}_per_${per}`;
}

/** The family name: sanitized, with the unit suffix (unless already in the name) and `_total` for counters. */
export function prometheusMetricName(name: string, unit: string, monotonicSum: boolean): string {
  let out = sanitizeMetricName(name);
  const suffix = prometheusUnit(unit);
  // "unless the metric name already contains the unit": compared as whole `_`-separated words.
  if (suffix !== '' && !`_${out}_`.includes(`_${suffix}_`)) out = `${out}_${suffix}`.replace(UNDERSCORES, '_');
  if (monotonicSum && !out.endsWith('_total')) out = `${out}_total`.replace(UNDERSCORES, '_');
  return out;
}

/** Attribute values as label strings: strings as they are, arrays as JSON (the attribute spec's rule). */
export function labelValue(value: AttributeValue): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return JSON.stringify(value);
  return String(value);
}

/**
 * Attributes as label pairs with sanitized names. Keys that sanitize to the same name are merged,
 * their values joined with `;` in the lexicographic order of the original keys (spec).
 */
export function toLabels(attributes: Attributes): [string, string][] {
  const keys = Object.keys(attributes);
  const out: [string, string][] = [];
  const seen = new Map<string, number>();
  keys.sort();
  for (const key of keys) {
    const value = attributes[key];
    if (value === undefined || value === null) continue;
    const name = sanitizeLabelName(key);
    const text = labelValue(value);
    const at = seen.get(name);
    if (at === undefined) {
      seen.set(name, out.length);
      out.push([name, text]);
    } else {
      out[at]![1] = `${out[at]![1]};${text}`;
    }
  }
  return out;
}
