/**
 * Echo requests that arrive back to back are answered as one run (Vconn -> sink.echoRun ->
 * SendPath.replyRunInPlace -> WriteBuffer.appendRunAs): every request still gets its own reply, in
 * order with everything else, counted one by one, held behind a full socket like any reply, and
 * taken one by one where the run path must not be used (a monitor, another version).
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as net from 'node:net';
import { Rconn } from '../../src/index.js';
import { Framer, Runs } from '../../src/ofp/index.js';
import { RawPeer, rawHello, rawMessage, waitFor } from '../support/raw-peer.js';

const OFPT_ECHO_REQUEST = 2;
const OFPT_ECHO_REPLY = 3;
const OFPT_FEATURES_REQUEST = 5;

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

/** type, xid and payload of every message in `bytes`. */
function parse(bytes: Buffer): Array<{ version: number; type: number; xid: number; payload: string }> {
  const out = [];
  for (let at = 0; at + 8 <= bytes.length;) {
    const length = bytes.readUInt16BE(at + 2);
    out.push({ version: bytes[at]!, type: bytes[at + 1]!, xid: bytes.readUInt32BE(at + 4), payload: bytes.subarray(at + 8, at + length).toString('hex') });
    at += length;
  }
  return out;
}

/** Echo requests with xids `from`.. and payloads of 0..6 bytes, in one buffer. */
function echoes(from: number, n: number, version = 4): Buffer {
  return Buffer.concat(Array.from({ length: n }, (_, i) => rawMessage(version, OFPT_ECHO_REQUEST, Buffer.alloc(i % 7, from + i), from + i)));
}

/** A raw 1.3 peer that sends `script(socket)` after HELLO, and an rconn connected to it. */
async function pair(options: ConstructorParameters<typeof Rconn>[0], script: (s: net.Socket) => void) {
  const peer = await RawPeer.listen('tcp', (s) => {
    s.write(rawHello(4, [4]));
    setTimeout(() => script(s), 50);
  });
  cleanups.push(() => peer.close());
  const rconn = new Rconn({ probeInterval: 0, ...options });
  cleanups.push(() => rconn.close());
  rconn.connect(peer.target);
  await waitFor(() => rconn.isConnected(), 5000, 'connected');
  return { peer, rconn };
}

describe('Runs.countSame / skip', () => {
  it('counts the messages of one type and version at the head of the oldest run, within a byte limit, and skips them', () => {
    const chunk = Buffer.concat([echoes(1, 3), rawMessage(4, OFPT_FEATURES_REQUEST, Buffer.alloc(0), 9), echoes(10, 2)]);
    const runs = new Runs();
    new Framer().pushRuns(chunk, runs);
    expect(runs.countSame(4, OFPT_ECHO_REQUEST, Infinity)).toBe(3);
    expect(runs.at).toBe(0);
    expect(runs.length).toBe(echoes(1, 3).length);
    // The limit stops a run (the first message counts whatever its size).
    expect(runs.countSame(4, OFPT_ECHO_REQUEST, 9)).toBe(1);
    expect(runs.countSame(4, OFPT_ECHO_REQUEST, 0)).toBe(1);
    expect(runs.countSame(1, OFPT_ECHO_REQUEST, Infinity)).toBe(0);
    runs.countSame(4, OFPT_ECHO_REQUEST, Infinity);
    runs.skip(runs.length);
    expect(runs.countSame(4, OFPT_ECHO_REQUEST, Infinity)).toBe(0);
    const buf = runs.next();
    expect(buf.readUInt32BE(runs.at + 4)).toBe(9);
    expect(runs.countSame(4, OFPT_ECHO_REQUEST, Infinity)).toBe(2);
    runs.skip(runs.length);
    expect(runs.empty).toBe(true);
  });
});

