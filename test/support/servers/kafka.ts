// A Kafka broker for the kafkajs tests: the one OTEL_TEST_KAFKA_BROKERS names (host:port), else a
// single-node broker in this process that speaks the Kafka wire protocol on a free loopback port.
//
// Why an emulator: no Kafka broker installs here (Debian has none; the npm registry has clients, not
// brokers; Kafka's own jars come from Maven, which this machine does not reach). This one implements,
// from the protocol's specification, the requests a kafkajs producer and a group consumer make, at one
// version each (it announces exactly those in ApiVersions, so kafkajs uses them): ApiVersions v0-2,
// Metadata v1, Produce v3, Fetch v4, ListOffsets v1, FindCoordinator v0, JoinGroup v0, SyncGroup v0,
// Heartbeat v0, LeaveGroup v0, OffsetCommit v2, OffsetFetch v1. Topics are created on first mention
// with one partition. Record batches are stored as the producer encoded them (magic 2, headers
// included) with the broker's offsets written into their base offset, and served to fetches as they
// are: what the consumer decodes is what the producer sent. Not implemented: replication, several
// partitions, consumer groups of more than one member at a time, transactions, compression
// (stored as sent, which is enough), ACLs, quotas. An unknown request closes the connection.

import { EventEmitter } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';

export interface KafkaBroker {
  /** host:port, for kafkajs's `brokers`. */
  readonly broker: string;
  readonly host: string;
  readonly port: number;
  /** True when this is the emulator, false for a broker named by OTEL_TEST_KAFKA_BROKERS. */
  readonly emulated: boolean;
  stop(): Promise<void>;
}

// --- wire format ---------------------------------------------------------------------------------

