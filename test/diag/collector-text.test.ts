import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectorText, MAX_COLLECTOR_TEXT } from '../../src/diag/collector-text.js';
import { escapeControlCharacters } from '../../src/diag/log.js';

test('a collector text with line breaks and terminal escapes stays one printable line', () => {
  const forged = 'bad request\n\rotel-instrument: info: forged line\u001b[31m red\u009b2J\t\u2028\u202e';
  const out = collectorText(forged);
  assert.equal(out, 'bad request\\n\\rotel-instrument: info: forged line\\u001b[31m red\\u009b2J\\t\\u2028\\u202e');
  assert.doesNotMatch(out, /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/);
});

test('a long collector text is cut to 200 characters, escapes included, with an ellipsis', () => {
  const long = 'x'.repeat(8035);
  assert.equal(MAX_COLLECTOR_TEXT, 200);
  assert.equal(collectorText(long), `${'x'.repeat(200)}…`);
  // An escape is never cut in half: it fits whole or is left out.
  const escapes = '\u001b'.repeat(100);
  const out = collectorText(escapes);
  assert.equal(out, `${'\\u001b'.repeat(33)}…`);
  assert.ok(out.length <= 201);
});

test('a character outside the BMP is never split by the cut', () => {
  const text = `${'a'.repeat(199)}😀😀`;
  assert.equal(collectorText(text), `${'a'.repeat(199)}…`);
  assert.equal(collectorText('😀'.repeat(3)), '😀😀😀');
});

test('plain text is returned as it is', () => {
  assert.equal(collectorText('rate limited, try later'), 'rate limited, try later');
  assert.equal(collectorText(''), '');
  const line = 'no control characters here';
  assert.equal(escapeControlCharacters(line), line);
  assert.equal(escapeControlCharacters('a\nb'), 'a\\nb');
});
