/**
 * The API contract's behaviour (issue items 3-11, 13): ordinary call orders on real loopback
 * sockets, or on the injected clock where the rule is about time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as net from 'node:net';
import { join } from 'node:path';
import { listen, Rconn, Vconn, type RconnOptions } from '../../src/index.js';
import { _setSockoptLoaderForTests } from '../../src/stream/linux-sockopt.js';
import type { VconnLike } from '../../src/vconn/types.js';
import { FakeClock } from '../support/fake-clock.js';
import { MemoryVconn } from '../support/memory-vconn.js';
import { RawPeer, rawHello, rawMessage, waitFor } from '../support/raw-peer.js';
import { DIST_INDEX, ROOT, ensureDist } from '../support/dist.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  _setSockoptLoaderForTests(null);
  for (const f of cleanups.splice(0).reverse()) await f();
});

function track<T extends { close(): unknown }>(x: T): T {
  cleanups.push(() => x.close());
  return x;
}

/** A raw peer that completes HELLO (1.3) and then runs `then` on the socket. */
function helloPeer(then: (s: net.Socket) => void = () => {}): Promise<RawPeer> {
  return RawPeer.listen('tcp', (s) => {
    s.write(rawHello(4, [4]));
    then(s);
  }).then(track);
}

/** FEATURES_REQUEST (1.3, type 5) with the given xid. */
const featuresRequest = (xid: number): Buffer => rawMessage(4, 5, Buffer.alloc(0), xid);

function clocked(options: RconnOptions = {}, prepare: (v: MemoryVconn) => void = () => {}) {
  const clock = new FakeClock();
  const conns: MemoryVconn[] = [];
  const rconn = track(new Rconn({
    backoffJitter: 0, ...options, clock,
    connector: async () => {
      const v = new MemoryVconn(4);
      prepare(v);
      conns.push(v);
      return v;
    },
  }));
  return { clock, rconn, conns, current: () => conns[conns.length - 1]! };
}

describe('item 3: messages() iterators', () => {
  it('a loop that breaks releases its queue: the rconn keeps reading everything after it', async () => {
    const peer = await helloPeer((s) => setTimeout(() => { for (let x = 1; x <= 200; x++) s.write(featuresRequest(x)); }, 50));
    const r = track(new Rconn({ messageHighWater: 4, probeInterval: 0 }));
    let events = 0;
    r.on('message', () => events++);
    const first = (async () => { for await (const m of r.messages()) return m.xid; })();
    r.connect(peer.target);
    expect(await first).toBe(1);
    await waitFor(() => events === 200, 5000, 'all 200 messages after the break');
    expect(r.isConnected()).toBe(true);
  });

  it('two loops each see every message, in order; neither steals the other', async () => {
    const peer = await helloPeer((s) => setTimeout(() => { for (let x = 1; x <= 50; x++) s.write(featuresRequest(x)); }, 50));
    const r = track(new Rconn({ probeInterval: 0 }));
    const collect = async (): Promise<number[]> => {
      const xids: number[] = [];
      for await (const m of r.messages()) { xids.push(m.xid); if (xids.length === 50) break; }
      return xids;
    };
    const a = collect();
    const b = collect();
    r.connect(peer.target);
    const expected = Array.from({ length: 50 }, (_, i) => i + 1);
    expect(await a).toEqual(expected);
    expect(await b).toEqual(expected);
  });

  it('an iterator nobody reads pauses the socket at messageHighWater (backpressure, nothing lost); return() resumes it', async () => {
    await pausesUntilReturn((r) => r.messages());
  });
});

