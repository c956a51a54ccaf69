// exporter.onTheWire(): whether the export in flight has its request written in full and awaits the
// answer. The exit path leaves such an export to the collector instead of sending it a second time
// (src/core/batch-queue.ts takeAll), and hands over one that never got out.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as net from 'node:net';
import { createOtlpTraceExporter } from '../../../src/export/otlp/otlp-exporter.js';
import { exportOnce, FAST_BACKOFF, holdingLoop, otlpConfig } from '../../support/exporter-helpers.js';
import { startGrpcReceiver, startHttpReceiver } from '../../support/otlp-receiver.js';
import { waitFor } from '../../support/run-cli.js';

for (const protocol of ['grpc', 'http/protobuf'] as const) {
  test(`${protocol}: on the wire from the moment the collector has the request until its answer`, async () => {
    const receiver = protocol === 'grpc' ? await startGrpcReceiver() : await startHttpReceiver();
    try {
      receiver.respond({ delayMs: 300 });
      const exporter = createOtlpTraceExporter(otlpConfig(protocol, receiver.url), { backoff: FAST_BACKOFF });
      assert.equal(exporter.onTheWire?.(), false);
      const result = exportOnce(exporter);
      await waitFor(() => receiver.requests.length === 1, 'the request at the receiver');
      assert.equal(exporter.onTheWire?.(), true);
      assert.equal((await result).ok, true);
      assert.equal(exporter.onTheWire?.(), false);
      await exporter.shutdown();
    } finally {
      await receiver.close();
    }
  });

  test(`${protocol}: never on the wire while the collector cannot be reached, nor once the attempt failed`, async () => {
    // A port nothing listens on: every attempt is refused before a byte is written.
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const exporter = createOtlpTraceExporter(otlpConfig(protocol, `http://127.0.0.1:${port}`, { timeoutMs: 300 }), { backoff: FAST_BACKOFF });
    await holdingLoop(async () => {
      const result = exportOnce(exporter);
      const seen = new Set<boolean>();
      const probe = setInterval(() => seen.add(exporter.onTheWire?.() === true), 1);
      assert.equal((await result).ok, false);
      clearInterval(probe);
      assert.deepEqual([...seen], [false]);
    });
    await exporter.shutdown();
  });
}
