// An amqplib outside 0.10-2.x is left alone: its files are not patched. The version is read from the
// package.json of the directory the module hook reports, as for an app's own amqplib, so each case
// here is a directory with the version it claims, and a model file shaped like amqplib's.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isWrapped } from '../../../src/hook/patch.js';
import { instrumentInProcess } from '../../support/in-process-instrumentation.js';

const recorded = instrumentInProcess(['amqplib']);
const dirs: string[] = [];

after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function packageDir(version: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'amqplib-version-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'amqplib', version }));
  dirs.push(dir);
  return dir;
}

/** A fresh lib/channel_model.js lookalike: the methods amqplib's promise API has. */
function modelExports(): { Channel: { prototype: Record<string, Function> }; ConfirmChannel: { prototype: Record<string, Function> } } {
  class Channel {
    consume() {}
    get() {}
    ack() {}
    nack() {}
    reject() {}
    ackAll() {}
    nackAll() {}
  }
  class ConfirmChannel extends Channel {
    publish() {}
  }
  return { Channel, ConfirmChannel } as never;
}

test('amqplib 0.9 and 3 are left unpatched; 0.10, 1 and 2 are patched', () => {
  for (const [version, patched] of [
    ['0.9.1', false],
    ['3.0.0', false],
    ['0.10.9', true],
    ['1.0.7', true],
    ['2.3.1', true],
  ] as const) {
    const model = recorded.hooks.onLoad(modelExports(), 'amqplib/lib/channel_model.js', packageDir(version));
    for (const method of ['consume', 'get', 'ack', 'nack', 'reject']) assert.equal(isWrapped(model.Channel.prototype[method]), patched, `${version} ${method}`);
    assert.equal(isWrapped(model.ConfirmChannel.prototype.publish), patched, `${version} confirm publish`);
  }
});
