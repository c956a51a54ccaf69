// Every variable we read, tried with empty, garbage, negative, huge and wrong-type
// values. Configuration never throws; each warning is one line that names the variable it is about;
// secrets (header values) are never echoed.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { describeConfig } from '../../src/config/load-config.js';

const LOAD_CONFIG = join(__dirname, '..', '..', 'src', 'config', 'load-config.js');
const BAD_VALUES = ['', 'garbage \u2603', '-1', '99999999999999999999999', '1e309', 'true,false', '=;,'];

/** Every variable describeConfig reports: the ones we read. */
const VARIABLES = describeConfig({}, new Set()).map((entry) => entry.name);

/** In one child: for each variable, loadConfig with only that variable set to `value`; stderr split per variable. */
function warningsPerVariable(value: string): Map<string, string[]> {
  const code = `
    const { writeSync } = require('node:fs');
    const { loadConfig } = require(${JSON.stringify(LOAD_CONFIG)});
    for (const name of ${JSON.stringify(VARIABLES)}) {
      writeSync(2, '@@' + name + '\\n');
      loadConfig({ [name]: ${JSON.stringify(value)} });
    }`;
  const result = spawnSync(process.execPath, ['-e', code], { env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8', timeout: 20_000 });
  assert.equal(result.status, 0, `loadConfig threw for ${JSON.stringify(value)}: ${result.stderr}`);
  const sections = new Map<string, string[]>();
  let current = '';
  for (const line of result.stderr.split('\n')) {
    if (line.startsWith('@@')) sections.set((current = line.slice(2)), []);
    else if (line !== '') sections.get(current)!.push(line);
  }
  return sections;
}

describe('bad values for every variable', () => {
  it('covers the variables we read', () => {
    assert.ok(VARIABLES.length >= 40, `${VARIABLES.length} variables`);
    for (const name of ['OTEL_BSP_MAX_QUEUE_SIZE', 'OTEL_BLRP_SCHEDULE_DELAY', 'OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_METRIC_EXPORT_INTERVAL', 'OTEL_TRACES_SAMPLER_ARG']) {
      assert.ok(VARIABLES.includes(name), name);
    }
  });

  for (const value of BAD_VALUES) {
    it(`${JSON.stringify(value)}: never a crash; each warning is one line naming the variable`, () => {
      const sections = warningsPerVariable(value);
      for (const [name, lines] of sections) {
        // Lists say each unknown entry once, plus what they fell back to.
        assert.ok(lines.length <= value.split(',').length + 1, `${name}=${JSON.stringify(value)} said ${lines.length} lines:\n${lines.join('\n')}`);
        for (const line of lines) {
          assert.match(line, /^otel-instrument: warn: /, `${name}: ${line}`);
          // The line names the variable (per-signal variables may be reported under their generic name).
          const generic = name.replace(/_(TRACES|METRICS|LOGS)_/, '_');
          assert.ok(line.includes(name) || line.includes(generic), `${name}=${JSON.stringify(value)}: ${line}`);
        }
      }
    });
  }

  it('a malformed OTLP header pair is reported without its value', () => {
    const sections = warningsPerVariable('api-key=s3cr3t-value,broken-pair-s3cr3t');
    const headerVariables = [...sections.keys()].filter((name) => name.endsWith('_HEADERS'));
    assert.ok(headerVariables.length >= 4, headerVariables.join(', '));
    for (const name of headerVariables) {
      const lines = sections.get(name)!;
      assert.ok(lines.some((line) => line.includes(name.replace(/_(TRACES|METRICS|LOGS)_/, '_')) || line.includes(name)), `${name}: ${lines.join('\n')}`);
      assert.ok(lines.every((line) => !line.includes('s3cr3t')), lines.join('\n'));
    }
  });
});
