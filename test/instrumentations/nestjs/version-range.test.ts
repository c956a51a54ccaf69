// A @nestjs/core outside the supported range (10 to 12) is left alone: a copy of the installed 12
// whose package.json says 13.0.0 (with a copy of @nestjs/platform-express, so that the platform
// builds on that core), loaded through the same module hooks. Its app answers as always and gets no
// Nest span, while express and http still do their part; the installed 12, in the same process, is patched.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { SpanKind } from '../../../src/otel-api/enums.js';
import { isWrapped } from '../../../src/hook/patch.js';
import { instrumentInProcess } from '../../support/in-process-instrumentation.js';
import { ask, startUsersApp } from './users-app-suite.js';

const recorded = instrumentInProcess(['http', 'express', 'nestjs']);
require('reflect-metadata');

// Inside the project, so the copies' own imports (@nestjs/common, rxjs, router) find its node_modules.
const root = mkdtempSync(join(__dirname, 'out-of-range-'));
after(() => rmSync(root, { recursive: true, force: true }));

function copyPackage(name: string, version?: string): void {
  const installed = dirname(realpathSync(require.resolve(`${name}/package.json`)));
  const copy = join(root, 'node_modules', name);
  cpSync(installed, copy, { recursive: true, dereference: true });
  if (version === undefined) return;
  const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(copy, 'package.json'), JSON.stringify({ ...manifest, version }));
}

interface NestApplicationClass {
  prototype: { registerRouter: unknown };
}

test('@nestjs/core 13.0.0 (out of range) is not patched: its routes get no Nest span, and express still names the server span', async () => {
  copyPackage('@nestjs/core', '13.0.0');
  copyPackage('@nestjs/platform-express');
  const load = createRequire(join(root, 'app.js'));
  assert.match(load.resolve('@nestjs/core'), /out-of-range-/);
  const outside = load('@nestjs/core') as { NestApplication: NestApplicationClass };
  const installed = require('@nestjs/core') as { NestApplication: NestApplicationClass };
  assert.notEqual(outside.NestApplication, installed.NestApplication);
  assert.equal(isWrapped(outside.NestApplication.prototype.registerRouter), false);
  assert.equal(isWrapped(installed.NestApplication.prototype.registerRouter), true);

  const { app, port } = await startUsersApp(load, 'express');
  try {
    const answer = await ask(recorded, port, '/api/v1/users/42', 2);
    assert.equal(answer.body, '{"user":"42","tagged":true}');
    assert.deepEqual(
      recorded.spans.map((s) => [s.name, s.kind]).sort(),
      [
        ['GET /api/v1/users/:id', SpanKind.SERVER],
        ['request handler - /api/v1/users/:id', SpanKind.INTERNAL],
      ],
    );
    const failed = await ask(recorded, port, '/api/v1/users/fail/throw', 2);
    assert.equal(failed.status, 500);
    // http marks the 500; nothing recorded the error itself.
    assert.deepEqual(recorded.spans.flatMap((s) => s.events), []);
  } finally {
    await app.close();
  }
});