describe('automatic echo replies', () => {
  for (const monitored of [false, true]) {
    it(`an ECHO_REQUEST comes back as an ECHO_REPLY with its xid and payload${monitored ? ', seen by a monitor both ways' : ''}`, async () => {
      const got: Buffer[] = [];
      const peer = await helloPeer((s) => {
        s.on('data', (d: Buffer) => got.push(d));
        // Two requests in one segment: both answered, in order, from one write buffer.
        setTimeout(() => s.write(Buffer.concat([
          rawMessage(4, 2, Buffer.from('one'), 0x11), rawMessage(4, 2, Buffer.from('two!'), 0x12),
        ])), 50);
      });
      const r = track(new Rconn({ probeInterval: 0 }));
      const seen: Array<[string, string]> = [];
      if (monitored) r.addMonitor((dir, raw) => seen.push([dir, raw.toString('hex')]));
      let delivered = 0;
      r.on('message', () => delivered++);
      r.connect(peer.target);
      const replies = (): Buffer => Buffer.concat(got).subarray(-(11 + 12));
      await waitFor(() => Buffer.concat(got).length >= 8 + 11 + 12, 5000, 'both echo replies');
      const one = rawMessage(4, 3, Buffer.from('one'), 0x11);
      const two = rawMessage(4, 3, Buffer.from('two!'), 0x12);
      expect(replies()).toEqual(Buffer.concat([one, two]));
      expect(delivered).toBe(0);
      expect(r.status().rxPackets).toBe(2);
      if (monitored) {
        expect(seen).toEqual([
          ['rx', rawMessage(4, 2, Buffer.from('one'), 0x11).toString('hex')], ['tx', one.toString('hex')],
          ['rx', rawMessage(4, 2, Buffer.from('two!'), 0x12).toString('hex')], ['tx', two.toString('hex')],
        ]);
      }
    });
  }
});

describe('messageBatches()', () => {
  it('yields every message in order, several per step when they arrive together', async () => {
    const peer = await helloPeer((s) => setTimeout(() => s.write(Buffer.concat(Array.from({ length: 100 }, (_, i) => featuresRequest(i + 1)))), 50));
    const r = track(new Rconn({ probeInterval: 0 }));
    const collect = (async () => {
      const xids: number[] = [];
      let steps = 0;
      for await (const batch of r.messageBatches()) {
        steps++;
        for (const m of batch) xids.push(m.xid);
        if (xids.length >= 100) break;
      }
      return { xids, steps };
    })();
    r.connect(peer.target);
    const { xids, steps } = await collect;
    expect(xids).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    // One write of 100 messages arrives in a few reads at most, never one step per message.
    expect(steps).toBeLessThan(50);
  });

  it('a batch loop nobody reads pauses at messageHighWater; return() resumes, and close() ends a waiting loop', async () => {
    const r = await pausesUntilReturn((rconn) => rconn.messageBatches());
    const waiting = r.messageBatches().next();
    await r.close();
    expect(await waiting).toEqual({ done: true, value: undefined });
  });
});

describe('ordering', () => {
  it('messages accepted by send() reach the peer in the order given, through the queue behind a full socket', async () => {
    const xids: number[] = [];
    let pending = Buffer.alloc(0);
    let peerSocket: net.Socket | undefined;
    // The peer reads nothing until everything is sent, so the kernel's buffers fill and the rest
    // is held behind the full socket.
    const peer = await helloPeer((s) => {
      peerSocket = s;
      s.once('data', () => s.pause());
      s.on('data', (d: Buffer) => {
        pending = Buffer.concat([pending, d]);
        while (pending.length >= 8 && pending.length >= pending.readUInt16BE(2)) {
          if (pending[1] === 4) xids.push(pending.readUInt32BE(4));
          pending = pending.subarray(pending.readUInt16BE(2));
        }
      });
    });
    const total = 6000;
    const r = track(new Rconn({ probeInterval: 0, txqLimit: total, sendBudget: 64 * 2 ** 20 }));
    r.connect(peer.target);
    await waitFor(() => r.isConnected(), 5000, 'connected');
    const body = Buffer.alloc(4000);
    let maxQueued = 0;
    for (let xid = 1; xid <= total; xid++) {
      r.send(rawMessage(4, 4, body, xid));
      maxQueued = Math.max(maxQueued, r.status().txq);
      if (xid % 100 === 0) await new Promise((res) => setImmediate(res));
    }
    expect(maxQueued).toBeGreaterThan(0); // some really were held behind the full socket
    peerSocket!.resume();
    await waitFor(() => xids.length === total, 10_000, `all ${total} at the peer`);
    expect(xids).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(r.status()).toMatchObject({ txq: 0, dropped: 0 });
  });
});

