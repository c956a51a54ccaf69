import { test } from 'node:test';
import assert from 'node:assert/strict';
import { paint, terminalStyle } from '../../../../src/export/console/tree/terminal-style.js';

const TTY = { isTTY: true, columns: 100 };
const PIPE = { isTTY: false };

test('colors and the width come from a TTY only', () => {
  assert.deepEqual(terminalStyle(TTY, {}), { color: true, width: 100 });
  assert.deepEqual(terminalStyle(PIPE, {}), { color: false, width: undefined });
});

test('NO_COLOR turns colors off, TERM=dumb too, FORCE_COLOR turns them on for a pipe or off with 0', () => {
  assert.equal(terminalStyle(TTY, { NO_COLOR: '1' }).color, false);
  assert.equal(terminalStyle(TTY, { NO_COLOR: '' }).color, true);
  assert.equal(terminalStyle(TTY, { TERM: 'dumb' }).color, false);
  assert.equal(terminalStyle(PIPE, { FORCE_COLOR: '1' }).color, true);
  assert.equal(terminalStyle(TTY, { FORCE_COLOR: '0' }).color, false);
  assert.equal(terminalStyle(PIPE, { FORCE_COLOR: '1', NO_COLOR: '1' }).color, false);
});

test('a terminal too narrow to say anything is not cut to its width', () => {
  assert.equal(terminalStyle({ isTTY: true, columns: 20 }, {}).width, undefined);
});

test('paint wraps the text in its ANSI codes only with colors on', () => {
  assert.equal(paint({ color: true, width: undefined }, 'red', 'x'), '\u001b[31mx\u001b[39m');
  assert.equal(paint({ color: false, width: undefined }, 'red', 'x'), 'x');
});
