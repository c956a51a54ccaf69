// A Next outside the supported range (15 and 16) is left alone: copies of the installed Next's tracer
// module (with the two files it requires) in packages whose package.json says 14.2.35 and 16.5.0,
// loaded through the same module hooks. Only the 16.5.0 copy's tracer gets our methods. (The tracer is
// the module that can be copied alone; the other two patched files need the rest of Next, and go by
// the same range.)

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { isWrapped } from '../../../src/hook/patch.js';
import { instrumentInProcess } from '../../support/in-process-instrumentation.js';

instrumentInProcess(['nextjs']);

// Inside the project, so the copies' require('@opentelemetry/api') finds the project's.
const root = mkdtempSync(join(__dirname, 'next-versions-'));
after(() => rmSync(root, { recursive: true, force: true }));

const FILES = ['dist/server/lib/trace/tracer.js', 'dist/server/lib/trace/constants.js', 'dist/shared/lib/is-thenable.js'];

/** The tracer's prototype, from a copy of next whose package.json says `version`. */
function tracerPrototypeOf(version: string): Record<string, unknown> {
  const installed = dirname(require.resolve('next/package.json'));
  const app = join(root, `app-${version}`);
  const copy = join(app, 'node_modules', 'next');
  for (const file of FILES) {
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    cpSync(join(installed, file), join(copy, file));
  }
  const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { version: string };
  writeFileSync(join(copy, 'package.json'), JSON.stringify({ ...pkg, version }));
  const requireFromApp = createRequire(join(app, 'app.js'));
  assert.match(requireFromApp.resolve('next/dist/server/lib/trace/tracer'), /next-versions-/);
  const { getTracer } = requireFromApp('next/dist/server/lib/trace/tracer') as { getTracer(): object };
  return Object.getPrototypeOf(getTracer()) as Record<string, unknown>;
}

test('Next 14 (out of range) keeps its tracer as it is; Next 16 in the same process gets the patch', () => {
  const old = tracerPrototypeOf('14.2.35');
  for (const method of ['trace', 'setRootSpanAttribute', 'withPropagatedContext']) assert.equal(isWrapped(old[method]), false, method);
  const current = tracerPrototypeOf('16.5.0');
  for (const method of ['trace', 'setRootSpanAttribute', 'withPropagatedContext']) assert.equal(isWrapped(current[method]), true, method);
});
