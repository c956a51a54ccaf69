// The aws-sdk instrumentation patches @smithy/core 3.24 to 3.x (its client submodule, which every
// @aws-sdk/client-* extends): the same files under a version outside that range (the installed
// @smithy/core, copied with its version set to 4.0.0) are left as they are, and a client built on
// them makes no span; the installed 3.x beside it is patched.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { isWrapped } from '../../../src/hook/patch.js';
import { instrumentInProcess } from '../../support/in-process-instrumentation.js';

const inProcess = instrumentInProcess(['aws-sdk']);

const root = mkdtempSync(join(tmpdir(), 'otel-instrument-smithy-4-'));
after(() => rmSync(root, { recursive: true, force: true }));

interface SmithyClientModule {
  Client: new (config: Record<string, unknown>) => { send(command: unknown): Promise<unknown>; middlewareStack: { add(mw: unknown, options: unknown): void } };
  Command: { classBuilder(): any };
}

/** The installed @smithy/core as version `version`, with its dependencies linked, in a node_modules of its own. */
function copyOfSmithyCore(version: string): string {
  const installed = dirname(require.resolve('@smithy/core/package.json'));
  const copy = join(root, 'node_modules', '@smithy', 'core');
  cpSync(installed, copy, { recursive: true, filter: (path) => !path.includes('dist-types') && !path.includes('dist-es') && !path.endsWith('.map') });
  const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { version: string };
  writeFileSync(join(copy, 'package.json'), JSON.stringify({ ...manifest, version }));
  for (const dependency of ['@smithy/types', 'tslib']) {
    const target = join(root, 'node_modules', dependency);
    mkdirSync(dirname(target), { recursive: true });
    symlinkSync(dirname(require.resolve(`${dependency}/package.json`, { paths: [installed] })), target);
  }
  return join(root, 'app.js');
}

test('@smithy/core 4.0.0 is left unpatched and its client traces nothing; the installed 3.x is patched', async () => {
  const installed = require('@smithy/core/client') as SmithyClientModule;
  assert.equal(isWrapped(installed.Client.prototype.send), true);

  const smithy = createRequire(copyOfSmithyCore('4.0.0'))('@smithy/core/client') as SmithyClientModule;
  assert.notEqual(smithy, installed);
  assert.equal(isWrapped(smithy.Client.prototype.send), false);

  // A real send through each one's own middleware stack, answered by a terminal middleware: the copy's
  // is untraced, the installed one's is the span `Echo.Echo`.
  assert.deepEqual(await echo(smithy), { $metadata: { httpStatusCode: 200 }, echoed: true });
  assert.equal(inProcess.spans.length, 0);
  assert.deepEqual(await echo(installed), { $metadata: { httpStatusCode: 200 }, echoed: true });
  assert.deepEqual(
    inProcess.spans.map((s) => s.name),
    ['Echo.Echo'],
  );
});

/** A command of a client made of `smithy`'s own classes, as generated clients make theirs, sent once. */
async function echo(smithy: SmithyClientModule): Promise<unknown> {
  const EchoCommand = class EchoCommand extends smithy.Command.classBuilder().m(() => []).s('Echo', 'Echo').n('EchoClient', 'EchoCommand').build() {} as new (input: unknown) => unknown;
  const client = new smithy.Client({ serviceId: 'Echo', region: 'eu-west-1', requestHandler: { handle: async () => ({ response: {} }) } });
  client.middlewareStack.add(() => async () => ({ output: { $metadata: { httpStatusCode: 200 }, echoed: true } }), { step: 'initialize', name: 'answer' });
  return client.send(new EchoCommand({}));
}
