// Build step after tsc (package.json "build"): each entry Node starts from becomes one file, so a start
// reads and resolves one module of ours instead of ~130 (the launcher's entry: ~40). Bundled from tsc's
// CommonJS output and written over the entry's own file, so every path that names an entry (the
// launcher's --require, the Operator's autoinstrumentation.js, package.json "exports") stays the same.
// Each module stays a CommonJS closure that runs when first required, as before: instrumentations stay
// lazy. Each keeps its own __dirname/__filename (the files it spawns or reads sit beside its original
// file, which still ships). Dependencies stay outside (npm installs them; some resolve files by path).
// The entry's exports get `bundledModulesRun`: the dist paths of the modules that ran, in order.

import { build } from 'esbuild';
import { dirname, join, relative } from 'node:path';
import { readFile } from 'node:fs/promises';
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
  const outfile = join(dist, entry);
  if ((await readFile(outfile, 'utf8')).includes('__otelModulesRun')) throw new Error(`${outfile} is bundled already: run npm run build`);
  await build({
    entryPoints: [outfile],
    outfile,
    allowOverwrite: true,
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
}
