// Starting pinned processes, waiting for their `ready` line, reading the app's RSS, private memory and CPU time.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';

/** Spawns `command args` pinned to `core`; resolves once it prints `ready` on stdout. */
export function startPinned(core, command, args, env) {
  const child = spawn('taskset', ['-c', String(core), command, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  const closed = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  const ready = new Promise((resolve, reject) => {
    let seen = '';
    const onData = (d) => {
      seen += d;
      if (!seen.includes('ready')) return;
      // From here on just drain: the express app logs a line per request.
      child.stdout.off('data', onData);
      child.stdout.resume();
      resolve();
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', onData);
    closed.then(({ code, signal }) => reject(new Error(`${args.join(' ')} exited (${code ?? signal}) before ready:\n${stderr}`)));
  });
  return {
    child,
    ready,
    stderr: () => stderr,
    /**
     * SIGTERM, then SIGKILL after graceMs: the official register.js handles SIGTERM by flushing
     * but then does not exit while a server is listening (opentelemetry-js#1521).
     */
    async stop(graceMs = 3000) {
      if (child.exitCode !== null || child.signalCode !== null) return closed;
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        killTree(child.pid);
      }, graceMs);
      const result = await closed;
      clearTimeout(timer);
      return result;
    },
  };
}

/** SIGKILL pid and everything under it (the launcher's app child would otherwise outlive it). */
function killTree(pid) {
  for (const child of childPids(pid)) killTree(child);
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

function childPids(pid) {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)]).toString().trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return []; // ps exits 1 when there is no child.
  }
}

/** The app itself: the deepest process under `pid` (the launcher spawns the app as a child). */
export function appPid(pid) {
  let target = pid;
  for (let children = childPids(target); children.length > 0; children = childPids(target)) target = children[0];
  return target;
}

/** RSS of `pid` and every process under it (the launcher and its app): what the whole group costs. */
export function groupRssMb(pid) {
  return rssMb(pid) + childPids(pid).reduce((sum, child) => sum + groupRssMb(child), 0);
}

export function rssMb(pid) {
  return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)]).toString().trim()) / 1024;
}

/** Fields of /proc/<pid>/smaps_rollup in kB, e.g. { Rss, Pss, Private_Clean, Private_Dirty, ... }. */
export function smapsRollupKb(pid) {
  const fields = {};
  for (const match of readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8').matchAll(/^(\w+):\s+(\d+) kB$/gm)) fields[match[1]] = Number(match[2]);
  return fields;
}

/**
 * Private memory (USS) of `pid` in MB: its pages no other process maps (Private_Clean + Private_Dirty).
 * Unlike RSS it leaves out the node binary's pages that another node process also maps.
 */
export function ussMb(pid) {
  const { Private_Clean: clean = 0, Private_Dirty: dirty = 0 } = smapsRollupKb(pid);
  return (clean + dirty) / 1024;
}

/** Whether `pid` runs the same executable as this process: then both map, and share, the node binary's pages. */
export function sameBinary(pid) {
  return readlinkSync(`/proc/${pid}/exe`) === readlinkSync('/proc/self/exe');
}

/** USS of `pid` and every process under it (the launcher and its app): what the group alone holds. */
export function groupUssMb(pid) {
  return ussMb(pid) + childPids(pid).reduce((sum, child) => sum + groupUssMb(child), 0);
}

const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** CPU seconds (user + system) used so far by pid, from /proc/<pid>/stat. */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which may itself hold spaces: utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

/** CPU seconds of `pid` and every process under it: the launcher's share of the work counts too. */
export function groupCpuSeconds(pid) {
  return cpuSeconds(pid) + childPids(pid).reduce((sum, child) => sum + groupCpuSeconds(child), 0);
}
