import { test } from 'node:test';
import assert from 'node:assert/strict';
import { durationNs, formatDuration } from '../../../../src/export/console/tree/format-duration.js';

test('durations keep three significant digits at most, in the unit that keeps them short', () => {
  const cases: Array<[number, string]> = [
    [0, '0 µs'],
    [-5, '0 µs'],
    [450, '0 µs'],
    [45_000, '45 µs'],
    [99_400, '99 µs'],
    [99_600, '0.1 ms'],
    [3_140_000, '3.1 ms'],
    [12_449_999, '12.4 ms'],
    [99_960_000, '100 ms'],
    [245_400_000, '245 ms'],
    [999_700_000, '1.00 s'],
    [1_240_000_000, '1.24 s'],
    [59_999_000_000, '1 min 00 s'],
    [125_000_000_000, '2 min 05 s'],
  ];
  for (const [ns, text] of cases) assert.equal(formatDuration(ns), text, `${ns} ns`);
});

test('a duration is the difference of two HrTimes across a second boundary', () => {
  assert.equal(durationNs([10, 999_000_000], [11, 1_000_000]), 2_000_000);
  assert.equal(durationNs([11, 0], [10, 0]), 0);
});
