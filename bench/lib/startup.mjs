// Start-to-exit time of a script, per configuration: our own repeated timing rather than
// hyperfine, so the configurations interleave run by run and the sink (in this process)
// stays responsive to the exports sent at exit.
import { spawn } from 'node:child_process';
import { rotated } from './configs.mjs';
import { median } from './stats.mjs';

function timeOnce(core, command, args, env) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn('taskset', ['-c', String(core), command, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (code === 0) resolve(ms);
      else reject(new Error(`${args.join(' ')} exited ${code}:\n${stderr}`));
    });
  });
}

/** Returns { name: median ms } over `runs` interleaved runs after `warmup` untimed ones; envFor(name) is each config's env. */
export async function startupMs({ core, commands, names, script, envFor, runs, warmup }) {
  const times = Object.fromEntries(names.map((name) => [name, []]));
  for (let i = 0; i < warmup + runs; i++) {
    for (const name of rotated(names, i)) {
      const [command, args] = commands[name](script);
      const ms = await timeOnce(core, command, args, envFor(name));
      if (i >= warmup) times[name].push(ms);
    }
  }
  return Object.fromEntries(names.map((name) => [name, median(times[name])]));
}
