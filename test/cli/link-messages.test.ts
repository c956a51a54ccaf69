// The launcher link's few lines, as both sides write and read them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineReader, encodeLinkMessage, parseLinkMessage, type LinkMessage } from '../../src/exit/link-messages.js';

test('every message reads back as written', () => {
  const messages: LinkMessage[] = [
    { kind: 'hello' },
    { kind: 'signal', signal: 'SIGQUIT' },
    { kind: 'listening', signal: 'SIGINT' },
    { kind: 'default', signal: 'SIGHUP' },
    { kind: 'sync', n: 7 },
    { kind: 'synced', n: 7 },
  ];
  for (const message of messages) {
    const line = encodeLinkMessage(message);
    assert.match(line, /^[a-z]+( \w+)?\n$/);
    assert.deepEqual(parseLinkMessage(line.slice(0, -1)), message);
  }
});

test('lines split across chunks are read whole; unknown or malformed lines are skipped', () => {
  const read: LinkMessage[] = [];
  const reader = new LineReader((message) => read.push(message));
  reader.push('hel');
  reader.push('lo\nsignal SIGTE');
  reader.push(Buffer.from('RM\nsignal SIGKILL\nsync x\nbye\nsynced 3\nsig'));
  assert.deepEqual(read, [
    { kind: 'hello' },
    { kind: 'signal', signal: 'SIGTERM' },
    { kind: 'synced', n: 3 },
  ]);
});
