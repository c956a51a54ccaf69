// An openai or @anthropic-ai/sdk outside the supported ranges is left alone; an instrumentation not
// enabled (turned off by name: the bootstrap leaves it out of the hooks) patches nothing. The version
// is read from the package.json of the directory the hook reports, as for an app's own package, so
// each case is a directory claiming that version. The real SDK classes are handed over, so this test
// runs in its own process (node --test runs each file apart) and checks "unpatched" before "patched".

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isWrapped } from '../../../src/hook/patch.js';
import { instrumentInProcess } from '../../support/in-process-instrumentation.js';

const dirs: string[] = [];
function packageDir(name: string, version: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'genai-version-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version }));
  dirs.push(dir);
  return dir;
}
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const openai = require('openai');
const anthropicSdk = require('@anthropic-ai/sdk');
const chatCreate = () => openai.OpenAI.Chat.Completions.prototype.create;
const messagesCreate = () => anthropicSdk.Anthropic.Messages.prototype.create;

test('with openai and anthropic not enabled (disabled by name), loading the SDKs patches nothing', () => {
  const others = instrumentInProcess(['http', 'undici']);
  others.hooks.onLoad(openai, 'openai', packageDir('openai', '6.49.0'));
  others.hooks.onLoad(anthropicSdk, '@anthropic-ai/sdk', packageDir('@anthropic-ai/sdk', '1.17.0'));
  assert.equal(isWrapped(chatCreate()), false);
  assert.equal(isWrapped(messagesCreate()), false);
});

test('openai 3 and 8, @anthropic-ai/sdk 0.20 and 2.0 are left unpatched; openai 6 and the SDK 1.17 are patched', () => {
  const recorded = instrumentInProcess(['openai', 'anthropic']);
  recorded.hooks.onLoad(openai, 'openai', packageDir('openai', '3.3.0'));
  recorded.hooks.onLoad(openai, 'openai', packageDir('openai', '8.0.0'));
  assert.equal(isWrapped(chatCreate()), false);
  recorded.hooks.onLoad(anthropicSdk, '@anthropic-ai/sdk', packageDir('@anthropic-ai/sdk', '0.20.0'));
  recorded.hooks.onLoad(anthropicSdk, '@anthropic-ai/sdk', packageDir('@anthropic-ai/sdk', '2.0.0'));
  assert.equal(isWrapped(messagesCreate()), false);

  // The hook remembers the exports it handled: fresh objects holding the same classes stand for a new load.
  recorded.hooks.onLoad({ ...openai }, 'openai', packageDir('openai', '6.49.0'));
  recorded.hooks.onLoad({ ...anthropicSdk }, '@anthropic-ai/sdk', packageDir('@anthropic-ai/sdk', '1.17.0'));
  assert.equal(isWrapped(chatCreate()), true);
  assert.equal(isWrapped(openai.OpenAI.Responses.prototype.create), true);
  assert.equal(isWrapped(openai.OpenAI.Embeddings.prototype.create), true);
  assert.equal(isWrapped(messagesCreate()), true);
  assert.equal(isWrapped(anthropicSdk.Anthropic.Beta.Messages.prototype.create), true);
});
