// Our frames in the app's stack traces, as the app prints them (err.stack) and as Node prints a crash,
// compared with the uninstrumented run. What differs, and only that (README, "What stays the same"):
//  - an http server handler's stack has one frame of ours, the wrapper of Server.prototype.emit,
//    between Node's `Server.emit (node:events)` and `parserOnIncoming`;
//  - an express handler's stack has one frame of ours per layer it passed through (the wrapper of
//    Layer.prototype.handle_request) and one per next() of a router (our next), and express's own
//    `Layer.handle [as handle_request]` frames read `Layer.handle`;
//  - timers and promise reactions have none.
// The app's own frames come first and are the same.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { GrpcReceiver } from '../support/otlp-receiver.js';
import { FIXTURES, ROOT, runCli, startProcess, type Exit } from '../support/run-cli.js';

const STACKS_APP = join(FIXTURES, 'stack-frames', 'handler-stacks.js');
const CRASH_APP = join(FIXTURES, 'stack-frames', 'crash-in-handler.js');
const OURS = join(ROOT, 'dist') + '/';
const APP_FILE = join(FIXTURES, 'stack-frames') + '/';

/** Blocks "--- <where>\n<stack>" of handler-stacks.js, by where. */
function stacksByPlace(stdout: string): Map<string, string[]> {
  const blocks = new Map<string, string[]>();
  for (const block of stdout.split(/^--- /m).slice(1)) {
    const [where, ...lines] = block.trimEnd().split('\n');
    blocks.set(where!, lines);
  }
  return blocks;
}

function isOurs(line: string): boolean {
  return line.includes(OURS);
}

/** The stack without our frames, express's method alias put back: what must equal the uninstrumented one. */
function withoutOurs(lines: readonly string[]): string[] {
  return lines.filter((line) => !isOurs(line)).map((line) => line.replace(/at Layer\.handle \(/, 'at Layer.handle [as handle_request] ('));
}

function appFrames(lines: readonly string[]): string[] {
  const frames: string[] = [];
  for (const line of lines.slice(1)) {
    if (!line.includes(APP_FILE)) break;
    frames.push(line);
  }
  return frames;
}

async function run(env: NodeJS.ProcessEnv, app: string, instrumented: boolean): Promise<Exit> {
  if (!instrumented) return startProcess(process.execPath, [app], env).exited();
  const receiver = await GrpcReceiver.start();
  try {
    return await runCli(['node', app], { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, ...env });
  } finally {
    await receiver.close();
  }
}

/** Our frames per place, at most: the counts measured after moving the context switch into the wrappers. */
const OUR_FRAMES_IN_FULL_STACK: Record<string, number> = { 'http handler': 1, timer: 0, 'promise rejection': 0, 'express handler': 7 };
/** The same in Node's default 10 frames, which are what an app's error page and most loggers show. */
const OUR_FRAMES_IN_10: Record<string, number> = { 'http handler': 1, timer: 0, 'promise rejection': 0, 'express handler': 2 };

for (const [full, limits] of [
  [true, OUR_FRAMES_IN_FULL_STACK],
  [false, OUR_FRAMES_IN_10],
] as const) {
  test(`a handler's error stack (${full ? 'whole' : "Node's default 10 frames"}): the app's frames first and unchanged, at most one frame of ours per wrapper it passed, none in timers and promise reactions`, async () => {
    const env = full ? { FULL_STACKS: '1' } : {};
    const plain = stacksByPlace((await run(env, STACKS_APP, false)).stdout);
    const exit = await run(env, STACKS_APP, true);
    assert.equal(exit.code, 0, exit.stderr);
    const ours = stacksByPlace(exit.stdout);
    assert.deepEqual([...ours.keys()].sort(), Object.keys(limits).sort());
    for (const [where, limit] of Object.entries(limits)) {
      const stack = ours.get(where)!;
      const expected = plain.get(where)!;
      assert.equal(stack[0], expected[0], `${where}: same message`);
      assert.deepEqual(appFrames(stack), appFrames(expected), `${where}: the app's own frames come first, unchanged`);
      assert.ok(appFrames(stack).length >= 1, where);
      const count = stack.filter(isOurs).length;
      assert.equal(count, limit, `${where}: ${count} frames of ours:\n${stack.join('\n')}`);
      if (full) assert.deepEqual(withoutOurs(stack), expected, `${where}: nothing else differs`);
    }
  });
}

test("an uncaught error in an http handler: Node's crash report differs by the one frame of our emit wrapper, and the exit code is the same", async () => {
  const plain = await run({}, CRASH_APP, false);
  const exit = await run({}, CRASH_APP, true);
  assert.equal(plain.code, 1);
  assert.equal(exit.code, 1);
  const lines = exit.stderr.split('\n').filter((line) => !line.startsWith('otel-instrument:'));
  const ours = lines.filter(isOurs);
  assert.equal(ours.length, 1, exit.stderr);
  // The build bundles the preload (scripts/bundle-entries.mjs): the wrapper's frame is in register.bundle.js.
  assert.match(ours[0]!, /^ {4}at Server\.emit \(.*(instrumentations\/http\/server|src\/bootstrap\/register\.bundle)\.js:\d+:\d+\)$/);
  assert.deepEqual(
    lines.filter((line) => !isOurs(line)),
    plain.stderr.split('\n'),
  );
});
