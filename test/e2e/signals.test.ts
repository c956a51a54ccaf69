// Fault injection around signals: each case runs the same app uninstrumented and under the launcher, sends
// the same signal the same way, and compares what an operator sees: the exit code or signal, stdout (which
// of the app's handlers ran, how often), stderr without our own prefixed lines, and the time to exit.
// The launcher is started detached so that it leads its own process group, as a shell's job or a systemd
// service does; the app stays in that group.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GrpcReceiver } from '../support/otlp-receiver.js';
import { CLI, FIXTURES, cleanEnv, httpGet, waitFor } from '../support/run-cli.js';

const APP = join(FIXTURES, 'signals-app.js');

interface Ended {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** When the process and everything holding its stdout and stderr were gone. */
  readonly at: number;
}

interface Run {
  readonly child: ChildProcess;
  /** The app's pid: the launcher's child, or the process itself uninstrumented. */
  readonly appPid: number;
  readonly port: number;
  stdout(): string;
  waitForStdout(pattern: RegExp, timeoutMs?: number): Promise<void>;
  readonly ended: Promise<Ended>;
}

/** Starts the app in a new process group, uninstrumented or under the launcher, and waits until it serves. */
async function launch(instrumented: boolean, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const args = instrumented ? [CLI, 'node', APP] : [APP];
  // In the temporary directory: SIGQUIT may leave a core file where core dumps are on.
  const child = spawn(process.execPath, args, { cwd: tmpdir(), detached: true, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const ended = new Promise<Ended>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, at: Date.now() }));
  });
  const waitForStdout = (pattern: RegExp, timeoutMs = 15_000): Promise<void> =>
    waitFor(() => pattern.test(stdout), `${pattern} on stdout (got ${JSON.stringify(stdout)}; stderr ${JSON.stringify(stderr)})`, timeoutMs).then(() => undefined);
  await waitForStdout(/listening \d+ pid \d+\n/);
  const [, port, appPid] = /listening (\d+) pid (\d+)/.exec(stdout)!;
  // Under the launcher, the app's preload links to it before the app's own code runs; give the
  // launcher the moment it needs to read the app's hello.
  if (instrumented) await new Promise((resolve) => setTimeout(resolve, 100));
  return { child, appPid: Number(appPid), port: Number(port), stdout: () => stdout, waitForStdout, ended };
}

