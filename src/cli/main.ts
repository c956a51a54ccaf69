// otel-instrument [options] [--] <command> [args...]
// Flags become OTEL_* variables in the child's environment, NODE_OPTIONS gets our preloads, and the command
// runs as our child (src/cli/spawn.ts). Everything from the first non-option word on belongs to the command.

import type { Command } from 'commander';
import { describeConfig, type ConfigEntry } from '../config/load-config.js';
import { checkConfig } from './check-config.js';
import { SETTINGS, envNameForFlag, lookupFlag, normalizeFlagName } from './flags.js';
import { USAGE, helpText, helpWidth } from './help-text.js';
import { PACKAGE_VERSION } from '../package-info.js';
import { withPreloads } from './node-options.js';
import { runCommand } from './spawn.js';
import type { Config } from '../config/types.js';
import { CONSOLE_TREE_VAR, treeHasSpans, treeIsUsed } from '../export/console/tree/tree-config.js';
import { runView, runWithView } from './view-command.js';

const NAME = 'otel-instrument';
export const EXIT_USAGE = 2;

/** A bad command line: reported as one line on stderr, exit code 2. */
export class UsageError extends Error {}

export type ParsedArgs =
  | { readonly action: 'help' | 'version'; readonly text: string }
  | {
      readonly action: 'run' | 'print-config' | 'view';
      /** Variable -> value, from the flags (a later flag wins). */
      readonly flagEnv: ReadonlyMap<string, string>;
      readonly command: readonly string[];
      /** --view: the launcher hosts the local viewer and the app exports to it. */
      readonly view: boolean;
    };


const isOptionLike = (arg: string): boolean => arg.length > 1 && arg.startsWith('-');

/**
 * Finds where the command starts and rewrites the launcher's part for commander: every flag in its canonical
 * `--name=value` form (so `--flag=-x` and `--traces-exporter` need no special case there).
 */
function splitArgs(argv: readonly string[]): { launcher: string[]; generic: Set<string>; command: string[] } {
  const launcher: string[] = [];
  const generic = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') return { launcher, generic, command: argv.slice(i + 1) };
    if (!isOptionLike(arg)) return { launcher, generic, command: argv.slice(i) };
    if (!arg.startsWith('--')) {
      if (arg === '-h') launcher.push('--help');
      else if (arg === '-V' || arg === '-v') launcher.push('--version');
      else throw new UsageError(`unknown option '${arg}'`);
      continue;
    }
    const eq = arg.indexOf('=');
    const written = eq === -1 ? arg : arg.slice(0, eq);
    const name = normalizeFlagName(written.slice(2));
    if (name === undefined) throw new UsageError(`unknown option '${written}'`);
    if (name === 'help' || name === 'version' || name === 'print_config' || name === 'view') {
      if (eq !== -1) throw new UsageError(`option '${written}' does not take a value`);
      launcher.push(name === 'print_config' ? '--print-config' : `--${name}`);
      continue;
    }
    let value: string;
    if (eq !== -1) {
      value = arg.slice(eq + 1);
    } else {
      const next = argv[i + 1];
      if (next === undefined) throw new UsageError(`option '${written}' needs a value`);
      if (isOptionLike(next)) {
        throw new UsageError(`option '${written}' needs a value (for one that starts with '-', write ${written}=<value>)`);
      }
      value = next;
      i++;
    }
    const canonical = lookupFlag(name)?.flag ?? name;
    if (lookupFlag(canonical) === undefined) generic.add(canonical);
    launcher.push(`--${canonical}=${value}`);
  }
  return { launcher, generic, command: [] };
}

/** The launcher's own actions, which commander answers; the flags of a plain run need no parser. */
const ACTIONS = new Set(['--help', '--version', '--print-config', '--view']);

function buildProgram(generic: ReadonlySet<string>, writeOut: (text: string) => void): Command {
  // Loaded only here: a plain run never pays for it.
  const { Command, Option } = require('commander') as typeof import('commander');
  const program = new Command(NAME)
    .usage(USAGE)
    .description('Runs <command> with OpenTelemetry traces, metrics and logs, without code changes.')
    .helpOption('-h, --help', 'show this help and exit')
    .version(PACKAGE_VERSION, '-V, --version', 'print the version and exit')
    .addOption(new Option('--print-config', 'print the effective configuration (secrets masked) and exit'))
    .addOption(new Option('--view', 'run the local viewer and send the command telemetry to it'))
    .exitOverride()
    .configureOutput({ writeOut, writeErr: () => {}, outputError: () => {} });
  // Commander parses; --help is ours (help-text.ts), so these need no descriptions.
  for (const setting of SETTINGS.all) program.addOption(new Option(`--${setting.flag} <value>`));
  for (const name of generic) program.addOption(new Option(`--${name} <value>`));
  return program;
}

