import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { dirname } from 'node:path';
import { startConsoleTreeHost } from '../../src/cli/console-tree-host.js';
import { orderTrace } from '../export/console/tree/tree-fixtures.js';
import { waitFor } from '../support/run-cli.js';

function capture(): { output: { write(text: string): boolean; on(): unknown; isTTY: boolean; columns: number }; text: () => string } {
  let text = '';
  return {
    output: {
      write: (chunk: string) => {
        text += chunk;
        return true;
      },
      on: () => undefined,
      isTTY: false,
      columns: 80,
    },
    text: () => text,
  };
}

function connected(path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(path, () => resolve(socket));
    socket.once('error', reject);
  });
}

test('the launcher prints one tree from the records of two processes, skipping lines that are not records, and removes its socket', async () => {
  const { output, text } = capture();
  const host = startConsoleTreeHost(true, output as never)!;
  const { spans, logs } = orderTrace();
  const shop = await connected(host.path);
  const stock = await connected(host.path);
  // The stock service's span, split across two writes; garbage in between is dropped.
  const stockLine = JSON.stringify(spans[0]);
  stock.write(stockLine.slice(0, 20));
  stock.write(`${stockLine.slice(20)}\nnot json\n{"type":"span"}\n`);
  shop.write(`${[...spans.slice(1), ...logs].map((record) => JSON.stringify(record)).join('\n')}\n`);
  // Printed once the root has been quiet for the grace, while both connections are still open.
  await waitFor(() => text().endsWith('\n\n'), 'the tree');
  stock.end();
  shop.end();
  await host.finish();
  assert.equal(
    text(),
    [
      'GET /api/orders/:id  200  12.4 ms',
      '└─ request handler - /api/orders/:id  11.9 ms',
      '   ├─ GET (client) http://127.0.0.1:41231/stock/tea  3.1 ms',
      '   │  └─ GET /stock/:sku  200  1.2 ms   [stock]',
      '   └─ log INFO  order 42 checked out',
      '',
      '',
    ].join('\n'),
  );
  if (process.platform !== 'win32') assert.equal(existsSync(dirname(host.path)), false);
});

test('finish does not wait long for a process that keeps its connection open (a grandchild outliving the command)', async () => {
  const { output } = capture();
  const host = startConsoleTreeHost(true, output as never)!;
  const lingering = await connected(host.path);
  lingering.on('error', () => undefined);
  const started = Date.now();
  await host.finish();
  assert.ok(Date.now() - started < 2_000);
  lingering.destroy();
});
