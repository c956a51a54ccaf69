// The grpc instrumentation patches @grpc/grpc-js 1.10 to 1.x only: the same grpc-js files under a
// version outside that range (here the installed grpc-js, copied with its version set to 2.0.0) are
// left as they are, and their calls make no spans; the installed 1.x beside it is patched.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type * as GrpcJs from '@grpc/grpc-js';
import { isWrapped } from '../../../src/hook/patch.js';
import { instrumentInProcess } from '../../support/in-process-instrumentation.js';
import { FIXTURES } from '../../support/run-cli.js';

const inProcess = instrumentInProcess(['grpc']);

const root = mkdtempSync(join(tmpdir(), 'otel-instrument-grpc-2-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** The installed grpc-js as version `version`, with its dependencies linked, in a node_modules of its own. */
function copyOfGrpcJs(version: string): string {
  const installed = dirname(require.resolve('@grpc/grpc-js/package.json'));
  const copy = join(root, 'node_modules', '@grpc', 'grpc-js');
  cpSync(join(installed, 'build'), join(copy, 'build'), { recursive: true, filter: (path) => !path.endsWith('.map') && !path.endsWith('.d.ts') });
  const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { version: string };
  writeFileSync(join(copy, 'package.json'), JSON.stringify({ ...manifest, version }));
  for (const dependency of ['@grpc/proto-loader', '@js-sdsl/ordered-map']) {
    const target = join(root, 'node_modules', dependency);
    mkdirSync(dirname(target), { recursive: true });
    symlinkSync(dirname(require.resolve(`${dependency}/package.json`)), target);
  }
  return join(root, 'app.js');
}

test('grpc-js 2.0.0 is left unpatched and traces nothing; the installed 1.x is patched', async () => {
  const installed = require('@grpc/grpc-js') as typeof GrpcJs;
  assert.equal(isWrapped(installed.Client.prototype.makeUnaryRequest), true);
  assert.equal(isWrapped(installed.Server.prototype.register), true);

  const grpc = createRequire(copyOfGrpcJs('2.0.0'))('@grpc/grpc-js') as typeof GrpcJs;
  assert.notEqual(grpc, installed);
  for (const method of ['makeUnaryRequest', 'makeClientStreamRequest', 'makeServerStreamRequest', 'makeBidiStreamRequest'] as const) {
    assert.equal(isWrapped(grpc.Client.prototype[method]), false, method);
  }
  assert.equal(isWrapped(grpc.Server.prototype.register), false);

  // A real call on the copy: answered, untraced.
  const loader = require('@grpc/proto-loader') as typeof import('@grpc/proto-loader');
  const definition = loader.loadSync(join(FIXTURES, 'grpc', 'echo.proto'));
  const Echo = (grpc.loadPackageDefinition(definition) as any).otel.test.Echo;
  const server = new grpc.Server();
  server.addService(Echo.service, { Unary: (call: any, callback: any) => callback(null, { message: call.request.message }) });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  const client = new Echo(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const reply = await new Promise((resolve, reject) => client.Unary({ message: 'v2' }, (error: Error | null, value: unknown) => (error ? reject(error) : resolve(value))));
  client.close();
  server.forceShutdown();
  assert.deepEqual(reply, { message: 'v2' });
  assert.deepEqual(inProcess.spans, []);
  assert.deepEqual(inProcess.measurements, []);
});
