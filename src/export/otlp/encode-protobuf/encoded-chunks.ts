// Where items encoded ahead keep their bytes: fixed-size chunks outside the JS heap, reused once every
// item written into a chunk is released (its batch's export is over).
//
// Why not on the JS heap: a span waits up to a batch (tens of ms under load) before its export, so
// whatever holds its bytes survives a scavenge or two and gets promoted. As one-byte strings that was
// ~0.7 MB copied per scavenge on http-hello. Why reused: fresh Buffers per item or per chunk are external
// memory V8 answers with extra full GCs. A chunk whose items are never released (a batch lost to a
// throw) is simply not reused; the GC frees it like any Buffer.

/** 256 KiB holds ~500 typical spans: a queue of 2048 plus a batch in flight needs ~6. */
const CHUNK_BYTES = 256 * 1024;
/** Free chunks kept for reuse; more than this (after a burst) are left to the GC. */
const MAX_FREE_CHUNKS = 8;

export class Chunk {
  readonly buf: Buffer;
  /** buf[0, used) is taken. */
  used = 0;
  /** Items written here and not yet released. */
  live = 0;
  /** False for a one-off chunk made for an item larger than CHUNK_BYTES. */
  readonly pooled: boolean;

  constructor(size: number, pooled: boolean) {
    this.buf = Buffer.allocUnsafeSlow(size);
    this.pooled = pooled;
  }
}

const free: Chunk[] = [];
let current: Chunk | undefined;

/**
 * The chunk items are written into now, a fresh one when there is none: an item written in place at
 * chunk.buf[chunk.used, ...) is then claimed with claimWritten(). It may have no room left; then nextChunk().
 */
export function writableChunk(): Chunk {
  return (current ??= free.pop() ?? new Chunk(CHUNK_BYTES, true));
}

/** The current chunk is too full for the next item: a fresh (or reused) one takes its place. */
export function nextChunk(): Chunk {
  const full = current;
  current = free.pop() ?? new Chunk(CHUNK_BYTES, true);
  if (full !== undefined && full.live === 0) recycle(full);
  return current;
}

/** One item was written in place into `chunk` (writableChunk) up to `end`: counted live until releaseFrom(). */
export function claimWritten(chunk: Chunk, end: number): void {
  chunk.used = end;
  chunk.live++;
}

/**
 * Claims `length` bytes for one item, counted live until releaseFrom(): they are
 * chunk.buf[chunk.used - length, chunk.used) of the chunk returned.
 */
export function reserve(length: number): Chunk {
  let chunk: Chunk;
  if (length > CHUNK_BYTES) chunk = new Chunk(length, false);
  else {
    chunk = current === undefined || current.used + length > CHUNK_BYTES ? nextChunk() : current;
  }
  chunk.used += length;
  chunk.live++;
  return chunk;
}

/** One item of `chunk` is no longer needed; the last one out hands the chunk back (unless still being filled). */
export function releaseFrom(chunk: Chunk): void {
  if (--chunk.live === 0 && chunk !== current && chunk.pooled) recycle(chunk);
}

function recycle(chunk: Chunk): void {
  chunk.used = 0;
  if (free.length < MAX_FREE_CHUNKS) free.push(chunk);
}

/** For tests: how many chunks wait for reuse. */
export function freeChunkCount(): number {
  return free.length;
}
