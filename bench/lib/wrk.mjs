// wrk as its own process pinned to the load core; async, so the sink in this process keeps answering.
import { spawn } from 'node:child_process';

export function wrk(core, connections, duration, url, latency) {
  const args = ['-c', String(core), 'wrk', '-t1', `-c${connections}`, `-d${duration}`, ...(latency ? ['--latency'] : []), url];
  return new Promise((resolve, reject) => {
    const child = spawn('taskset', args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`wrk exited ${code}`))));
  });
}

const UNIT_MS = { us: 0.001, ms: 1, s: 1000 };

/** req/s, p99 and socket errors; throws on non-2xx answers, which would make the numbers meaningless. */
export function parseWrk(text) {
  const bad = /Non-2xx or 3xx responses:\s+(\d+)/.exec(text);
  if (bad) throw new Error(`wrk got ${bad[1]} non-2xx responses:\n${text}`);
  const errors = /Socket errors: (.*)/.exec(text)?.[1];
  const requests = Number(/(\d+) requests in/.exec(text)[1]);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(text)[1]);
  const p99 = /99%\s+([\d.]+)(us|ms|s)/.exec(text);
  // p99 only when wrk ran with --latency.
  return { requests, rps, p99Ms: p99 ? Number(p99[1]) * UNIT_MS[p99[2]] : undefined, socketErrors: errors };
}
