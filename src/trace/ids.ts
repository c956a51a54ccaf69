// Trace and span ids from one pooled random buffer: one randomFillSync per 1024 spans,
// hex built from a 256-entry table instead of Buffer#toString per id.

import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 8192;
const pool = Buffer.allocUnsafe(POOL_BYTES);
let offset = POOL_BYTES;

const HEX_BYTE: string[] = [];
for (let i = 0; i < 256; i++) HEX_BYTE.push(i.toString(16).padStart(2, '0'));

function randomHex(bytes: number): string {
  if (offset + bytes > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  let hex = '';
  let nonZero = 0;
  for (let i = offset, end = offset + bytes; i < end; i++) {
    const byte = pool[i]!;
    nonZero |= byte;
    hex += HEX_BYTE[byte];
  }
  offset += bytes;
  // All-zero ids are invalid; draw again on the (1 in 2^64) chance.
  return nonZero === 0 ? randomHex(bytes) : hex;
}

export function newTraceId(): string {
  return randomHex(16);
}

export function newSpanId(): string {
  return randomHex(8);
}
