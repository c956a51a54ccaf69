// Build step after tsc (package.json "build"): each entry Node starts from becomes one file, so a start
// reads and resolves one module of ours instead of ~130 (the launcher's entry: ~40). Bundled from tsc's
// CommonJS output into `<entry>.bundle.js` beside the entry, whose own file becomes a two-line stub that
// runs the bundle with V8's code cache (src/entry/code-cache.ts), so every path that names an entry
// (the launcher's --require, the Operator's autoinstrumentation.js, package.json "exports") stays the same.
// Each module stays a CommonJS closure that runs when first required, as before: instrumentations stay
// lazy. Each keeps its own __dirname/__filename (the files it spawns or reads sit beside its original
// file, which still ships). Dependencies stay outside (npm installs them; some resolve files by path).
// The entry's exports get `bundledModulesRun`: the dist paths of the modules that ran, in order.

import { build } from 'esbuild';
import { dirname, join, relative } from 'node:path';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

/**
 * Entries, as dist paths: the preload, the launcher's main, and the sender the preload spawns at exit
 * without the launcher (src/exit/app-send-at-exit.ts). `instrumentations`: whether the registry's
 * lazy loaders come in the bundle (the preload runs them; the launcher reads only the settings).
 */
export const ENTRIES = [
  { entry: 'src/bootstrap/register.js', instrumentations: true },
  { entry: 'src/cli/main.js', instrumentations: false },
  { entry: 'src/exit/send-requests.js', instrumentations: false },
];

const RUN_BUNDLE = 'runBundle(';
const CODE_CACHE = join(dist, 'src', 'entry', 'code-cache.js');

/**
 * The bundle in ASCII, so code-cache.ts reads it as latin1 (the same text, without decoding UTF-8; a start
 * saves several ms on the preload's 1.1 MB). esbuild escapes strings, regular expressions and names
 * (charset: ascii), not comments; a \u escape means the same character wherever else one could be left.
 */
function asciiOnly(code) {
  return code.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `register.js` → `register.bundle.js`, beside it. */
export function bundleOf(entryFile) {
  return entryFile.replace(/\.js$/, '.bundle.js');
}

/** What stays at the entry's path: it runs the bundle through V8's code cache (src/entry/code-cache.ts). */
function entryStub(entryFile, bundleFile) {
  const loader = relative(dirname(entryFile), CODE_CACHE).replace(/^(?!\.)/, './');
  return `'use strict';
// Built by scripts/bundle-entries.mjs: the code is in ${relative(dirname(entryFile), bundleFile)}.
require(${JSON.stringify(loader)}).${RUN_BUNDLE}require('node:path').join(__dirname, ${JSON.stringify(relative(dirname(entryFile), bundleFile))}), module, require);
`;
}

const REGISTRY = join(dist, 'instrumentations', 'registry.js');
const LOADER_CALL = /\bloader\('(\.\/[^']+)'/g;
const LOADER_REQUIRE = 'return () => require(path)[name];';

/**
 * The registry loads each instrumentation by a path string (instrumentations/registry.ts, loader()), which a
 * bundler cannot follow: the paths it names become static requires, each still run only when called.
 */
function registryWithStaticRequires(contents) {
  const paths = [...new Set([...contents.matchAll(LOADER_CALL)].map((match) => match[1]))];
  if (paths.length === 0 || contents.split(LOADER_REQUIRE).length !== 2) {
    throw new Error(`${REGISTRY}: its loader() is not the one this build knows (${LOADER_REQUIRE}); update scripts/bundle-entries.mjs`);
  }
  const table = paths.map((path) => `  ${JSON.stringify(path)}: () => require(${JSON.stringify(path)}),`).join('\n');
  return `${contents.replace(LOADER_REQUIRE, 'return () => (__otelLoaders[path] ?? (() => require(path)))()[name];')}\nvar __otelLoaders = {\n${table}\n};\n`;
}

/** Gives each bundled module the __dirname and __filename of its own dist file, relative to the bundle's. */
function ownPaths(bundleDir, instrumentations) {
  return {
    name: 'own-paths',
    setup(b) {
      b.onLoad({ filter: /\.js$/ }, async (args) => {
        let contents = await readFile(args.path, 'utf8');
        if (!args.path.startsWith(dist)) return { contents, loader: 'js' };
        if (args.path === REGISTRY && instrumentations) contents = registryWithStaticRequires(contents);
        // What ran, as the unbundled files' require.cache would say (test/fixtures/patch-probe.js reads it).
        let prefix = `__otelModulesRun.push(${JSON.stringify(relative(dist, args.path))});\n`;
        if (/\b__(dirname|filename)\b/.test(contents)) {
          const file = JSON.stringify(relative(bundleDir, args.path));
          prefix += `var __filename = require("node:path").join(__otelBundleDir, ${file}), __dirname = require("node:path").dirname(__filename);\n`;
        }
        return { contents: prefix + contents, loader: 'js' };
      });
    },
  };
}

for (const { entry, instrumentations } of ENTRIES) {
  const entryFile = join(dist, entry);
  const outfile = bundleOf(entryFile);
  if ((await readFile(entryFile, 'utf8')).includes(RUN_BUNDLE)) throw new Error(`${entryFile} is bundled already: run npm run build`);
  await build({
    entryPoints: [entryFile],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    banner: { js: 'var __otelBundleDir = __dirname, __otelModulesRun = [];' },
    footer: { js: 'Object.defineProperty(module.exports, "bundledModulesRun", { value: __otelModulesRun });' },
    plugins: [ownPaths(dirname(outfile), instrumentations)],
    legalComments: 'none',
    logLevel: 'warning',
  });
  await writeFile(outfile, asciiOnly(await readFile(outfile, 'utf8')));
  await writeFile(entryFile, entryStub(entryFile, outfile));
}