describe('send budget', () => {
  it('the smallest budget pauses reading while one large message waits, and reading resumes once the socket has taken it', async () => {
    const peer = await helloPeer((s) => setTimeout(() => { for (let x = 1; x <= 5; x++) s.write(featuresRequest(x)); }, 300));
    const r = track(new Rconn({ probeInterval: 0, sendBudget: 65536 }));
    const got: number[] = [];
    r.on('message', (m) => got.push(m.xid));
    r.connect(peer.target);
    await waitFor(() => r.isConnected(), 5000, 'connected');
    // 40 KB: within the budget, but one more largest message would not be, so reading pauses. The
    // kernel takes it at once: the socket never says "full" and emits no 'drain'.
    r.send(rawMessage(4, 13, Buffer.alloc(40_000), 1));
    await waitFor(() => got.length === 5, 5000, 'the peer\'s 5 requests delivered');
    expect(got).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('item 4: a throwing listener', () => {
  it.each(['connected', 'message', 'state'])("a '%s' listener that throws surfaces as an uncaught exception, never an unhandled rejection, and the connection keeps reading", async (event) => {
    await ensureDist();
    const child = spawnSync(process.execPath, [join(ROOT, 'test/rconn/children/throwing-listener.mjs'), DIST_INDEX, event], { encoding: 'utf8', timeout: 40_000 });
    const out = JSON.parse(child.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
    expect(out['unhandled']).toBe(0);
    expect(out['first']).toBe(`boom from ${event}`);
    expect(out['uncaught'] as number).toBeGreaterThanOrEqual(1);
    expect(out['iterated'] as number).toBeGreaterThanOrEqual(20);
    expect(out['state']).toBe('ACTIVE');
  }, 60_000);

  it("a throwing 'rconn' listener of a listener: uncaught exceptions, no unhandled rejection, every connection kept", async () => {
    await ensureDist();
    const child = spawnSync(process.execPath, [join(ROOT, 'test/rconn/children/throwing-listener.mjs'), DIST_INDEX, 'listener rconn'], { encoding: 'utf8', timeout: 40_000 });
    const out = JSON.parse(child.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
    expect(out).toEqual({ uncaught: 3, first: 'boom from listener rconn', unhandled: 0, connections: 3 });
  }, 60_000);
});

describe('item 5: an accepted connection whose adopt() is refused', () => {
  it('is reported as an error, never announced, never kept; the peer is closed (5 of 5)', async () => {
    _setSockoptLoaderForTests(() => { throw new Error("Cannot find module 'koffi' (simulated)"); });
    const listener = track(await listen('ptcp:0:127.0.0.1', { probe: 'transport' }));
    const announced: unknown[] = [];
    const errors: string[] = [];
    listener.on('rconn', (r) => announced.push(r));
    listener.on('error', (e) => errors.push((e as { code?: string }).code ?? '?'));
    const closed: Array<Promise<void>> = [];
    for (let i = 0; i < 5; i++) {
      const s = net.connect(listener.address().port!, '127.0.0.1');
      s.on('error', () => {});
      s.resume(); // read, so that the listener's FIN is seen
      s.write(rawHello(4, [4]));
      closed.push(new Promise((res) => s.on('close', () => res())));
    }
    await Promise.all(closed);
    await waitFor(() => errors.length === 5, 5000, 'five errors');
    expect(errors).toEqual(Array(5).fill('EOPNOTSUPP'));
    expect(announced).toEqual([]);
    expect(listener.connections.size).toBe(0);
  });
});

describe('item 6: permanent errors stop the rconn; transient ones are retried', () => {
  it('a TLS key file that does not exist: one connectFailed (ETLSCONFIG, no retry), one error, DISCONNECTED, no connection made', async () => {
    let connections = 0;
    const server = net.createServer((s) => { connections++; s.destroy(); });
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
    cleanups.push(() => new Promise((res) => server.close(res)));
    const r = track(new Rconn({ tls: { cert: '/nonexistent/cert.pem', key: '/nonexistent/key.pem' } }));
    const failed: Array<{ code: string; retryIn: number | null }> = [];
    const errors: string[] = [];
    r.on('connectFailed', (f) => failed.push({ code: (f.error as { code?: string }).code!, retryIn: f.retryIn }));
    r.on('error', (e) => errors.push((e as { code?: string }).code!));
    r.connect(`ssl:127.0.0.1:${(server.address() as net.AddressInfo).port}`);
    await waitFor(() => r.state === 'DISCONNECTED', 3000, 'DISCONNECTED');
    await new Promise((res) => setTimeout(res, 1300)); // past the first backoff
    expect(failed).toEqual([{ code: 'ETLSCONFIG', retryIn: null }]);
    expect(errors).toEqual(['ETLSCONFIG']);
    expect(connections).toBe(0);
    expect(r.status().lastError?.code).toBe('ETLSCONFIG');
  });

  it('no common version: retried by default (the peer may be upgraded), permanent with stopOnIncompatible', async () => {
    const peer = track(await RawPeer.listen('tcp', (s) => s.write(rawHello(1, [1]))));
    const retried = track(new Rconn({ versions: [4] }));
    const first = new Promise<{ code?: string; retryIn: number | null }>((res) => retried.once('connectFailed', (f) => res({ code: (f.error as { code?: string }).code, retryIn: f.retryIn })));
    retried.connect(peer.target);
    const info = await first;
    expect(info.code).toBe('EINCOMPATIBLE');
    expect(info.retryIn).toBeGreaterThan(0);

    const stopping = track(new Rconn({ versions: [4], stopOnIncompatible: true }));
    const stopped = new Promise<Error>((res) => stopping.once('error', res));
    stopping.connect(peer.target);
    expect((await stopped as { code?: string }).code).toBe('EINCOMPATIBLE');
    expect(stopping.state).toBe('DISCONNECTED');
  });

  it("without an 'error' listener a permanent error does not throw: the process lives, status() says why", async () => {
    const r = track(new Rconn({ tls: { key: '/nonexistent/key.pem', cert: '/nonexistent/cert.pem' } }));
    r.connect('ssl:127.0.0.1:1');
    await waitFor(() => r.state === 'DISCONNECTED', 3000, 'DISCONNECTED');
    expect(r.status().lastError?.code).toBe('ETLSCONFIG');
  });
});

describe('item 7: forceReconnect() while CONNECTING', () => {
  it('aborts the attempt: one attempt counted, the late connection is closed, the backoff is kept', async () => {
    const clock = new FakeClock();
    const pending: Array<{ signal: AbortSignal; resolve: (v: VconnLike) => void }> = [];
    const r = track(new Rconn({
      clock, backoffJitter: 0,
      connector: (_t, signal) => new Promise<VconnLike>((resolve) => pending.push({ signal, resolve })),
    }));
    const states: string[] = [];
    r.on('state', (s) => states.push(s));
    r.connect('tcp:127.0.0.1:6653');
    await clock.advance(0);
    expect(r.state).toBe('CONNECTING');
    r.forceReconnect();
    await clock.advance(0);
    expect(pending[0]!.signal.aborted).toBe(true);
    expect(r.state).toBe('BACKOFF');
    const late = new MemoryVconn(4);
    pending[0]!.resolve(late);
    await clock.advance(0);
    expect(late.closed).toBe(true);
    expect(r.state).toBe('BACKOFF');
    expect(r.status().nAttemptedConnections).toBe(1);
    // BACKOFF (enable) and RECONNECT are passed through within one run of the machine.
    expect(states).toEqual(['CONNECTING', 'BACKOFF']);
  });
});

describe('item 8: messages leaving the send queue are activity (Open vSwitch rule)', () => {
  it('echo probing: a live peer that reads slowly is not dropped while its backlog drains', async () => {
    const { clock, rconn, current } = clocked({ probe: 'echo', probeInterval: 5 });
    const drops: number[] = [];
    rconn.on('disconnected', () => drops.push(clock.now()));
    rconn.connect('tcp:127.0.0.1:6653');
    await clock.advance(0);
    const conn = current();
    conn.writable = false;
    for (let i = 0; i < 20; i++) rconn.send({ type: 'BARRIER_REQUEST', version: 4, xid: rconn.nextXid() });
    // The socket takes one message every 2 s (the peer acknowledges slowly): 38 s of backlog.
    const sink = (conn as unknown as { sink: { drain(): void } }).sink;
    for (let t = 0; t < 19; t++) {
      await clock.advance(2000);
      sink.drain();
    }
    expect(rconn.status().txq).toBe(0);
    expect(drops).toEqual([]);
    expect(rconn.state).toBe('ACTIVE');
  });
});

describe('item 9: IDLE -> ACTIVE is reported when it happens', () => {
  it("the 'state' event fires on the receive that ends IDLE, not at the next wakeup", async () => {
    const { clock, rconn, current } = clocked({ probe: 'echo', probeInterval: 5 });
    const states: Array<[string, number]> = [];
    rconn.on('state', (s) => states.push([s, clock.now()]));
    rconn.connect('tcp:127.0.0.1:6653');
    await clock.advance(5000);
    expect(rconn.state).toBe('IDLE');
    const at = clock.now() + 1000;
    await clock.advance(1000);
    current().receive({ type: 'BARRIER_REPLY', version: 4, xid: 9 });
    expect(states.at(-1)).toEqual(['ACTIVE', at]);
  });
});

describe('item 10: small contract breaks', () => {
  it('the hybrid echo timeout names how long the echo was outstanding, not the connection age', async () => {
    const { clock, rconn, current } = clocked({ probeInterval: 5, echoInterval: 5 });
    const errors: string[] = [];
    rconn.on('disconnected', (d) => errors.push(d.error?.message ?? ''));
    rconn.connect('tcp:127.0.0.1:6653');
    await clock.advance(0);
    expect(rconn.status().probe).toBe('transport');
    for (let i = 0; i < 900; i++) { // an hour of traffic
      await clock.advance(4000);
      current().receive({ type: 'BARRIER_REPLY', version: 4, xid: i });
    }
    await clock.advance(11_000);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/no response to inactivity probe after 5 s/);
  });

  it('a second close() returns the same promise, settled only once the socket is closed', async () => {
    const peer = await helloPeer();
    let vconn: Vconn | undefined;
    const r = new Rconn({ probeInterval: 0, connector: (t, signal) => Vconn.open(t, { signal }).then((v) => (vconn = v)) });
    r.connect(peer.target);
    await waitFor(() => r.isConnected(), 5000, 'connected');
    const first = r.close();
    const second = r.close();
    expect(second).toBe(first);
    await second;
    expect(vconn!.stream.socket.destroyed).toBe(true);
  });

  it('monitors get their own exact-size copies: mutating one changes neither the message nor the other monitor', async () => {
    const { clock, rconn, current } = clocked();
    const seen: Buffer[] = [];
    let delivered: Buffer | undefined;
    rconn.addMonitor((_d, raw) => { raw.fill(0xee); });
    rconn.addMonitor((_d, raw) => { seen.push(raw); });
    rconn.on('message', (_m, raw) => { delivered = Buffer.from(raw); });
    rconn.connect('tcp:127.0.0.1:6653');
    await clock.advance(0);
    current().receive({ type: 'BARRIER_REPLY', version: 4, xid: 77 });
    rconn.send({ type: 'BARRIER_REQUEST', version: 4, xid: 78 });
    expect(delivered!.readUInt32BE(4)).toBe(77);
    expect(seen.map((b) => b.readUInt32BE(4))).toEqual([77, 78]);
    expect(seen.every((b) => b.buffer.byteLength === b.length)).toBe(true);
    expect(current().sent.at(-1)).toMatchObject({ type: 'BARRIER_REQUEST', xid: 78 });
  });
});

describe("item 11: a peer's reasons are shown", () => {
  it("a HELLO_FAILED sent after the peer's HELLO ends the connection with the peer's text (EHELLOFAILED)", async () => {
    const text = 'unsupported version 0x4. If possible, set the switch to use one of the versions [1]';
    const body = Buffer.concat([Buffer.from([0, 0, 0, 0]), Buffer.from(text)]); // HELLO_FAILED / INCOMPATIBLE
    const peer = track(await RawPeer.listen('tcp', (s) => {
      s.write(rawHello(4, [4]));
      s.on('data', () => { s.end(rawMessage(4, 1, body, 1)); });
    }));
    const r = track(new Rconn({ probeInterval: 0 }));
    const ended = new Promise<Error | null>((res) => r.once('disconnected', (d) => res(d.error)));
    r.connect(peer.target);
    const err = await ended;
    expect((err as { code?: string }).code).toBe('EHELLOFAILED');
    expect(err!.message).toContain(text);
  });
});

describe('item 13: what the docs promise', () => {
  it("listen()'s helloTimeout is in seconds: a silent peer is dropped after about 1 s with helloTimeout: 1", async () => {
    const listener = track(await listen('ptcp:0:127.0.0.1', { helloTimeout: 1 }));
    const started = Date.now();
    const failed = new Promise<{ code?: string }>((res) => listener.once('error', (e) => res(e as { code?: string })));
    const s = net.connect(listener.address().port!, '127.0.0.1');
    s.on('error', () => {});
    cleanups.push(() => s.destroy());
    expect((await failed).code).toBe('ETIMEDOUT');
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(900);
    expect(took).toBeLessThan(4000);
  });

  it('a vconn that has not been started stops reading after the chunk that brought its first messages', async () => {
    const flood = Buffer.concat(Array.from({ length: 40_000 }, (_, i) => featuresRequest(i + 1))); // 320 kB
    const peer = await helloPeer((s) => setTimeout(() => s.write(flood), 50));
    const v = await Vconn.open(peer.target);
    cleanups.push(() => v.close());
    await new Promise((res) => setTimeout(res, 400));
    expect(v.stream.socket.bytesRead).toBeLessThan(160_000);
    let n = 0;
    v.start({ message: () => { n++; }, drain: () => {}, close: () => {} });
    await waitFor(() => n === 40_000, 5000, 'every message once started');
  });
});

/**
 * A peer sends 100 messages to an rconn whose only loop, opened by `open`, is never read: reading
 * pauses at messageHighWater (8) with nothing lost, and the loop's return() lets the rest in.
 */
async function pausesUntilReturn(open: (r: Rconn) => AsyncIterator<unknown>): Promise<Rconn> {
  const peer = await helloPeer((s) => setTimeout(() => { for (let x = 1; x <= 100; x++) s.write(featuresRequest(x)); }, 50));
  const r = track(new Rconn({ messageHighWater: 8, probeInterval: 0 }));
  let events = 0;
  r.on('message', () => events++);
  const it = open(r);
  r.connect(peer.target);
  await waitFor(() => events >= 8, 5000, 'the first messages');
  await new Promise((res) => setTimeout(res, 200));
  expect(events).toBeLessThan(100);
  await it.return!();
  await waitFor(() => events === 100, 5000, 'the rest after return()');
  return r;
}
