// The Next.js bench app (bench/apps/nextjs) is served by `next start` from a `next build` output,
// built here before the rounds: once, and again when next's version or the app's sources change
// (a stamp in .next says what it was built from). The output stays in bench/apps/nextjs/.next
// (git-ignored).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const SOURCES = ['next.config.js', 'app/api/users/[id]/route.js', '../get-json.js'];

export function ensureNextBuild(root) {
  const dir = join(root, 'bench', 'apps', 'nextjs');
  const require = createRequire(join(dir, 'package.json'));
  const version = JSON.parse(readFileSync(require.resolve('next/package.json'), 'utf8')).version;
  const hash = createHash('sha256');
  for (const file of SOURCES) hash.update(readFileSync(join(dir, file)));
  const stamp = JSON.stringify({ next: version, sources: hash.digest('hex') });
  const stampFile = join(dir, '.next', 'bench-build.json');
  if (existsSync(join(dir, '.next', 'BUILD_ID')) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return;
  console.log(`$ next build (next ${version}) in ${dir}`);
  execFileSync(process.execPath, [require.resolve('next/dist/bin/next'), 'build'], {
    cwd: dir,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    stdio: 'inherit',
  });
  writeFileSync(stampFile, stamp);
}