class Reader {
  #offset = 0;
  constructor(private readonly buffer: Buffer) {}
  int8(): number {
    const value = this.buffer.readInt8(this.#offset);
    this.#offset += 1;
    return value;
  }
  int16(): number {
    const value = this.buffer.readInt16BE(this.#offset);
    this.#offset += 2;
    return value;
  }
  int32(): number {
    const value = this.buffer.readInt32BE(this.#offset);
    this.#offset += 4;
    return value;
  }
  int64(): bigint {
    const value = this.buffer.readBigInt64BE(this.#offset);
    this.#offset += 8;
    return value;
  }
  string(): string | null {
    const length = this.int16();
    if (length < 0) return null;
    const value = this.buffer.toString('utf8', this.#offset, this.#offset + length);
    this.#offset += length;
    return value;
  }
  bytes(): Buffer | null {
    const length = this.int32();
    if (length < 0) return null;
    const value = this.buffer.subarray(this.#offset, this.#offset + length);
    this.#offset += length;
    return value;
  }
  array<T>(item: (reader: Reader) => T): T[] {
    const count = this.int32();
    const items: T[] = [];
    for (let i = 0; i < count; i++) items.push(item(this));
    return items;
  }
}

class Writer {
  readonly #chunks: Buffer[] = [];
  int8(value: number): this {
    const b = Buffer.alloc(1);
    b.writeInt8(value);
    return this.push(b);
  }
  int16(value: number): this {
    const b = Buffer.alloc(2);
    b.writeInt16BE(value);
    return this.push(b);
  }
  int32(value: number): this {
    const b = Buffer.alloc(4);
    b.writeInt32BE(value);
    return this.push(b);
  }
  int64(value: bigint): this {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(value);
    return this.push(b);
  }
  bool(value: boolean): this {
    return this.int8(value ? 1 : 0);
  }
  string(value: string | null): this {
    if (value === null) return this.int16(-1);
    const b = Buffer.from(value, 'utf8');
    return this.int16(b.length).push(b);
  }
  bytes(value: Buffer | null): this {
    if (value === null) return this.int32(-1);
    return this.int32(value.length).push(value);
  }
  array<T>(items: readonly T[], item: (writer: Writer, value: T) => void): this {
    this.int32(items.length);
    for (const value of items) item(this, value);
    return this;
  }
  push(chunk: Buffer): this {
    this.#chunks.push(chunk);
    return this;
  }
  toBuffer(): Buffer {
    return Buffer.concat(this.#chunks);
  }
}

// --- the broker's state --------------------------------------------------------------------------

const API = { Produce: 0, Fetch: 1, ListOffsets: 2, Metadata: 3, OffsetCommit: 8, OffsetFetch: 9, FindCoordinator: 10, JoinGroup: 11, Heartbeat: 12, LeaveGroup: 13, SyncGroup: 14, ApiVersions: 18 } as const;
/** [api key, min version, max version]: exactly what is implemented below. */
const SUPPORTED: readonly (readonly [number, number, number])[] = [
  [API.Produce, 3, 3],
  [API.Fetch, 4, 4],
  [API.ListOffsets, 1, 1],
  [API.Metadata, 1, 1],
  [API.OffsetCommit, 2, 2],
  [API.OffsetFetch, 1, 1],
  [API.FindCoordinator, 0, 0],
  [API.JoinGroup, 0, 0],
  [API.Heartbeat, 0, 0],
  [API.LeaveGroup, 0, 0],
  [API.SyncGroup, 0, 0],
  [API.ApiVersions, 0, 2],
];
const NONE = 0;
const OFFSET_OUT_OF_RANGE = 1;
const UNKNOWN_TOPIC_OR_PARTITION = 3;
const UNKNOWN_MEMBER_ID = 25;
const NODE_ID = 0;

/** One stored record batch: its bytes (base offset already the broker's) and the offsets it holds. */
interface StoredBatch {
  readonly bytes: Buffer;
  readonly baseOffset: bigint;
  readonly lastOffset: bigint;
}

class Partition {
  readonly batches: StoredBatch[] = [];
  nextOffset = 0n;

  /** Appends each record batch of a produced record set; returns the base offset of the first. */
  append(recordSet: Buffer): bigint {
    const first = this.nextOffset;
    let at = 0;
    while (at + 61 <= recordSet.length) {
      const length = 12 + recordSet.readInt32BE(at + 8);
      const bytes = Buffer.from(recordSet.subarray(at, at + length));
      const lastOffsetDelta = bytes.readInt32BE(23);
      bytes.writeBigInt64BE(this.nextOffset, 0);
      this.batches.push({ bytes, baseOffset: this.nextOffset, lastOffset: this.nextOffset + BigInt(lastOffsetDelta) });
      this.nextOffset += BigInt(lastOffsetDelta) + 1n;
      at += length;
    }
    return first;
  }

  /** The stored batches holding offsets from `offset` on, up to about `maxBytes`. */
  readFrom(offset: bigint, maxBytes: number): Buffer {
    const chunks: Buffer[] = [];
    let size = 0;
    for (const batch of this.batches) {
      if (batch.lastOffset < offset) continue;
      if (size !== 0 && size + batch.bytes.length > maxBytes) break;
      chunks.push(batch.bytes);
      size += batch.bytes.length;
    }
    return Buffer.concat(chunks);
  }
}

interface Group {
  generation: number;
  protocol: string;
  readonly members: Map<string, Buffer>;
  readonly assignments: Map<string, Buffer>;
  readonly offsets: Map<string, bigint>;
}

class BrokerState {
  readonly topics = new Map<string, Partition>();
  readonly groups = new Map<string, Group>();
  readonly appended = new EventEmitter();
  #members = 0;

  constructor() {
    this.appended.setMaxListeners(0);
  }

  partition(topic: string): Partition {
    let partition = this.topics.get(topic);
    if (partition === undefined) {
      partition = new Partition();
      this.topics.set(topic, partition);
    }
    return partition;
  }

  group(id: string): Group {
    let group = this.groups.get(id);
    if (group === undefined) {
      group = { generation: 0, protocol: '', members: new Map(), assignments: new Map(), offsets: new Map() };
      this.groups.set(id, group);
    }
    return group;
  }

  newMemberId(clientId: string): string {
    return `${clientId}-${++this.#members}`;
  }
}

// --- requests ------------------------------------------------------------------------------------

interface Request {
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly clientId: string;
  readonly body: Reader;
}

async function answer(state: BrokerState, host: string, port: number, request: Request): Promise<Buffer | undefined> {
  const r = request.body;
  const w = new Writer();
  switch (request.apiKey) {
    case API.ApiVersions: {
      w.int16(NONE).array(SUPPORTED, (out, [key, min, max]) => out.int16(key).int16(min).int16(max));
      if (request.apiVersion >= 1) w.int32(0);
      return w.toBuffer();
    }
    case API.Metadata: {
      const requested = r.int32();
      const names: string[] = [];
      for (let i = 0; i < requested; i++) names.push(r.string()!);
      for (const name of names) state.partition(name);
      const topics = requested < 0 ? [...state.topics.keys()] : names;
      w.array([NODE_ID], (out, id) => out.int32(id).string(host).int32(port).string(null)).int32(NODE_ID);
      w.array(topics, (out, topic) =>
        out
          .int16(NONE)
          .string(topic)
          .bool(false)
          .array([0], (p) => p.int16(NONE).int32(0).int32(NODE_ID).array([NODE_ID], (x, id) => x.int32(id)).array([NODE_ID], (x, id) => x.int32(id))),
      );
      return w.toBuffer();
    }
    case API.Produce: {
      r.string();
      const acks = r.int16();
      r.int32();
      const results = r.array((t) => {
        const topic = t.string()!;
        const partitions = t.array((p) => {
          const partition = p.int32();
          const recordSet = p.bytes();
          if (partition !== 0 || recordSet === null) return { partition, error: UNKNOWN_TOPIC_OR_PARTITION, base: -1n };
          return { partition, error: NONE, base: state.partition(topic).append(recordSet) };
        });
        return { topic, partitions };
      });
      state.appended.emit('append');
      if (acks === 0) return undefined;
      w.array(results, (out, { topic, partitions }) => out.string(topic).array(partitions, (p, x) => p.int32(x.partition).int16(x.error).int64(x.base).int64(-1n)));
      return w.int32(0).toBuffer();
    }
    case API.Fetch: {
      r.int32();
      const maxWait = r.int32();
      r.int32();
      const maxBytes = r.int32();
      r.int8();
      const wanted = r.array((t) => ({ topic: t.string()!, partitions: t.array((p) => ({ partition: p.int32(), offset: p.int64(), maxBytes: p.int32() })) }));
      const hasData = (): boolean =>
        wanted.some(({ topic, partitions }) => partitions.some(({ partition, offset }) => partition === 0 && state.partition(topic).nextOffset > offset));
      if (!hasData()) await waitForAppend(state, Math.min(maxWait, 1000), hasData);
      w.int32(0).array(wanted, (out, { topic, partitions }) =>
        out.string(topic).array(partitions, (p, { partition, offset, maxBytes: partitionMax }) => {
          const log = state.partition(topic);
          const error = partition !== 0 ? UNKNOWN_TOPIC_OR_PARTITION : offset > log.nextOffset ? OFFSET_OUT_OF_RANGE : NONE;
          const records = error === NONE ? log.readFrom(offset, Math.min(partitionMax, maxBytes)) : Buffer.alloc(0);
          p.int32(partition).int16(error).int64(log.nextOffset).int64(log.nextOffset).array([], () => {}).bytes(records);
        }),
      );
      return w.toBuffer();
    }
    case API.ListOffsets: {
      r.int32();
      const wanted = r.array((t) => ({ topic: t.string()!, partitions: t.array((p) => ({ partition: p.int32(), timestamp: p.int64() })) }));
      w.array(wanted, (out, { topic, partitions }) =>
        out.string(topic).array(partitions, (p, { partition, timestamp }) => {
          const log = state.partition(topic);
          // -2: the earliest offset; -1 (and any time): the next one.
          p.int32(partition).int16(NONE).int64(-1n).int64(timestamp === -2n ? 0n : log.nextOffset);
        }),
      );
      return w.toBuffer();
    }
    case API.FindCoordinator: {
      r.string();
      return w.int16(NONE).int32(NODE_ID).string(host).int32(port).toBuffer();
    }
    case API.JoinGroup: {
      const group = state.group(r.string()!);
      r.int32();
      let memberId = r.string()!;
      r.string();
      const protocols = r.array((p) => ({ name: p.string()!, metadata: p.bytes()! }));
      // One member at a time: a join starts a new generation led by the member that joined.
      if (memberId === '') memberId = state.newMemberId(request.clientId);
      group.members.clear();
      group.assignments.clear();
      group.members.set(memberId, protocols[0]!.metadata);
      group.generation++;
      group.protocol = protocols[0]!.name;
      w.int16(NONE).int32(group.generation).string(group.protocol).string(memberId).string(memberId);
      w.array([...group.members], (out, [id, metadata]) => out.string(id).bytes(metadata));
      return w.toBuffer();
    }
    case API.SyncGroup: {
      const group = state.group(r.string()!);
      r.int32();
      const memberId = r.string()!;
      for (const { member, assignment } of r.array((a) => ({ member: a.string()!, assignment: a.bytes()! }))) group.assignments.set(member, assignment);
      if (!group.members.has(memberId)) return w.int16(UNKNOWN_MEMBER_ID).bytes(Buffer.alloc(0)).toBuffer();
      return w.int16(NONE).bytes(group.assignments.get(memberId) ?? Buffer.alloc(0)).toBuffer();
    }
    case API.Heartbeat: {
      const group = state.group(r.string()!);
      r.int32();
      return w.int16(group.members.has(r.string()!) ? NONE : UNKNOWN_MEMBER_ID).toBuffer();
    }
    case API.LeaveGroup: {
      const group = state.group(r.string()!);
      group.members.delete(r.string()!);
      return w.int16(NONE).toBuffer();
    }
    case API.OffsetCommit: {
      const group = state.group(r.string()!);
      r.int32();
      r.string();
      r.int64();
      const topics = r.array((t) => ({ topic: t.string()!, partitions: t.array((p) => ({ partition: p.int32(), offset: p.int64(), metadata: p.string() })) }));
      for (const { topic, partitions } of topics) for (const { partition, offset } of partitions) group.offsets.set(`${topic}/${partition}`, offset);
      w.array(topics, (out, { topic, partitions }) => out.string(topic).array(partitions, (p, { partition }) => p.int32(partition).int16(NONE)));
      return w.toBuffer();
    }
    case API.OffsetFetch: {
      const group = state.group(r.string()!);
      const topics = r.array((t) => ({ topic: t.string()!, partitions: t.array((p) => p.int32()) }));
      w.array(topics, (out, { topic, partitions }) =>
        out.string(topic).array(partitions, (p, partition) => p.int32(partition).int64(group.offsets.get(`${topic}/${partition}`) ?? -1n).string('').int16(NONE)),
      );
      return w.toBuffer();
    }
    default:
      return undefined;
  }
}

/** Resolves when `ready()` after an append, or after `ms`. */
function waitForAppend(state: BrokerState, ms: number, ready: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      state.appended.off('append', check);
      resolve();
    };
    const check = (): void => {
      if (ready()) done();
    };
    const timer = setTimeout(done, ms);
    state.appended.on('append', check);
  });
}

// --- connections ---------------------------------------------------------------------------------

function serve(state: BrokerState, socket: Socket, host: string, port: number): void {
  let pending: Buffer = Buffer.alloc(0);
  // Kafka answers a connection's requests in order: each waits for the one before it.
  let queue: Promise<void> = Promise.resolve();
  socket.on('error', () => {});
  socket.on('data', (chunk: Buffer) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
      const frame = pending.subarray(4, 4 + pending.readInt32BE(0));
      pending = pending.subarray(4 + frame.length);
      const reader = new Reader(frame);
      const apiKey = reader.int16();
      const apiVersion = reader.int16();
      const correlationId = reader.int32();
      const clientId = reader.string() ?? '';
      const request: Request = { apiKey, apiVersion, clientId, body: reader };
      const known = SUPPORTED.some(([key, min, max]) => key === apiKey && apiVersion >= min && apiVersion <= max);
      queue = queue.then(async () => {
        if (!known) {
          socket.destroy();
          return;
        }
        const body = await answer(state, host, port, request);
        if (body === undefined || socket.destroyed) return;
        const header = Buffer.alloc(8);
        header.writeInt32BE(4 + body.length, 0);
        header.writeInt32BE(correlationId, 4);
        socket.write(Buffer.concat([header, body]));
      });
    }
  });
}

export async function startKafka(): Promise<KafkaBroker> {
  const given = process.env.OTEL_TEST_KAFKA_BROKERS;
  if (given !== undefined && given !== '') {
    const [host, port] = given.split(',')[0]!.split(':');
    return { broker: given, host: host!, port: Number(port), emulated: false, stop: async () => {} };
  }
  const state = new BrokerState();
  const sockets = new Set<Socket>();
  const host = '127.0.0.1';
  let port = 0;
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    serve(state, socket, host, port);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  port = (server.address() as { port: number }).port;
  return {
    broker: `${host}:${port}`,
    host,
    port,
    emulated: true,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
