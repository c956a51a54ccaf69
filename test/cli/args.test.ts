import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setLogLevel } from '../../src/diag/log.js';
import { describeConfig } from '../../src/config/load-config.js';
import { FLAGS, SETTINGS, envNameForFlag, normalizeFlagName } from '../../src/cli/flags.js';
import { defaultTextOf } from '../../src/config/setting.js';
import { type ParsedArgs, UsageError, childEnv, parseArgs } from '../../src/cli/main.js';

setLogLevel('none');

function run(argv: string[]): { env: Record<string, string>; command: readonly string[]; action: string } {
  const parsed: ParsedArgs = parseArgs(argv);
  assert.ok('flagEnv' in parsed, `expected a run, got ${parsed.action}`);
  return { env: Object.fromEntries(parsed.flagEnv), command: parsed.command, action: parsed.action };
}

describe('flag names', () => {
  it('accept underscores, dashes and any case', () => {
    assert.equal(normalizeFlagName('traces-exporter'), 'traces_exporter');
    assert.equal(normalizeFlagName('Traces_Exporter'), 'traces_exporter');
  });
  it('reject names that cannot be variables', () => {
    for (const bad of ['', '-x', '1abc', 'a.b', 'a=b', 'é']) assert.equal(normalizeFlagName(bad), undefined, bad);
  });
  it('map to their variables by Python\'s rule', () => {
    assert.equal(envNameForFlag('service_name'), 'OTEL_SERVICE_NAME');
    assert.equal(envNameForFlag('enabled_instrumentations'), 'OTEL_NODE_ENABLED_INSTRUMENTATIONS');
    assert.equal(envNameForFlag('instrumentations'), 'OTEL_NODE_ENABLED_INSTRUMENTATIONS');
    assert.equal(envNameForFlag('resource_detectors'), 'OTEL_NODE_RESOURCE_DETECTORS');
    assert.equal(envNameForFlag('experimental_sdk_metrics'), 'OTEL_NODE_EXPERIMENTAL_SDK_METRICS');
    assert.equal(envNameForFlag('bsp_schedule_delay'), 'OTEL_BSP_SCHEDULE_DELAY');
    assert.equal(envNameForFlag('exporter_otlp_traces_endpoint'), 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  });
  it('follow the rule in the table too', () => {
    for (const spec of FLAGS) {
      const stripped = spec.env.replace(/^OTEL_(NODE_)?/, '').toLowerCase();
      assert.equal(spec.flag, stripped, spec.env);
    }
  });
  it('cover variables that --print-config lists, with the same defaults', () => {
    const described = new Map(describeConfig({}, new Set(), SETTINGS.all).map((e) => [e.name, e.value]));
    for (const spec of FLAGS) {
      assert.ok(described.has(spec.env), spec.env);
      // A default worded for people (`all`, both endpoints) is the table's choice; the others are the value itself.
      if (spec.defaultText === undefined) assert.equal(described.get(spec.env), defaultTextOf(spec), spec.env);
    }
  });
});

describe('parseArgs', () => {
  it('runs a command given without flags, and the launcher then does not load commander (it lives as long as the app)', () => {
    const main = join(__dirname, '..', '..', 'src', 'cli', 'main.js');
    const script = `const parsed = require(${JSON.stringify(main)}).parseArgs(['node', 'app.js', '--help']);
      const commander = Object.keys(require.cache).some((file) => /[\\/]commander[\\/]/.test(file));
      process.stdout.write(JSON.stringify({ parsed: { ...parsed, flagEnv: [...parsed.flagEnv] }, commander }));`;
    const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
    assert.deepEqual(out, { parsed: { action: 'run', flagEnv: [], command: ['node', 'app.js', '--help'], view: false }, commander: false });
  });
  it('tells the viewer alone from a command run under it, with or without other flags', () => {
    assert.deepEqual(parseArgs(['view']), { action: 'view', flagEnv: new Map(), command: [], view: false });
    assert.deepEqual(parseArgs(['--service_name=a', 'view']), { action: 'view', flagEnv: new Map([['OTEL_SERVICE_NAME', 'a']]), command: [], view: false });
    assert.deepEqual(parseArgs(['--view', 'node', 'a.js']), { action: 'run', flagEnv: new Map(), command: ['node', 'a.js'], view: true });
    assert.equal(parseArgs(['--print-config']).action, 'print-config');
  });
  it("reads what follows 'view' as ours: --help is the help, anything else a usage error, never a command named view", () => {
    assert.equal(parseArgs(['view', '--help']).action, 'help');
    assert.equal(parseArgs(['view', '-h']).action, 'help');
    assert.throws(() => parseArgs(['view', '--view_port', '9000']), (error: Error) => error instanceof UsageError && /flags go before it/.test(error.message));
    assert.throws(() => parseArgs(['view', 'node', 'app.js']), UsageError);
  });
  it('turns flags into variables and stops at the first non-option word', () => {
    const r = run(['--service_name', 'a', 'node', 'app.js', '--port', '3', '--service_name', 'b']);
    assert.deepEqual(r.env, { OTEL_SERVICE_NAME: 'a' });
    assert.deepEqual(r.command, ['node', 'app.js', '--port', '3', '--service_name', 'b']);
    assert.equal(r.action, 'run');
  });
  it('accepts --flag=value, dashes, the alias and any other OTEL_ variable', () => {
    const r = run([
      '--traces-exporter=console',
      '--resource_attributes=a=b,c=d',
      '--instrumentations',
      'http',
      '--bsp_schedule_delay',
      '200',
      '--exporter-otlp-traces-endpoint=http://x:4318',
      'node',
    ]);
    assert.deepEqual(r.env, {
      OTEL_TRACES_EXPORTER: 'console',
      OTEL_RESOURCE_ATTRIBUTES: 'a=b,c=d',
      OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http',
      OTEL_BSP_SCHEDULE_DELAY: '200',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://x:4318',
    });
  });
  it('lets a later flag win, whatever its spelling', () => {
    assert.deepEqual(run(['--traces_exporter', 'otlp', '--traces-exporter', 'console', 'node']).env, { OTEL_TRACES_EXPORTER: 'console' });
  });
  it('accepts values that start with a dash in the = form, and empty values', () => {
    assert.deepEqual(run(['--service_name=-x', '--log_level=', 'node']).env, { OTEL_SERVICE_NAME: '-x', OTEL_LOG_LEVEL: '' });
  });
  it('takes everything after -- as the command', () => {
    assert.deepEqual(run(['--service_name', 'a', '--', '--weird', 'x']).command, ['--weird', 'x']);
    assert.deepEqual(run(['--']).command, []);
  });
  it('recognises --print-config in both spellings, with or without a command', () => {
    assert.equal(run(['--print-config']).action, 'print-config');
    assert.equal(run(['--print_config', 'node', 'app.js']).action, 'print-config');
  });
  it('recognises help and version', () => {
    for (const argv of [['--help'], ['-h'], ['--service_name', 'a', '--help']]) assert.equal(parseArgs(argv).action, 'help');
    for (const argv of [['--version'], ['-V'], ['-v']]) assert.equal(parseArgs(argv).action, 'version');
  });
  it('rejects unknown short options, malformed names and missing values', () => {
    const cases: Array<[string[], RegExp]> = [
      [['-x', 'node'], /^unknown option '-x'$/],
      [['--a.b', 'node'], /^unknown option '--a\.b'$/],
      [['---x', 'node'], /^unknown option '---x'$/],
      [['--=3', 'node'], /^unknown option '--'$/],
      [['--service_name'], /^option '--service_name' needs a value$/],
      [['--service_name', '--traces_exporter', 'x', 'node'], /^option '--service_name' needs a value \(for one that starts/],
      [['--help=1'], /does not take a value/],
    ];
    for (const [argv, message] of cases) {
      assert.throws(() => parseArgs(argv), (error: unknown) => error instanceof UsageError && message.test(error.message), argv.join(' '));
    }
  });
});

describe('childEnv', () => {
  it('copies the environment, applies the flags and adds our preloads and pid', () => {
    const base = { PATH: '/bin', OTEL_SERVICE_NAME: 'env', NODE_OPTIONS: '--max-old-space-size=64' };
    const env = childEnv(new Map([['OTEL_SERVICE_NAME', 'flag']]), base);
    assert.equal(env.OTEL_SERVICE_NAME, 'flag');
    assert.equal(env.PATH, '/bin');
    assert.match(env.NODE_OPTIONS ?? '', /^--require \S+register\.js .*--max-old-space-size=64$/);
    assert.equal(env.OTEL_INSTRUMENT_LAUNCHER_PID, String(process.pid));
    assert.equal(base.OTEL_SERVICE_NAME, 'env');
  });
});
