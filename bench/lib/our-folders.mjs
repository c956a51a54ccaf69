// Which of our folders ("src/export", "instrumentations/http") a line of dist/ code belongs to, bundles
// included: the build makes each entry one file (scripts/bundle-entries.mjs), in which esbuild starts
// each module with a `// dist/<path>.js` line. Profilers name only the file and line.
import { readFileSync } from 'node:fs';

const DIST_FILE = /\/dist\/((?:src|instrumentations)\/[^:\s]+)\.js$/;
const MODULE_MARK = /^\/\/ dist\/((?:src|instrumentations)\/.+)\.js$/;
/** Per bundle: [first line, module path] of each module in it, in order. */
const bundles = new Map();

function moduleMarks(file) {
  let marks = bundles.get(file);
  if (marks === undefined) {
    marks = [];
    readFileSync(file, 'latin1')
      .split('\n')
      .forEach((text, i) => {
        const mark = MODULE_MARK.exec(text);
        if (mark !== null) marks.push([i + 1, mark[1]]);
      });
    bundles.set(file, marks);
  }
  return marks;
}

/** Our folder of `file` at 1-based `line`, or undefined when the file is not ours. */
export function ourFolder(file, line) {
  const path = file.replace(/^file:\/\//, '');
  const match = DIST_FILE.exec(path);
  if (match === null) return undefined;
  let module = match[1];
  if (path.endsWith('.bundle.js')) {
    for (const [start, name] of moduleMarks(path)) if (start <= line) module = name;
  }
  return module.split('/').slice(0, 2).join('/');
}
