import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writer as PbWriter } from 'protobufjs/minimal';
import { Writer } from '../../../src/export/otlp/encode-protobuf/writer.js';

// Our Writer must produce exactly protobufjs's bytes: the same operations go to both and the outputs are compared.

type Op = (w: Writer | PbWriter) => void;

function both(ops: readonly Op[]): [ours: Buffer, theirs: Buffer] {
  const ours = Writer.create();
  const theirs = PbWriter.create();
  for (const op of ops) {
    op(ours);
    op(theirs);
  }
  return [ours.finish(), Buffer.from(theirs.finish())];
}

function assertSame(ops: readonly Op[], what: string): void {
  const [ours, theirs] = both(ops);
  assert.ok(ours.equals(theirs), `${what}: ours ${ours.toString('hex').slice(0, 80)} != protobufjs ${theirs.toString('hex').slice(0, 80)}`);
}

/** mulberry32: a seeded PRNG so a failure can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VARINT_EDGES = [0, 1, 127, 128, 16383, 16384, 2 ** 21 - 1, 2 ** 21, 2 ** 28 - 1, 2 ** 28, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1];
const INT64_EDGES = [
  ...VARINT_EDGES,
  2 ** 32,
  2 ** 35 + 7,
  2 ** 53 - 1,
  2 ** 53,
  2 ** 62,
  2 ** 63 - 1024, // the largest double below 2^63
  -1,
  -127,
  -128,
  -(2 ** 31),
  -(2 ** 31) - 1,
  -(2 ** 32),
  -(2 ** 53) + 1,
  -(2 ** 63),
];
// 1-, 2-, 3- and 4-byte UTF-8 (the last as a surrogate pair).
const CHARS = ['a', 'Z', '~', '\u0000', '\u007f', '\u0080', 'é', 'ß', '\u07ff', '\u0800', '€', '中', '\uffff', '😀', '\u{10ffff}'];

function randomString(rand: () => number, length: number): string {
  const ascii = rand() < 0.5;
  let s = '';
  while (s.length < length) s += ascii ? String.fromCharCode(32 + Math.floor(rand() * 95)) : CHARS[Math.floor(rand() * CHARS.length)];
  return s;
}

function randomLength(rand: () => number): number {
  const r = rand();
  return r < 0.6 ? Math.floor(rand() * 50) : r < 0.95 ? Math.floor(rand() * 300) : Math.floor(rand() * 20000);
}

test('varint edge values are written like protobufjs (uint32 and int64)', () => {
  for (const v of VARINT_EDGES) assertSame([(w) => w.uint32(v)], `uint32(${v})`);
  for (const v of INT64_EDGES) assertSame([(w) => w.int64(v)], `int64(${v})`);
  // Negative int64s are 10 bytes of two's complement.
  assert.equal(both([(w) => w.int64(-1)])[0].toString('hex'), 'ffffffffffffffffff01');
});

test('fixed32, double and bool are written like protobufjs', () => {
  for (const v of [0, 1, 255, 256, 2 ** 31, 2 ** 32 - 1]) assertSame([(w) => w.fixed32(v)], `fixed32(${v})`);
  for (const v of [0, -0, 1.5, -2.25, Math.PI, 1e300, Number.MIN_VALUE, Infinity, -Infinity, NaN]) {
    assertSame([(w) => w.double(v)], `double(${v})`);
  }
  assertSame([(w) => w.bool(true), (w) => w.bool(false)], 'bool');
});

test('strings: empty, ASCII around the one-byte-length limit, 2-, 3- and 4-byte chars, long', () => {
  const cases = ['', 'a', 'x'.repeat(42), 'x'.repeat(43), 'x'.repeat(44), 'x'.repeat(127), 'x'.repeat(128), 'x'.repeat(20000)];
  for (const c of CHARS) cases.push(c, `ab${c}cd`, c.repeat(42), c.repeat(43), c.repeat(300));
  cases.push('€'.repeat(42), '€'.repeat(43), 'a'.repeat(41) + '😀', '😀'.repeat(5000), 'é'.repeat(8192));
  for (const s of cases) assertSame([(w) => w.uint32(10).string(s)], `string of ${s.length} chars starting ${JSON.stringify(s.slice(0, 4))}`);
});

test('lone surrogates become U+FFFD (valid UTF-8), as protobufjs does for strings of 40 chars or more', () => {
  const lone = ['\ud800', 'a\udc00b', 'x\ud83d', '\ude00\ud83d', '\udbff\udbff'];
  for (const s of lone) {
    const [ours, theirs] = both([(w) => w.string(s)]);
    const utf8 = Buffer.from(s, 'utf8');
    assert.ok(ours.equals(Buffer.concat([Buffer.from([utf8.length]), utf8])), JSON.stringify(s));
    // Short strings: protobufjs writes the surrogate's 3 raw bytes (ED xx xx), which is not valid UTF-8.
    assert.ok(!ours.equals(theirs) && theirs.includes(0xed), `protobufjs changed for ${JSON.stringify(s)}`);
    const long = s + 'y'.repeat(60);
    assertSame([(w) => w.string(long)], `long ${JSON.stringify(s)}`);
  }
});

test('bytes, including empty and longer than 16384', () => {
  for (const n of [0, 1, 127, 128, 16383, 16384, 70000]) {
    const b = Uint8Array.from({ length: n }, (_, i) => (i * 31) & 255);
    assertSame([(w) => w.uint32(18).bytes(b)], `bytes(${n})`);
  }
});

test('nested forks whose lengths cross 128, 16384 and 2^21', () => {
  for (const inner of [0, 1, 126, 127, 128, 129, 16382, 16383, 16384, 16385, 2 ** 21 - 1, 2 ** 21]) {
    const payload = new Uint8Array(Math.max(0, inner - 3)); // 3 bytes of length prefix at most for these sizes
    const ops: Op[] = [
      (w) => w.uint32(10).fork(),
      (w) => w.uint32(18).fork(),
      (w) => w.uint32(26).fork(),
      (w) => w.bytes(payload),
      (w) => w.ldelim(),
      (w) => w.uint32(8).uint32(inner),
      (w) => w.ldelim(),
      (w) => w.uint32(18).fork().ldelim(), // an empty message
      (w) => w.ldelim(),
    ];
    assertSame(ops, `fork around ${inner} bytes`);
  }
});

test('random sequences of operations match protobufjs byte for byte', () => {
  for (let seed = 1; seed <= 400; seed++) {
    const rand = prng(seed);
    const ops: Op[] = [];
    let depth = 0;
    const count = 1 + Math.floor(rand() * 80);
    for (let i = 0; i < count; i++) {
      const kind = Math.floor(rand() * 10);
      const pick = <T>(values: readonly T[]): T => values[Math.floor(rand() * values.length)];
      switch (kind) {
        case 0: {
          const v = rand() < 0.5 ? pick(VARINT_EDGES) : Math.floor(rand() * 2 ** 32);
          ops.push((w) => w.uint32(v));
          break;
        }
        case 1: {
          const v = rand() < 0.5 ? pick(INT64_EDGES) : Math.floor((rand() - 0.5) * 2 ** Math.floor(rand() * 63));
          ops.push((w) => w.int64(v));
          break;
        }
        case 2: {
          const v = Math.floor(rand() * 2 ** 32);
          ops.push((w) => w.fixed32(v));
          break;
        }
        case 3: {
          const v = (rand() - 0.5) * 10 ** Math.floor(rand() * 20);
          ops.push((w) => w.double(v));
          break;
        }
        case 4: {
          const v = rand() < 0.5;
          ops.push((w) => w.bool(v));
          break;
        }
        case 5: {
          const s = randomString(rand, randomLength(rand));
          ops.push((w) => w.uint32(42).string(s));
          break;
        }
        case 6: {
          const b = Uint8Array.from({ length: randomLength(rand) }, () => Math.floor(rand() * 256));
          ops.push((w) => w.uint32(50).bytes(b));
          break;
        }
        case 7:
        case 8:
          if (depth < 12) {
            depth++;
            ops.push((w) => w.uint32(10).fork());
          }
          break;
        default:
          if (depth > 0) {
            depth--;
            ops.push((w) => w.ldelim());
          }
      }
    }
    for (; depth > 0; depth--) ops.push((w) => w.ldelim());
    assertSame(ops, `seed ${seed}`);
  }
});

test('grows past its initial capacity, and finish() returns a copy that later encodes leave alone', () => {
  const big = 'x'.repeat(1000);
  const ops: Op[] = [(w) => w.uint32(10).fork()];
  for (let i = 0; i < 3000; i++) ops.push((w) => w.uint32(18).string(big).uint32(24).int64(-i));
  ops.push((w) => w.ldelim());
  const [first, theirs] = both(ops); // about 3 MB
  assert.ok(first.length > 3_000_000);
  assert.ok(first.equals(theirs));
  const snapshot = Buffer.from(first);
  assertSame([(w) => w.uint32(8).uint32(1), (w) => w.string('again')], 'after growth');
  assert.ok(first.equals(snapshot), 'an earlier result was overwritten');
});

test('a writer created while another is in flight never corrupts it', () => {
  const outer = Writer.create();
  const theirs = PbWriter.create();
  for (const w of [outer, theirs]) w.uint32(10).fork().uint32(18).string('outer before');
  const inner = Writer.create();
  inner.uint32(10).string('x'.repeat(5000)); // grows its own buffer
  const innerBytes = inner.finish();
  for (const w of [outer, theirs]) w.uint32(26).string('outer after').ldelim();
  assert.ok(outer.finish().equals(Buffer.from(theirs.finish())));
  assert.equal(innerBytes.length, 1 + 2 + 5000); // tag, 2-byte length, content
});

test('release() after finish() or a throw frees the scratch once and never twice', () => {
  const abandoned = Writer.create();
  abandoned.uint32(10).fork().string('half written'); // as if an encoder threw here
  abandoned.release();
  const a = Writer.create();
  a.uint32(8).uint32(1);
  abandoned.release(); // again: must not hand a's buffer to someone else
  abandoned.finish();
  const b = Writer.create();
  b.uint32(8).uint32(2);
  assert.equal(a.finish().toString('hex'), '0801');
  assert.equal(b.finish().toString('hex'), '0802');
  // A writer used after finish() writes into a buffer (and fork stack) of its own.
  a.uint32(10).fork().uint32(16).uint32(300);
  const c = Writer.create();
  c.uint32(10).fork().uint32(8).uint32(3);
  a.ldelim();
  c.ldelim();
  assert.equal(a.finish().toString('hex'), '0a0310ac02');
  assert.equal(c.finish().toString('hex'), '0a020803');
  const unbalanced = Writer.create();
  assert.throws(() => unbalanced.ldelim(), /without a matching fork/);
  unbalanced.release();
});
