// The layers of the code point one way: a file imports only from its own layer or the layers below it,
// and the signal SDKs (trace, metrics, logs) and the resource do not depend on each other. Read from the
// TypeScript sources, so the test needs no build of anything it checks.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');

/** Lowest first. Folders in one row are peers: none of them may import another. */
const LAYERS: readonly (readonly string[])[] = [
  // How our bundled entries start (the stubs scripts/bundle-entries.mjs writes load nothing else of ours).
  ['src/diag', 'src/package-info.ts', 'src/entry'],
  ['src/config'],
  ['src/otel-api'],
  ['src/context'],
  ['src/core'],
  ['src/trace', 'src/metrics', 'src/logs', 'src/resource'],
  ['src/export'],
  // Worker threads hand their signals' data to the main thread's SDK.
  ['src/threads'],
  ['src/hook'],
  // Everything that runs as a process leaves, on the app's side and the launcher's: the app side flushes
  // through export, the launcher (src/cli) receives what the app hands over.
  ['src/exit'],
  ['instrumentations'],
  ['src/bootstrap', 'src/bundlers'],
  // The local viewer: only the launcher loads it (`view`, `--view`); nothing an app runs may import it.
  ['src/view'],
  ['src/cli', 'src/programmatic'],
];

interface Place {
  readonly layer: number;
  readonly group: string;
}

function placeOf(file: string): Place | undefined {
  for (let layer = 0; layer < LAYERS.length; layer++) {
    for (const group of LAYERS[layer]!) {
      if (file === group || file.startsWith(`${group}/`)) return { layer, group };
    }
  }
  return undefined;
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(join(ROOT, dir))) {
    const path = `${dir}/${name}`;
    if (statSync(join(ROOT, path)).isDirectory()) sourceFiles(path, out);
    else if (/\.m?ts$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** `from '…'`, `import '…'`, and a relative path passed to any call: require(), import(), the registry's loader(). */
const SPECIFIER = /(?:\bfrom\s+|^import\s+|\(\s*)['"](\.\.?\/[^'"]+\.m?js)['"]/gm;

/** Every relative import of a file, as a repository path without its extension. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const found: string[] = [];
  for (const match of text.matchAll(SPECIFIER)) {
    const target = relative(ROOT, resolve(ROOT, dirname(file), match[1]!));
    found.push(target.replace(/\.m?js$/, ''));
  }
  return found;
}

/** Why `file` may not import `target`, or undefined when it may. */
function breach(file: string, target: string): string | undefined {
  const from = placeOf(file);
  const to = placeOf(target) ?? placeOf(`${target}.ts`);
  if (from === undefined) return `${file} is in no layer: add its folder to LAYERS`;
  if (to === undefined) return `${file} imports ${target}, which is in no layer`;
  if (to.layer > from.layer || (to.layer === from.layer && to.group !== from.group)) {
    return `${file} -> ${target} (${from.group} may not depend on ${to.group})`;
  }
  return undefined;
}

function violations(): string[] {
  const bad: string[] = [];
  for (const file of [...sourceFiles('src'), ...sourceFiles('instrumentations')]) {
    for (const target of importsOf(file)) {
      const why = breach(file, target);
      if (why !== undefined) bad.push(why);
    }
  }
  return bad;
}

test('imports point down the layers, and trace, metrics, logs and resource do not import each other', () => {
  assert.deepEqual(violations(), []);
});

test('an import up a layer or between peers is a breach; one down a layer is not', () => {
  assert.match(breach('src/core/time.ts', 'src/trace/span') ?? '', /src\/core may not depend on src\/trace/);
  assert.match(breach('src/trace/span.ts', 'src/metrics/meter') ?? '', /src\/trace may not depend on src\/metrics/);
  assert.match(breach('src/hook/module-hooks.ts', 'instrumentations/registry') ?? '', /may not depend on instrumentations/);
  assert.equal(breach('instrumentations/http/server.ts', 'src/trace/span'), undefined);
  assert.equal(breach('src/trace/span.ts', 'src/core/time'), undefined);
});

test('only the launcher may load the viewer: an app-side layer importing src/view is a breach', () => {
  assert.match(breach('src/bootstrap/start.ts', 'src/view/viewer') ?? '', /src\/bootstrap may not depend on src\/view/);
  assert.match(breach('instrumentations/http/server.ts', 'src/view/viewer') ?? '', /may not depend on src\/view/);
  assert.equal(breach('src/cli/main.ts', 'src/view/viewer'), undefined);
});

test('the layer check sees static imports and the relative paths handed to require() and loaders', () => {
  // The registry loads each instrumentation lazily, by a path string: those are imports too.
  assert.ok(importsOf('instrumentations/registry.ts').some((target) => target.startsWith('instrumentations/http/')));
  assert.ok(importsOf('src/trace/span.ts').includes('src/core/time'));
});
