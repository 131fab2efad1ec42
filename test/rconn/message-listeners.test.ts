/**
 * The 'message' event as the rconn calls it (src/rconn/listeners.ts): in order, to the listeners of
 * the moment, with `raw` (the message's bytes) made only when a listener can read it. Over loopback,
 * so the messages come out of one read chunk as they do in production.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type * as net from 'node:net';
import { Rconn, type OfpMessage } from '../../src/index.js';
import { RawPeer, rawHello, rawMessage, waitFor } from '../support/raw-peer.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

// BARRIER_REPLY (1.3 type 21) with a body, so each message's bytes are told apart by xid and body.
const message = (xid: number): Buffer => rawMessage(4, 21, Buffer.from(`body ${xid}`), xid);

/**
 * A connected rconn whose peer sends `count` messages in one write once `go()` is called; the
 * caller attaches its listeners in between.
 */
async function connected(count: number) {
  let sock: net.Socket | null = null;
  const peer = await RawPeer.listen('tcp', (s) => { s.write(rawHello(4, [4])); sock = s; });
  cleanups.push(() => peer.close());
  const rconn = new Rconn({ probeInterval: 0 });
  cleanups.push(() => rconn.close());
  const up = new Promise((r) => rconn.once('connected', r));
  rconn.connect(peer.target);
  await up;
  await waitFor(() => sock !== null);
  const all = Buffer.concat(Array.from({ length: count }, (_, i) => message(i + 1)));
  return { rconn, go: () => sock!.write(all) };
}

describe("'message' listeners", () => {
  it('a listener declaring raw gets each message\'s exact bytes, also alongside one that does not', async () => {
    const { rconn, go } = await connected(20);
    const raws: Buffer[] = [];
    const xids: number[] = [];
    rconn.on('message', (msg) => { xids.push(msg.xid); });
    rconn.on('message', (_msg, raw) => { raws.push(Buffer.from(raw)); });
    go();
    await waitFor(() => raws.length === 20);
    expect(xids).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(raws).toEqual(Array.from({ length: 20 }, (_, i) => message(i + 1)));
  });

  it('listeners declaring only the message: no view is made, raw is undefined', async () => {
    const { rconn, go } = await connected(5);
    const second: unknown[] = [];
    rconn.on('message', function (this: Rconn, msg: OfpMessage) {
      second.push(arguments[1]);
      expect(this).toBe(rconn);
      expect(msg.type).toBe('BARRIER_REPLY');
    });
    go();
    await waitFor(() => second.length === 5);
    expect(second).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });

  it('once(), rest parameters and listeners without parameters get raw', async () => {
    const { rconn, go } = await connected(3);
    const got: string[] = [];
    rconn.once('message', (_msg, raw) => { got.push(`once ${raw.length}`); });
    rconn.on('message', (...args: unknown[]) => { got.push(`rest ${(args[1] as Buffer).length}`); });
    go();
    await waitFor(() => got.length === 4);
    const len = message(1).length;
    expect(got).toEqual([`once ${len}`, `rest ${len}`, `rest ${len}`, `rest ${len}`]);
  });

  it('a listener added by another during a chunk gets the next message, with raw; a removed one gets none', async () => {
    const { rconn, go } = await connected(4);
    const log: string[] = [];
    const late = (msg: OfpMessage, raw: Buffer): void => { log.push(`late ${msg.xid} ${raw.subarray(8).toString()}`); };
    const first = (msg: OfpMessage): void => {
      log.push(`first ${msg.xid}`);
      if (msg.xid === 2) rconn.on('message', late);
      if (msg.xid === 3) rconn.off('message', first);
    };
    rconn.on('message', first);
    go();
    await waitFor(() => log.length === 5);
    expect(log).toEqual(['first 1', 'first 2', 'first 3', 'late 3 body 3', 'late 4 body 4']);
  });

  it('removeAllListeners() then a new listener: it is called, with raw', async () => {
    const { rconn, go } = await connected(2);
    rconn.on('message', () => { throw new Error('removed listener called'); });
    rconn.removeAllListeners('message');
    const raws: string[] = [];
    rconn.on('message', (_msg, raw) => { raws.push(raw.subarray(8).toString()); });
    go();
    await waitFor(() => raws.length === 2);
    expect(raws).toEqual(['body 1', 'body 2']);
  });
});
