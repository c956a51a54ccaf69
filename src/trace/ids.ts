// Trace and span ids are slices of one long random hex string: one randomFillSync and one native hex
// conversion per 2048 random bytes, then a substring per id, which V8 makes without copying (a sliced
// string). Measured 76 vs 190 ns for a trace id plus a span id against a hex conversion per id; the
// encoder reads a sliced id ~30 ns slower, so a root span still saves ~80 ns. A live id keeps its 4 KB
// string alive; a larger pool was faster (63 ns at 4096 bytes) but would pin twice as much.

import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 2048;
const pool = Buffer.allocUnsafe(POOL_BYTES);
let hex = '';
let offset = 0;

const ALL_ZERO = /^0+$/;

function randomHex(chars: number): string {
  if (offset + chars > hex.length) {
    randomFillSync(pool);
    // Each refill is a new string: ids already handed out keep pointing at the old one.
    hex = pool.toString('hex');
    offset = 0;
  }
  const start = offset;
  offset += chars;
  const id = hex.substring(start, offset);
  // All-zero ids are invalid; draw again on the (1 in 2^64) chance.
  return id.charCodeAt(0) === 48 && ALL_ZERO.test(id) ? randomHex(chars) : id;
}

export function newTraceId(): string {
  return randomHex(32);
}

export function newSpanId(): string {
  return randomHex(16);
}