/** Parses the launcher's command line (help wrapped to `width`). Throws UsageError for anything malformed. */
export function parseArgs(argv: readonly string[], width = 80): ParsedArgs {
  const { launcher, generic, command } = splitArgs(argv);
  // splitArgs has checked every flag and written it as --name=value: commander would find nothing to say.
  if (!launcher.some((arg) => ACTIONS.has(arg))) return runArgs(launcher, command, false, false, width);
  let output = '';
  const program = buildProgram(generic, (text) => {
    output += text;
  });
  try {
    program.parse(launcher, { from: 'user' });
  } catch (error) {
    if (error instanceof (require('commander') as typeof import('commander')).CommanderError) {
      // Commander has written the help or the version through writeOut; we print it.
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.help') return { action: 'help', text: helpText(width) };
      if (error.code === 'commander.version') return { action: 'version', text: output };
      throw new UsageError(error.message.replace(/^error: /, ''));
    }
    throw error;
  }
  return runArgs(launcher, command, program.opts().view === true, program.opts().printConfig === true, width);
}

/** What to run, from splitArgs' canonical flags. */
function runArgs(launcher: readonly string[], command: string[], view: boolean, printConfig: boolean, width: number): ParsedArgs {
  const flagEnv = new Map<string, string>();
  for (const arg of launcher) {
    // In command-line order, so that a later flag wins.
    const match = /^--([a-z][a-z0-9_]*)=([\s\S]*)$/.exec(arg);
    if (match !== null) {
      flagEnv.delete(envNameForFlag(match[1]));
      flagEnv.set(envNameForFlag(match[1]), match[2]);
    }
  }
  // `otel-instrument [flags] view`, alone: the viewer without an app. Anything after it is ours to read,
  // not a command named `view` to run (Debian's is vim's read-only mode).
  if (command[0] === 'view') {
    if (command.length === 1) return { action: 'view', flagEnv, command: [], view };
    if (command[1] === '--help' || command[1] === '-h') return { action: 'help', text: helpText(width) };
    throw new UsageError(`'view' takes nothing after it: flags go before it (${NAME} [flags] view), and --view runs a command beside the viewer`);
  }
  return { action: printConfig ? 'print-config' : 'run', flagEnv, command, view };
}

/** The child's environment: ours, plus the flags' variables, plus NODE_OPTIONS preloads and our pid. */
export function childEnv(flagEnv: ReadonlyMap<string, string>, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const [name, value] of flagEnv) env[name] = value;
  env.NODE_OPTIONS = withPreloads(base.NODE_OPTIONS);
  env.OTEL_INSTRUMENT_LAUNCHER_PID = String(process.pid);
  return env;
}

/** Control characters escaped, so that each variable stays on one line. */
function oneLine(value: string): string {
  return value.replace(/[\x00-\x1f\x7f]/g, (c) => JSON.stringify(c).slice(1, -1));
}

function usageError(message: string): void {
  process.stderr.write(`${NAME}: ${message} (see ${NAME} --help)\n`);
  process.exitCode = EXIT_USAGE;
}

export function main(argv: readonly string[] = process.argv.slice(2)): void {
  let parsed: ParsedArgs;
  try {
    parsed = parseArgs(argv, helpWidth());
  } catch (error) {
    if (error instanceof UsageError) return usageError(error.message.split('\n')[0]);
    throw error;
  }
  if ('text' in parsed) {
    process.stdout.write(parsed.text);
    return;
  }
  start(parsed);
}

function start({ action, flagEnv, command, view }: Extract<ParsedArgs, { flagEnv: unknown }>): void {
  const env = childEnv(flagEnv);
  if (action === 'view') {
    checkConfig(env, new Set(flagEnv.keys()));
    return runView(env);
  }
  if (action === 'print-config') {
    const lines = describeConfig(env, new Set(flagEnv.keys()), SETTINGS.all).map(printConfigLine);
    process.stdout.write(`${lines.join('\n')}\n`);
    return;
  }
  const [file, ...args] = command;
  if (file === undefined || file === '') return usageError(`missing command (usage: ${NAME} ${USAGE})`);
  const config = checkConfig(env, new Set(flagEnv.keys()));
  const finishing = consoleTreeFor(config, env);
  if (view) runWithView(file, args, env, config.exitExportTimeoutMs, finishing);
  else runCommand(file, args, env, config.exitExportTimeoutMs, { finishing });
}

/** With the console tree format, the launcher prints the trees of every process it starts (console-tree-host.ts). */
function consoleTreeFor(config: Config, env: NodeJS.ProcessEnv): (() => Promise<void>) | undefined {
  if (config.sdkDisabled || !treeIsUsed(config)) return undefined;
  const { startConsoleTreeHost } = require('./console-tree-host.js') as typeof import('./console-tree-host.js');
  const host = startConsoleTreeHost(treeHasSpans(config));
  if (host === undefined) return undefined;
  env[CONSOLE_TREE_VAR] = host.path;
  return () => host.finish();
}

/** `NAME=value (source)`, plus why when the source alone does not say: `(default; "abc" is not ...)`. */
export function printConfigLine(entry: ConfigEntry): string {
  return `${entry.name}=${oneLine(entry.value)} (${[entry.source, ...entry.notes.map(oneLine)].join('; ')})`;
}
