// Colors only where a person looks at a terminal: on a TTY, unless NO_COLOR (https://no-color.org)
// or TERM=dumb says no; FORCE_COLOR turns them on for a pipe (or off with 0). Lines are cut to the
// terminal's width there too, so that a long URL or log body does not wrap the tree out of shape.

export interface TreeStyle {
  readonly color: boolean;
  /** Columns to fit each line into; undefined: no limit (a pipe or a file keeps every character). */
  readonly width: number | undefined;
}

export const PLAIN: TreeStyle = { color: false, width: undefined };

export function terminalStyle(
  stream: { readonly isTTY?: boolean; readonly columns?: number },
  env: NodeJS.ProcessEnv,
): TreeStyle {
  const tty = stream.isTTY === true;
  let color = tty && env.TERM !== 'dumb';
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') color = force !== '0' && force !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') color = false;
  const columns = tty && typeof stream.columns === 'number' && stream.columns >= 40 ? stream.columns : undefined;
  return { color, width: columns };
}

export type Paint = 'dim' | 'bold' | 'red' | 'yellow' | 'green' | 'cyan' | 'magenta';

const CODES: Record<Paint, [number, number]> = {
  dim: [2, 22],
  bold: [1, 22],
  red: [31, 39],
  yellow: [33, 39],
  green: [32, 39],
  cyan: [36, 39],
  magenta: [35, 39],
};

export function paint(style: TreeStyle, how: Paint | undefined, text: string): string {
  if (!style.color || how === undefined || text === '') return text;
  const [on, off] = CODES[how];
  return `\u001b[${on}m${text}\u001b[${off}m`;
}
