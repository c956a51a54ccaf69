// Makes `npm run bench` work on a fresh clone: our dist/ built, the official SDK installed in
// bench/official (its own package, never a dependency of ours), wrk on the PATH.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

function run(command, args, cwd) {
  console.log(`$ ${command} ${args.join(' ')}`);
  execFileSync(command, args, { cwd, stdio: 'inherit' });
}

export function ensureReady(root) {
  const cli = join(root, 'dist', 'src', 'cli', 'main.js');
  if (!existsSync(cli)) {
    try {
      run('npx', ['tsc', '-p', 'tsconfig.json'], root);
    } catch (error) {
      // tsc still emits when it reports type errors; only a missing output is fatal.
      if (!existsSync(cli)) throw error;
    }
  }
  const official = join(root, 'bench', 'official');
  // Every dependency there, so that one added later (@fastify/otel) reaches an older install too.
  const wanted = Object.keys(JSON.parse(readFileSync(join(official, 'package.json'), 'utf8')).dependencies);
  if (wanted.some((name) => !existsSync(join(official, 'node_modules', name, 'package.json')))) {
    run('npm', ['ci', '--prefix', official, '--no-audit', '--no-fund'], root);
  }
  for (const tool of ['wrk', 'taskset']) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    } catch {
      throw new Error(`${tool} not found: on Debian/Ubuntu, apt-get install -y ${tool === 'wrk' ? 'wrk' : 'util-linux'}`);
    }
  }
}
