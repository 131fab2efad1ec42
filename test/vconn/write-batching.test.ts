/**
 * How a vconn batches its writes while it handles what it read (docs/DESIGN.md, "The path of a
 * message"): a short read's replies leave at once, a full read's replies wait for the rest of the
 * turn's reads, and a connection parked for its fair share writes when it resumes, so a chunk costs
 * one write however many turns its handling takes, unless its replies reach 32 KiB. Over an
 * in-memory duplex that records writes.
 */
import { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Vconn } from '../../src/vconn/index.js';
import type { Stream } from '../../src/stream/types.js';
import type { VconnSink } from '../../src/vconn/types.js';

const V13 = 4;
const ECHO_REQUEST = 2;
const ECHO_REPLY = 3;

/** A negotiated vconn over an in-memory duplex whose writes are recorded; `feed` plays the peer. */
async function memoryVconn(echoData = false, sink: Partial<VconnSink> = {}) {
  const writes: Buffer[] = [];
  // With `holdWrites` set, a write is taken but finishes only when the test calls its callback.
  const held: Array<() => void> = [];
  let holdWrites = false;
  const duplex = new Duplex({
    read() {},
    write(chunk: Buffer, _enc, cb) {
      writes.push(Buffer.from(chunk));
      if (holdWrites) held.push(cb);
      else cb();
    },
  });
  const stream = {
    name: 'mem', kind: 'tcp', duplex, socket: { destroyed: false }, peer: 'mem',
    setKeepalive: () => 'EOPNOTSUPP', isIdle: () => false, destroy: () => duplex.destroy(),
  } as unknown as Stream;
  const opening = Vconn.accept(stream, { versions: [V13] });
  duplex.emit('data', Buffer.from([V13, 0, 0, 8, 0, 0, 0, 1]));
  const vconn = await opening;
  writes.length = 0; // our HELLO
  // Every ECHO_REQUEST is answered from the handler: an 8-byte ECHO_REPLY, or one with its data.
  vconn.start({
    message: (msg) => {
      if (msg.type === 'ECHO_REQUEST') vconn.send({ type: 'ECHO_REPLY', version: V13, xid: msg.xid, data: echoData ? msg.data : Buffer.alloc(0) });
    },
    drain: () => {},
    close: () => {},
    ...sink,
  });
  return {
    vconn, writes, held, duplex,
    feed: (chunk: Buffer) => duplex.emit('data', chunk),
    hold: (on: boolean) => { holdWrites = on; },
  };
}

/** `n` ECHO_REQUESTs of `len` bytes, xids from `firstXid`, back to back. */
function echoes(n: number, len: number, firstXid: number): Buffer {
  const out = Buffer.alloc(n * len);
  for (let i = 0; i < n; i++) {
    out[i * len] = V13;
    out[i * len + 1] = ECHO_REQUEST;
    out.writeUInt16BE(len, i * len + 2);
    out.writeUInt32BE(firstXid + i, i * len + 4);
  }
  return out;
}

/** The xids of the ECHO_REPLYs in `bytes`, in order. */
function replyXids(bytes: Buffer): number[] {
  const xids: number[] = [];
  for (let pos = 0; pos < bytes.length; pos += bytes.readUInt16BE(pos + 2)) {
    expect(bytes[pos + 1]).toBe(ECHO_REPLY);
    xids.push(bytes.readUInt32BE(pos + 4));
  }
  return xids;
}

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));
const range = (from: number, n: number): number[] => Array.from({ length: n }, (_, i) => from + i);

describe('vconn write batching', () => {
  it('a short read: its replies are written before the data event returns', async () => {
    const { vconn, writes, feed } = await memoryVconn();
    feed(echoes(10, 64, 1));
    expect(writes).toHaveLength(1);
    expect(replyXids(writes[0]!)).toEqual(range(1, 10));
    await vconn.close();
  });

  it('a full 64 KiB read and the short one after it in the same turn: one write with every reply, in order', async () => {
    const { vconn, writes, feed } = await memoryVconn();
    // 64 KiB of 1 KiB messages (small enough work for one turn's share), then a short read.
    feed(echoes(64, 1024, 1));
    expect(writes).toHaveLength(0);
    feed(echoes(3, 1024, 65));
    expect(writes).toHaveLength(1);
    expect(replyXids(writes[0]!)).toEqual(range(1, 67));
    await vconn.close();
  });

  it('a full read with nothing after it: written in the same turn, once', async () => {
    const { vconn, writes, feed } = await memoryVconn();
    feed(echoes(64, 1024, 1));
    expect(writes).toHaveLength(0);
    await turn();
    expect(writes).toHaveLength(1);
    expect(replyXids(writes[0]!)).toEqual(range(1, 64));
    await vconn.close();
  });

  it('a chunk that takes several turns of fair share: nothing written while it waits, one write when it is done', async () => {
    const { vconn, writes, feed } = await memoryVconn();
    // 4,000 messages of 8 bytes: 256 KB of work at MESSAGE_COST each, two turns' shares at least.
    const n = 4000;
    // A short read (its replies would leave at once) that the share cuts off after a quarter.
    feed(echoes(n, 8, 1));
    expect(writes).toHaveLength(0);
    for (let i = 0; i < 20 && writes.length === 0; i++) await turn();
    await turn();
    expect(writes).toHaveLength(1);
    expect(replyXids(writes[0]!)).toEqual(range(1, n));
    await vconn.close();
  });

  it('replies that reach 32 KiB are written at once, after a full read too', async () => {
    const { vconn, writes, feed } = await memoryVconn(true);
    feed(echoes(64, 1024, 1));
    expect(writes).toHaveLength(1);
    expect(replyXids(writes[0]!)).toEqual(range(1, 64));
    await vconn.close();
  });

  it('the same number of bytes written turn after turn: each write carries that turn\'s bytes', async () => {
    const { vconn, writes, feed } = await memoryVconn();
    for (let xid = 1; xid <= 3; xid++) feed(echoes(1, 8, xid));
    expect(writes.map(replyXids)).toEqual([[1], [2], [3]]);
    await vconn.close();
  });
});

describe('vconn requestDrain()', () => {
  it('asked while a write the socket accepted is still in progress: drain() once that write has finished, not before', async () => {
    let drained = 0;
    const { vconn, writes, feed, held, duplex, hold } = await memoryVconn(false, { drain: () => { drained++; } });
    hold(true);
    feed(echoes(1, 8, 1));
    expect(writes).toHaveLength(1);
    // Accepted (below the high-water mark), but not finished: Node emits no 'drain' for it.
    expect(duplex.writableLength).toBeGreaterThan(0);
    vconn.requestDrain();
    for (let i = 0; i < 3; i++) await turn();
    expect(drained).toBe(0);
    hold(false);
    held.shift()!();
    for (let i = 0; i < 3 && drained === 0; i++) await turn();
    expect(drained).toBe(1);
    expect(duplex.writableLength).toBe(0);
    await vconn.close();
  });

  it('asked with nothing in flight: drain() in the next tick; asked twice, heard once', async () => {
    let drained = 0;
    const { vconn } = await memoryVconn(false, { drain: () => { drained++; } });
    vconn.requestDrain();
    vconn.requestDrain();
    expect(drained).toBe(0);
    await turn();
    expect(drained).toBe(1);
    await vconn.close();
  });
});
