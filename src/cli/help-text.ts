// `otel-instrument --help`: the settings table, grouped, each setting with its flag, variable, default
// and allowed values, wrapped to the terminal's width (80 columns when stdout is not a terminal).

import { SETTING_GROUPS, type Setting, defaultTextOf } from '../config/setting.js';
import { FLAGS } from './flags.js';

const NAME = 'otel-instrument';
export const USAGE = '[options] [--] <command> [args...]';
const INDENT = '      ';

/** The width to wrap to: the terminal's, or 80 when stdout is a pipe or a file. */
export function helpWidth(stdout: { isTTY?: boolean; columns?: number } = process.stdout): number {
  const columns = stdout.isTTY === true ? stdout.columns : undefined;
  return Math.max(40, columns !== undefined && columns > 0 ? columns : 80);
}

/** Words joined into lines of at most `width` characters, each starting with `indent` (a longer word stays whole). */
export function wrap(text: string, width: number, indent: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (word === '') continue;
    if (line !== '' && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(indent + line);
  return lines;
}

function describeSetting(setting: Setting, width: number): string[] {
  const aliases = (setting.aliases ?? []).map((alias) => `, --${alias} <value>`).join('');
  const details = [setting.env];
  const defaultText = defaultTextOf(setting);
  if (defaultText !== '') details.push(`default: ${defaultText}`);
  if (setting.type.values !== undefined) details.push(`values: ${setting.type.values.join(', ')}`);
  if (setting.perSignal === true) details.push('also per signal: --exporter_otlp_{traces,metrics,logs}_' + setting.flag.slice('exporter_otlp_'.length));
  if (setting.fallsBackTo !== undefined && setting.fallsBackTo.length > 0) details.push(`else ${setting.fallsBackTo.join(', ')}`);
  return [
    ...wrap(`--${setting.flag} <value>${aliases}`, width, '  '),
    ...wrap(setting.help, width, INDENT),
    ...wrap(details.join('; '), width, INDENT),
  ];
}

/** The whole --help text, ending with a newline. */
export function helpText(width: number): string {
  const out: string[] = [
    ...wrap(`Usage: ${NAME} ${USAGE}`, width, ''),
    '',
    ...wrap('Runs <command> with OpenTelemetry traces, metrics and logs, without code changes.', width, ''),
    '',
    'Options:',
    '  -h, --help',
    ...wrap('show this help and exit', width, INDENT),
    '  -V, --version',
    ...wrap('print the version and exit', width, INDENT),
    '  --print-config',
    ...wrap('print the effective configuration (secrets masked, each value with its source) and exit', width, INDENT),
    '  --view',
    ...wrap('run the local viewer beside <command> and send its traces, metrics and logs there (the page URL is printed on stderr)', width, INDENT),
    '  view',
    ...wrap(`as the command (${NAME} view): the local viewer alone, an OTLP receiver (gRPC 4317, HTTP 4318) and its page, until Ctrl-C`, width, INDENT),
  ];
  for (const [group, title] of Object.entries(SETTING_GROUPS)) {
    const settings = FLAGS.filter((setting) => setting.group === group);
    if (settings.length === 0) continue;
    out.push('', `${title}:`);
    for (const setting of settings) out.push(...describeSetting(setting, width));
  }
  out.push(
    '',
    ...wrap('Each flag can also be written with dashes (--traces-exporter) and as --flag=value.', width, ''),
    ...wrap('Any other --<name> <value> sets OTEL_<NAME>, e.g. --exporter_otlp_traces_endpoint sets OTEL_EXPORTER_OTLP_TRACES_ENDPOINT.', width, ''),
    ...wrap('A flag overrides the variable. Everything from the first non-option word (or after --) is the command.', width, ''),
    '',
    'Examples:',
    ...wrap(`${NAME} --service_name api node server.js --port 3000`, width, '  '),
    ...wrap(`${NAME} --traces_exporter console --metrics_exporter none npm start`, width, '  '),
    ...wrap(`${NAME} --print-config`, width, '  '),
    ...wrap(`${NAME} --view node app.js`, width, '  '),
  );
  return `${out.join('\n')}\n`;
}