describe('echo requests back to back', () => {
  it('each gets its own reply, with its xid and payload, in order with the messages between them; counted one by one', async () => {
    const { peer, rconn } = await pair({}, (s) => {
      s.write(Buffer.concat([echoes(1, 200), rawMessage(4, OFPT_FEATURES_REQUEST, Buffer.alloc(0), 500), echoes(201, 100)]));
    });
    const delivered: number[] = [];
    rconn.on('message', (m) => delivered.push(m.xid));
    await waitFor(() => parse(peer.bytes()).filter((m) => m.type === OFPT_ECHO_REPLY).length >= 300, 5000, '300 replies');
    const replies = parse(peer.bytes()).filter((m) => m.type === OFPT_ECHO_REPLY);
    const requests = parse(Buffer.concat([echoes(1, 200), echoes(201, 100)]));
    expect(replies.map((m) => [m.version, m.xid, m.payload])).toEqual(requests.map((m) => [4, m.xid, m.payload]));
    await waitFor(() => delivered.length === 1, 2000, 'the FEATURES_REQUEST delivered');
    expect(delivered).toEqual([500]);
    // The 300 requests and the FEATURES_REQUEST in, the 300 replies out (the HELLO exchange is the vconn's).
    expect(rconn.status()).toMatchObject({ rxPackets: 301, txPackets: 300, txq: 0 });
  });

  it('with a monitor attached each request is answered on its own, and the monitor sees every one', async () => {
    const seen: string[] = [];
    const { peer, rconn } = await pair({}, (s) => setTimeout(() => s.write(echoes(1, 50)), 50));
    rconn.addMonitor((dir, bytes) => { seen.push(`${dir}:${bytes[1]}`); });
    await waitFor(() => parse(peer.bytes()).filter((m) => m.type === OFPT_ECHO_REPLY).length === 50, 5000, '50 replies');
    expect(seen.filter((s) => s === `rx:${OFPT_ECHO_REQUEST}`)).toHaveLength(50);
    expect(seen.filter((s) => s === `tx:${OFPT_ECHO_REPLY}`)).toHaveLength(50);
  });

  it('behind a peer that does not read, replies are held and counted in txq, then all arrive in order once it reads', async () => {
    let sock: net.Socket | undefined;
    const total = 40_000;
    const { peer, rconn } = await pair({ sendBudget: 64 * 2 ** 20 }, (s) => {
      sock = s;
      s.pause();
      // Large echoes in chunks, so our replies outgrow the kernel's buffers while the peer sleeps.
      for (let i = 0; i < total; i += 400) s.write(Buffer.concat(Array.from({ length: 400 }, (_, k) => rawMessage(4, OFPT_ECHO_REQUEST, Buffer.alloc(1000, 7), 1 + i + k))));
    });
    let maxHeld = 0;
    await waitFor(() => {
      maxHeld = Math.max(maxHeld, rconn.status().txq);
      return rconn.status().rxPackets === total || maxHeld > 0;
    }, 10_000, 'replies held');
    expect(maxHeld).toBeGreaterThan(0);
    sock!.resume();
    await waitFor(() => rconn.status().rxPackets === total && rconn.status().txq === 0, 20_000, 'every request answered');
    await waitFor(() => parse(peer.bytes()).filter((m) => m.type === OFPT_ECHO_REPLY).length === total, 20_000, 'every reply at the peer');
    const xids = parse(peer.bytes()).filter((m) => m.type === OFPT_ECHO_REPLY).map((m) => m.xid);
    expect(xids).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    const s = rconn.status();
    expect([s.txPackets, s.dropped, s.txq, s.rxPackets]).toEqual([total, 0, 0, total]);
  }, 40_000);
});

describe('the vconn offers echo runs to a sink that takes them', () => {
  /** A negotiated 1.3 vconn over an in-memory duplex; `feed` plays the peer. */
  async function memoryVconn() {
    const { Duplex } = await import('node:stream');
    const { Vconn } = await import('../../src/vconn/index.js');
    const duplex = new Duplex({ read() {}, write(_chunk, _enc, cb) { cb(); } });
    const stream = {
      name: 'mem', kind: 'tcp', duplex, socket: { destroyed: false }, peer: 'mem',
      setKeepalive: () => 'EOPNOTSUPP', isIdle: () => false, destroy: () => duplex.destroy(),
    };
    const opening = Vconn.accept(stream as never, { versions: [4] });
    duplex.emit('data', rawHello(4, [4]));
    return { vconn: await opening, feed: (chunk: Buffer) => duplex.emit('data', chunk) };
  }

  it('runs of two or more go to echoRun (refused: one by one through peek), single ones and other versions to peek', async () => {
    const { vconn, feed } = await memoryVconn();
    const calls: string[] = [];
    let refuse = false;
    vconn.start({
      echoRun: (buf, at, length, count) => {
        calls.push(`run ${count} x${buf.readUInt32BE(at + 4)} ${length}`);
        return !refuse;
      },
      peek: (type, buf, at) => { calls.push(`peek ${type} x${buf.readUInt32BE(at + 4)}`); return true; },
      message: (msg) => calls.push(`message ${msg.type} x${msg.xid}`),
      drain: () => {},
      close: () => {},
    });
    feed(Buffer.concat([echoes(1, 3), rawMessage(4, OFPT_FEATURES_REQUEST, Buffer.alloc(0), 9), echoes(10, 1), echoes(20, 2, 1)]));
    expect(calls).toEqual([
      `run 3 x1 ${echoes(1, 3).length}`, `peek ${OFPT_FEATURES_REQUEST} x9`, `peek ${OFPT_ECHO_REQUEST} x10`,
      // Version 1.0 echoes on a 1.3 connection are not a run: one by one.
      `peek ${OFPT_ECHO_REQUEST} x20`, `peek ${OFPT_ECHO_REQUEST} x21`,
    ]);
    calls.length = 0;
    refuse = true;
    feed(echoes(30, 2));
    expect(calls).toEqual([`run 2 x30 ${echoes(30, 2).length}`, `peek ${OFPT_ECHO_REQUEST} x30`, `peek ${OFPT_ECHO_REQUEST} x31`]);
    await vconn.close();
  });
});
