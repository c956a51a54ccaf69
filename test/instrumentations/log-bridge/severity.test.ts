import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CLI_LEVELS, levelTableFor, NPM_LEVELS, severityOfNamedLevel, SYSLOG_LEVELS } from '../../../instrumentations/log-bridge/named-levels.js';
import { nameOfNumericLevel, SEVERITY, severityOfNumericLevel } from '../../../instrumentations/log-bridge/severity.js';

test('the six standard pino / bunyan levels map to TRACE..FATAL', () => {
  assert.deepEqual(
    [10, 20, 30, 40, 50, 60].map(severityOfNumericLevel),
    [SEVERITY.TRACE, SEVERITY.DEBUG, SEVERITY.INFO, SEVERITY.WARN, SEVERITY.ERROR, SEVERITY.FATAL],
  );
  assert.deepEqual([10, 30, 60, 35].map(nameOfNumericLevel), ['trace', 'info', 'fatal', '35']);
});

test('custom numeric levels spread over the numbered severities, clamped at both ends', () => {
  assert.equal(severityOfNumericLevel(35), SEVERITY.INFO3);
  assert.equal(severityOfNumericLevel(45), SEVERITY.WARN3);
  assert.equal(severityOfNumericLevel(1), SEVERITY.TRACE2);
  assert.equal(severityOfNumericLevel(100), SEVERITY.FATAL4);
  assert.equal(severityOfNumericLevel(Number.NaN), SEVERITY.UNSPECIFIED);
});

test('the level set of a winston logger decides the table', () => {
  assert.equal(levelTableFor({ error: 0, warn: 1, info: 2, http: 3, verbose: 4, debug: 5, silly: 6 }), NPM_LEVELS);
  assert.equal(levelTableFor({ error: 0, warn: 1, help: 2, data: 3, info: 4, debug: 5, prompt: 6, verbose: 7, input: 8, silly: 9 }), CLI_LEVELS);
  assert.equal(levelTableFor({ emerg: 0, alert: 1, crit: 2, error: 3, warning: 4, notice: 5, info: 6, debug: 7 }), SYSLOG_LEVELS);
  assert.equal(levelTableFor(undefined), NPM_LEVELS);
});

test('npm, cli and syslog level names map as the spec appendix and contrib do', () => {
  assert.equal(severityOfNamedLevel(NPM_LEVELS, 'http'), SEVERITY.DEBUG3);
  assert.equal(severityOfNamedLevel(NPM_LEVELS, 'verbose'), SEVERITY.DEBUG2);
  assert.equal(severityOfNamedLevel(CLI_LEVELS, 'verbose'), SEVERITY.TRACE3);
  assert.equal(severityOfNamedLevel(CLI_LEVELS, 'help'), SEVERITY.INFO3);
  // Appendix B of the logs data model: Critical ERROR2, Alert ERROR3, Emergency FATAL.
  assert.equal(severityOfNamedLevel(SYSLOG_LEVELS, 'crit'), SEVERITY.ERROR2);
  assert.equal(severityOfNamedLevel(SYSLOG_LEVELS, 'alert'), SEVERITY.ERROR3);
  assert.equal(severityOfNamedLevel(SYSLOG_LEVELS, 'emerg'), SEVERITY.FATAL);
  assert.equal(severityOfNamedLevel(SYSLOG_LEVELS, 'notice'), SEVERITY.INFO2);
});

test('app-defined level names get the usual spelling or UNSPECIFIED', () => {
  assert.equal(severityOfNamedLevel(NPM_LEVELS, 'fatal'), SEVERITY.FATAL);
  assert.equal(severityOfNamedLevel(NPM_LEVELS, 'TRACE'), SEVERITY.TRACE);
  assert.equal(severityOfNamedLevel(NPM_LEVELS, 'audit'), SEVERITY.UNSPECIFIED);
  assert.equal(severityOfNamedLevel(NPM_LEVELS, 'constructor'), SEVERITY.UNSPECIFIED);
  assert.equal(severityOfNamedLevel(NPM_LEVELS, undefined), SEVERITY.UNSPECIFIED);
});
