// Build step after tsc (package.json "build"): bundles the viewer page (Preact + htm + uPlot) with esbuild
// into dist/src/view/page/{index.html,app.js,app.css}, and copies the official .proto files the receiver
// loads to dist/src/view/proto. Both ship in the package ("files": dist/src).

import { build } from 'esbuild';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const out = join(root, 'dist', 'src', 'view', 'page');
mkdirSync(out, { recursive: true });

cpSync(join(here, '..', 'proto'), join(root, 'dist', 'src', 'view', 'proto'), { recursive: true });

await build({
  entryPoints: [join(here, 'main.js')],
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['chrome110', 'firefox110', 'safari16'],
  outfile: join(out, 'app.js'),
  legalComments: 'none',
  logLevel: 'warning',
});
// The page's own styles, then uPlot's.
const css = readFileSync(join(here, 'app.css'), 'utf8') + readFileSync(join(root, 'node_modules', 'uplot', 'dist', 'uPlot.min.css'), 'utf8');
writeFileSync(join(out, 'app.css'), css);
cpSync(join(here, 'index.html'), join(out, 'index.html'));
