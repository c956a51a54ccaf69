// `otel-instrument view`: the viewer alone prints its URL and receivers once on stderr, takes OTLP from
// any SDK (here OTLP/JSON by hand, as another language's SDK would send), serves it on the page's API,
// ends on Ctrl-C, and with --view_file keeps what it received across a restart.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCli, type Running } from '../support/run-cli.js';

async function started(cli: Running): Promise<{ page: string; http: string }> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const m = /viewer at (\S+) \(OTLP: gRPC \S+, HTTP (\S+)\)/.exec(cli.stderr());
    if (m) return { page: m[1]!, http: m[2]! };
    if (Date.now() > deadline || cli.child.exitCode !== null) throw new Error(`no viewer line: ${cli.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const TRACE = {
  resourceSpans: [{
    resource: { attributes: [{ key: 'service.name', value: { stringValue: 'from-python' } }] },
    scopeSpans: [{ spans: [{
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', name: 'GET /py/:id', kind: 2,
      startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000000250000000',
      attributes: [{ key: 'http.route', value: { stringValue: '/py/:id' } }],
    }] }],
  }],
};

test('view: receives OTLP/JSON from any SDK, serves it on the page API, prints the URL once, stops on Ctrl-C, and --view_file keeps it across a restart', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'view-cmd-'));
  const file = join(dir, 'seen.json');
  try {
    const first = startCli(['--view_port', '0', '--view_file', file, 'view']);
    const { page, http } = await started(first);
    assert.equal(first.stderr().match(/viewer at/g)?.length, 1);
    const res = await fetch(`${http}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(TRACE) });
    assert.equal(res.status, 200);
    const list = (await (await fetch(`${page}api/traces?route=/py/:id`)).json()) as any;
    assert.deepEqual(list.traces.map((t: any) => [t.traceId, t.service, t.rootName, t.durationMs]), [['4bf92f3577b34da6a3ce929d0e0e4736', 'from-python', 'GET /py/:id', 250]]);
    const html = await (await fetch(page)).text();
    assert.match(html, /<script src="\/app.js"><\/script>/);
    assert.equal((await fetch(`${page}app.js`)).status, 200);
    first.child.kill('SIGINT');
    const exit = await first.exited();
    assert.equal(exit.code, 0, exit.stderr);
    assert.ok(statSync(file).size > 0, 'the snapshot was written on the way out');

    const second = startCli(['--view_port', '0', '--view_file', file, 'view']);
    const again = await started(second);
    const kept = (await (await fetch(`${again.page}api/traces/4bf92f3577b34da6a3ce929d0e0e4736`)).json()) as any;
    assert.equal(kept.spans[0].name, 'GET /py/:id');
    second.child.kill('SIGINT');
    assert.equal((await second.exited()).code, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