/** Whatever is left of a run's process group is killed (a failed assertion must not leave servers behind). */
function cleanUp(run: Run | undefined): void {
  if (run === undefined) return;
  for (const target of [-run.child.pid!, run.appPid]) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** What the operator compares: ports and pids differ from run to run; our own diagnostics are ours. */
function seen(ended: Ended): { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string } {
  return {
    code: ended.code,
    signal: ended.signal,
    stdout: ended.stdout.replace(/^listening \d+ pid \d+$/m, 'listening PORT pid PID'),
    stderr: ended.stderr
      .split('\n')
      .filter((line) => !line.startsWith('otel-instrument:'))
      .join('\n'),
  };
}

/** True once `pid` has ended: no such process, or a zombie its (new) parent has not reaped yet. */
function processEnded(pid: number): boolean {
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return true;
  try {
    // state is the field after the parenthesised command name
    return /\) Z /.test(readFileSync(stat, 'utf8'));
  } catch {
    return true;
  }
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

type Send = (run: Run, signal: NodeJS.Signals) => void;

const SENDS: Record<string, Send> = {
  // kill -- -PGID, and what a terminal does with Ctrl-C / Ctrl-\ (to the foreground group).
  'to the process group': (run, signal) => process.kill(-run.child.pid!, signal),
  // docker stop, Kubernetes, a supervisor: only the process they started. Uninstrumented, that is the app.
  "to the launcher's pid": (run, signal) => process.kill(run.child.pid!, signal),
  // systemd's KillMode=control-group: every process of the service, one kill(2) each, the main one first.
  // A process already gone by its turn is passed over, as systemd does (the app may end on the copy the
  // launcher forwarded before the second kill(2) is made).
  'to every process, one after the other': (run, signal) => {
    process.kill(run.child.pid!, signal);
    if (run.appPid !== run.child.pid) {
      try {
        process.kill(run.appPid, signal);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
      }
    }
  },
};

/** Runs the app both ways with `env`, sends `signal` the way `send` does, and returns what each showed and how long it took. */
async function compare(env: NodeJS.ProcessEnv, send: Send, signal: NodeJS.Signals, delivers = true) {
  const receiver = await GrpcReceiver.start();
  let plain: Run | undefined;
  let ours: Run | undefined;
  try {
    plain = await launch(false, env);
    let sentAt = Date.now();
    send(plain, signal);
    const plainEnded = await plain.ended;
    const plainMs = plainEnded.at - sentAt;

    ours = await launch(true, { ...env, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
    await httpGet(`http://127.0.0.1:${ours.port}/hello`, { connection: 'close' });
    sentAt = Date.now();
    send(ours, signal);
    const oursEnded = await ours.ended;
    const oursMs = oursEnded.at - sentAt;
    // Whatever way the app ended, its request was delivered (handed to the launcher at exit), once.
    if (delivers) {
      const spans = await receiver.waitForSpans(1);
      assert.equal(new Set(spans.map((s) => s.spanId)).size, spans.length, 'no span twice');
    }
    return { plain: seen(plainEnded), ours: seen(oursEnded), plainMs, oursMs };
  } finally {
    cleanUp(plain);
    cleanUp(ours);
    await receiver.close();
  }
}

/** How much later than the uninstrumented app ours may end: the launcher sends what the app handed over. */
const EXIT_SLACK_MS = 700;

for (const [how, send] of Object.entries(SENDS)) {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    test(`${signal} ${how} runs the app's ${signal} handler once, with the uninstrumented exit code, output and time`, async (t) => {
      const { plain, ours, plainMs, oursMs } = await compare({ TRAP: 'SIGINT,SIGTERM' }, send, signal);
      t.diagnostic(`exit took ${oursMs} ms, uninstrumented ${plainMs} ms`);
      assert.deepEqual(plain, {
        code: 0,
        signal: null,
        stdout: `listening PORT pid PID\nhandler ${signal} 1\nexit 0\n`,
        stderr: '',
      });
      assert.deepEqual(ours, plain);
      assert.ok(oursMs < plainMs + EXIT_SLACK_MS, `exit took ${oursMs} ms, uninstrumented ${plainMs} ms`);
    });

    test(`${signal} ${how} ends an app without a handler by ${signal}, as uninstrumented`, async (t) => {
      const { plain, ours, plainMs, oursMs } = await compare({}, send, signal);
      t.diagnostic(`exit took ${oursMs} ms, uninstrumented ${plainMs} ms`);
      assert.deepEqual(plain, { code: null, signal, stdout: 'listening PORT pid PID\n', stderr: '' });
      assert.deepEqual(ours, plain);
      assert.ok(oursMs < plainMs + EXIT_SLACK_MS, `exit took ${oursMs} ms, uninstrumented ${plainMs} ms`);
    });
  }
}

test('SIGHUP and SIGQUIT to the process group end the app once by that signal, as uninstrumented', async () => {
  for (const signal of ['SIGHUP', 'SIGQUIT'] as const) {
    // SIGQUIT asks for a core dump: nothing is sent on the way out.
    const { plain, ours } = await compare({ TRAP: 'SIGINT' }, SENDS['to the process group']!, signal, signal !== 'SIGQUIT');
    assert.equal(plain.signal, signal);
    assert.deepEqual(ours, plain);
  }
});

test('a signal the app handles, sent twice to the group, runs its handler twice, as uninstrumented', async () => {
  const twice: Send = (run, signal) => {
    process.kill(-run.child.pid!, signal);
    void run.waitForStdout(/handler SIGINT 1\n/).then(() => process.kill(-run.child.pid!, signal), () => undefined);
  };
  const { plain, ours } = await compare({ TRAP: 'SIGINT' }, twice, 'SIGINT');
  assert.deepEqual(plain, { code: 9, signal: null, stdout: 'listening PORT pid PID\nhandler SIGINT 1\nhandler SIGINT 2\nexit 9\n', stderr: '' });
  assert.deepEqual(ours, plain);
});

test('a hung app still ends at once by a signal it does not listen to, however the signal is sent, as uninstrumented', async () => {
  // SIGQUIT (a core dump of a hung process), and SIGTERM with the SDK off: nothing of ours listens to
  // them, so their default action still ends an app whose event loop is blocked.
  const cases = [
    ['SIGQUIT', {}],
    ['SIGTERM', { OTEL_SDK_DISABLED: 'true' }],
  ] as const;
  for (const [signal, env] of cases) {
    for (const how of ['to the process group', "to the launcher's pid"]) {
      let plain: Run | undefined;
      let ours: Run | undefined;
      try {
        plain = await launch(false, { HANG_MS: '20000' });
        let sentAt = Date.now();
        SENDS[how]!(plain, signal);
        const plainEnded = await plain.ended;
        const plainMs = plainEnded.at - sentAt;
        ours = await launch(true, { ...env, HANG_MS: '20000' });
        sentAt = Date.now();
        SENDS[how]!(ours, signal);
        const oursEnded = await ours.ended;
        const oursMs = oursEnded.at - sentAt;
        assert.deepEqual(seen(plainEnded), { code: null, signal, stdout: 'listening PORT pid PID\n', stderr: '' });
        assert.deepEqual(seen(oursEnded), seen(plainEnded), `${signal} ${how}`);
        assert.ok(oursMs < plainMs + EXIT_SLACK_MS, `${signal} ${how}: exit took ${oursMs} ms, uninstrumented ${plainMs} ms`);
      } finally {
        cleanUp(plain);
        cleanUp(ours);
      }
    }
  }
});

test('kill -9 of the launcher ends the app at once, as if killed with it: no orphan, its port free', async (t) => {
  const receiver = await GrpcReceiver.start();
  let plain: Run | undefined;
  let ours: Run | undefined;
  try {
    // Uninstrumented, kill -9 of the app itself.
    plain = await launch(false, { TRAP: 'SIGINT,SIGTERM' });
    process.kill(plain.appPid, 'SIGKILL');
    const plainEnded = await plain.ended;
    assert.deepEqual(seen(plainEnded), { code: null, signal: 'SIGKILL', stdout: 'listening PORT pid PID\n', stderr: '' });

    ours = await launch(true, { TRAP: 'SIGINT,SIGTERM', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
    await httpGet(`http://127.0.0.1:${ours.port}/hello`, { connection: 'close' });
    const killedAt = Date.now();
    process.kill(ours.child.pid!, 'SIGKILL');
    const app = ours;
    await waitFor(() => processEnded(app.appPid), `app pid ${app.appPid} to end`, 1000);
    while (!(await portIsFree(app.port)) && Date.now() - killedAt < 1000) await new Promise((resolve) => setTimeout(resolve, 10));
    const endedAfter = Date.now() - killedAt;
    assert.ok(await portIsFree(app.port), `port ${app.port} still held`);
    assert.ok(endedAfter < 1000, `the app ended ${endedAfter} ms after its launcher`);
    t.diagnostic(`app gone and its port free ${endedAfter} ms after the launcher's kill -9`);
    const oursEnded = await ours.ended;
    // Killed, like the uninstrumented app: no handler ran, no 'exit' listener.
    assert.equal(seen(oursEnded).stdout, seen(plainEnded).stdout);
    assert.equal(seen(oursEnded).stderr, '');
    // The next start on the same port works.
    const next = await launch(false, { PORT: String(ours.port) });
    cleanUp(next);
  } finally {
    cleanUp(plain);
    cleanUp(ours);
    await receiver.close();
  }
});

test('kill -9 of the app ends the launcher by SIGKILL too, after delivering what the app had sent', async () => {
  const receiver = await GrpcReceiver.start();
  let ours: Run | undefined;
  try {
    ours = await launch(true, { TRAP: 'SIGTERM', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '50' });
    await httpGet(`http://127.0.0.1:${ours.port}/hello`, { connection: 'close' });
    const [span] = await receiver.waitForSpans(1);
    const killedAt = Date.now();
    process.kill(ours.appPid, 'SIGKILL');
    const ended = await ours.ended;
    assert.deepEqual({ code: ended.code, signal: ended.signal }, { code: null, signal: 'SIGKILL' });
    assert.ok(ended.at - killedAt < 1000, `the launcher ended ${ended.at - killedAt} ms after the app`);
    assert.equal(seen(ended).stdout, 'listening PORT pid PID\n');
    assert.deepEqual(
      receiver.spans().map((s) => s.spanId),
      [span!.spanId],
    );
  } finally {
    cleanUp(ours);
    await receiver.close();
  }
});

test('SIGTERM to an app whose launcher is gone exits as fast as uninstrumented, with its exit code', async (t) => {
  // The app handles SIGTERM slowly (its loop blocked for a second, then exit 0); its launcher is killed
  // meanwhile. A black-holed collector: anything that tried to send at exit would wait for it.
  const net = await import('node:net');
  const sockets: import('node:net').Socket[] = [];
  const hole = net.createServer((socket) => sockets.push(socket)).listen(0, '127.0.0.1');
  await new Promise((resolve) => hole.once('listening', resolve));
  const env = { TRAP: 'SIGTERM', BUSY_MS: '1000' };
  let plain: Run | undefined;
  let ours: Run | undefined;
  try {
    plain = await launch(false, env);
    process.kill(plain.appPid, 'SIGTERM');
    await plain.waitForStdout(/handler SIGTERM 1\n/);
    let handledAt = Date.now();
    const plainEnded = await plain.ended;
    const plainMs = plainEnded.at - handledAt;

    const port = (hole.address() as import('node:net').AddressInfo).port;
    ours = await launch(true, { ...env, OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`, OTEL_EXPORTER_OTLP_TIMEOUT: '5000' });
    await httpGet(`http://127.0.0.1:${ours.port}/hello`, { connection: 'close' });
    process.kill(ours.appPid, 'SIGTERM');
    await ours.waitForStdout(/handler SIGTERM 1\n/);
    handledAt = Date.now();
    process.kill(ours.child.pid!, 'SIGKILL');
    const oursEnded = await ours.ended; // the app held stdout: 'close' comes when it is gone too
    const oursMs = oursEnded.at - handledAt;
    assert.equal(seen(oursEnded).stdout, seen(plainEnded).stdout);
    assert.equal(seen(plainEnded).stdout, 'listening PORT pid PID\nhandler SIGTERM 1\nexit 0\n');
    assert.equal(seen(oursEnded).stderr, seen(plainEnded).stderr);
    t.diagnostic(`exit ${oursMs} ms after the handler started, uninstrumented ${plainMs} ms`);
    assert.ok(oursMs < plainMs + 300, `exit took ${oursMs} ms after the handler started, uninstrumented ${plainMs} ms`);
  } finally {
    cleanUp(plain);
    cleanUp(ours);
    for (const socket of sockets) socket.destroy();
    hole.close();
  }
});
