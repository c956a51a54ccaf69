// The launcher's side of the exit handoff reads frames as the socket delivers them: in chunks of any
// size, a frame split anywhere, a torn last frame dropped.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { HandoffCollector } from '../../src/exit/launcher-receiver.js';
import { encodeFrame, frameBytesNeeded, type ExitSend } from '../../src/exit/exit-sends.js';
import { otlpConfig } from '../support/exporter-helpers.js';

function send(bytes: number, fill: number): ExitSend {
  return { signal: 'traces', config: otlpConfig('grpc', 'http://127.0.0.1:4317'), body: Buffer.alloc(bytes, fill) };
}

async function collect(stream: Buffer, chunkSizes: readonly number[]): Promise<Array<{ length: number; fill: number | undefined }>> {
  const socket = new PassThrough();
  const collector = new HandoffCollector(socket);
  let at = 0;
  for (let i = 0; at < stream.length; i++) {
    const size = chunkSizes[i % chunkSizes.length]!;
    socket.write(stream.subarray(at, at + size));
    at += size;
    await new Promise((resolve) => setImmediate(resolve));
  }
  socket.end();
  return collector.frames().map((frame) => ({ length: frame.body.length, fill: frame.body[0] }));
}

test('frames arrive whole however the socket cuts them: byte by byte, in odd chunks, or all at once', async () => {
  const sends = [send(10, 1), send(0, 0), send(300_000, 2), send(5, 3)];
  const stream = Buffer.concat(sends.map(encodeFrame));
  const expected = [{ length: 10, fill: 1 }, { length: 0, fill: undefined }, { length: 300_000, fill: 2 }, { length: 5, fill: 3 }];
  assert.deepEqual(await collect(stream, [stream.length]), expected);
  assert.deepEqual(await collect(stream, [7, 1, 65_536, 3]), expected);
  assert.deepEqual(await collect(stream.subarray(0, 400), [1]), expected.slice(0, 2), 'a torn frame is dropped');
});

test('a large hand-off arrives whole', async () => {
  const stream = encodeFrame(send(32 * 1024 * 1024, 9));
  assert.deepEqual(await collect(stream, [65_536]), [{ length: 32 * 1024 * 1024, fill: 9 }]);
});

test('frameBytesNeeded: the next 4 bytes, then the header, then the whole frame', () => {
  const frame = encodeFrame(send(100, 1));
  const headerLength = frame.readUInt32BE(0);
  assert.equal(frameBytesNeeded(frame.subarray(0, 2)), 4);
  assert.equal(frameBytesNeeded(frame.subarray(0, 4)), 4 + headerLength);
  assert.equal(frameBytesNeeded(frame.subarray(0, 4 + headerLength)), frame.length);
  assert.equal(frameBytesNeeded(frame.subarray(0, frame.length - 1)), frame.length);
});
