// Just enough semver for instrumentation ranges: space-separated comparators
// ('>=4.0.0 <6'), '||' alternatives, '*' and 'x'. A pre-release is compared as its release, so
// 5.0.0-beta.1 is in '>=5 <6' and not in '<5.0.0': a library's pre-release already has the next major's
// API, so it belongs with the major it leads to (node-semver, by contrast, matches no pre-release at all
// unless a comparator names one).

function parse(version: string): number[] | undefined {
  const match = /^v?(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?/.exec(version.trim());
  if (match === null) return undefined;
  return [match[1], match[2], match[3]].map((part) => (part === undefined || part === 'x' || part === '*' ? 0 : Number(part)));
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

function satisfiesComparator(version: number[], comparator: string): boolean {
  if (comparator === '*' || comparator === '' || comparator === 'x') return true;
  const match = /^(>=|<=|>|<|=)?(.*)$/.exec(comparator)!;
  const bound = parse(match[2]!);
  if (bound === undefined) return false;
  const order = compare(version, bound);
  switch (match[1]) {
    case '>=':
      return order >= 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '<':
      return order < 0;
    default:
      return order === 0;
  }
}

export function satisfies(version: string | undefined, range: string): boolean {
  if (range.trim() === '*') return true;
  if (version === undefined) return false;
  const parsed = parse(version);
  if (parsed === undefined) return false;
  return range.split('||').some((alternative) =>
    alternative.trim().split(/\s+/).every((comparator) => satisfiesComparator(parsed, comparator)),
  );
}
