import { afterEach, describe, expect, it } from 'vitest';
import { once } from 'node:events';
import { spawn, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import { Pvconn, Rconn, listen, SwitchEmulator, type RconnListener, type OfpMessage } from '../../src/index.js';
import { clientTls, tlsFiles, waitFor } from '../support/raw-peer.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

function track<T extends { close(): Promise<void> }>(x: T): T {
  cleanups.push(() => x.close());
  return x;
}

/** A controller listener whose accepted rconns ask for features; records datapath ids. */
async function controller(target = 'ptcp:0:127.0.0.1', options: Parameters<typeof listen>[1] = {}) {
  const listener = track(await listen(target, { backoffJitter: 0, ...options }));
  const dpids: bigint[] = [];
  listener.on('rconn', (r) => {
    r.on('message', (m) => { if (m.type === 'FEATURES_REPLY') dpids.push(m.datapathId); });
    r.send({ type: 'FEATURES_REQUEST', version: r.version, xid: r.nextXid() });
  });
  return { listener, dpids };
}

/** A switch-side reliable rconn that answers like a switch. */
function switchRconn(target: string, options: ConstructorParameters<typeof Rconn>[0] = {}) {
  const rconn = track(new Rconn({ backoffJitter: 0, ...options }));
  const emulator = new SwitchEmulator({ datapathId: 0xabcdefn });
  rconn.on('message', (m: OfpMessage) => {
    const reply = emulator.reply(m);
    if (reply) rconn.send(reply);
  });
  rconn.connect(target);
  return rconn;
}

function portOf(l: RconnListener): number {
  return l.address().port!;
}

describe('switch-side and controller-side rconns over loopback', () => {
  it.each(['tcp', 'ssl'] as const)('%s: negotiate, exchange FEATURES, pick transport probing on Linux', async (kind) => {
    const tls = kind === 'ssl' ? { cert: tlsFiles.cert(), key: tlsFiles.key() } : undefined;
    const { listener, dpids } = await controller(kind === 'ssl' ? 'pssl:0:127.0.0.1' : 'ptcp:0:127.0.0.1', { tls });
    const sw = switchRconn(`${kind}:127.0.0.1:${portOf(listener)}`, { versions: [1, 4], tls: clientTls() });
    await waitFor(() => dpids.length > 0, 5000, 'FEATURES_REPLY');
    expect(dpids).toEqual([0xabcdefn]);
    expect(sw.version).toBe(4);
    const st = sw.status();
    expect(st.state).toBe('ACTIVE');
    expect(st.probe).toBe(process.platform === 'linux' ? 'transport' : 'echo');
    const [accepted] = listener.connections;
    expect(accepted!.status()).toMatchObject({ reliable: false, version: 4, rxPackets: 1, txPackets: 1 });
  });

  it('unix: no transport probing there, so the rconn probes with echo', async () => {
    const path = `/tmp/ofr-loop-${process.pid}.sock`;
    const { listener, dpids } = await controller(`punix:${path}`);
    const sw = switchRconn(`unix:${path}`);
    await waitFor(() => dpids.length > 0, 5000, 'FEATURES_REPLY');
    expect(sw.status()).toMatchObject({ probe: 'echo', keepaliveError: 'EOPNOTSUPP: unix sockets have no TCP keepalive' });
    expect([...listener.connections][0]!.status().probe).toBe('echo');
  });

  it('reconnects within its backoff when the listener is killed and restarted', async () => {
    const first = await controller();
    const port = portOf(first.listener);
    const sw = switchRconn(`tcp:127.0.0.1:${port}`);
    await waitFor(() => first.dpids.length > 0, 5000, 'first connection');
    await new Promise((r) => setTimeout(r, 1200)); // up and active longer than the 1 s backoff
    const seqno = sw.seqno;
    const disconnected = once(sw, 'disconnected');
    await first.listener.close();
    const [info] = await disconnected;
    expect((info as { error: { code: string } }).error.code).toMatch(/^(EOF|ECONNRESET)$/);
    const downAt = Date.now();
    const second = await controller(`ptcp:${port}:127.0.0.1`);
    await waitFor(() => second.dpids.length > 0, 5000, 'reconnection');
    const took = Date.now() - downAt;
    console.log(`LOOPBACK reconnect after listener restart: ${took} ms (backoff 1 s)`);
    expect(took).toBeLessThan(1000 + 1000);
    expect(sw.seqno).toBeGreaterThan(seqno);
  });
});

describe('echo probing against real peers', () => {
  it('drops a peer that keeps TCP up but never answers echoes at about 2 x interval', async () => {
    // The peer completes HELLO and then reads everything and says nothing.
    const server = net.createServer((s) => {
      s.on('error', () => {});
      s.write(Buffer.from([4, 0, 0, 8, 0, 0, 0, 1]));
      s.resume();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => { server.close(() => r()); }));
    const rconn = track(new Rconn({ probe: 'echo', probeInterval: 5, backoffJitter: 0 }));
    rconn.connect(`tcp:127.0.0.1:${(server.address() as net.AddressInfo).port}`);
    await once(rconn, 'connected');
    const t0 = Date.now();
    const [info] = await once(rconn, 'disconnected');
    const took = Date.now() - t0;
    console.log(`LOOPBACK silent peer dropped after ${took} ms (echo, P = 5 s)`);
    expect((info as { error: { code: string } }).error.code).toBe('ETIMEDOUT');
    expect(took).toBeGreaterThanOrEqual(9_900);
    expect(took).toBeLessThan(12_000);
    expect(rconn.status().probesSent).toBe(1);
  }, 20_000);

  it('a blocked event loop (longer than 2 x interval) while the peer keeps sending is no timeout', async () => {
    // The peer lives in its own process so it keeps sending while our loop is blocked.
    const peerCode = `
      const net = require('net');
      const srv = net.createServer((s) => {
        s.on('error', () => {});
        s.write(Buffer.from([4, 0, 0, 8, 0, 0, 0, 1]));
        s.resume();
        let xid = 100;
        const t = setInterval(() => s.write(Buffer.from([4, 20, 0, 8, 0, 0, 0, xid++ & 255])), 200);
        s.on('close', () => clearInterval(t));
      });
      srv.listen(0, '127.0.0.1', () => console.log(srv.address().port));`;
    const child: ChildProcess = spawn(process.execPath, ['-e', peerCode], { stdio: ['ignore', 'pipe', 'inherit'] });
    cleanups.push(() => { child.kill('SIGKILL'); });
    const [line] = await once(child.stdout!, 'data');
    const port = Number(String(line).trim());
    const rconn = track(new Rconn({ probe: 'echo', probeInterval: 5, backoffJitter: 0 }));
    let disconnects = 0;
    rconn.on('disconnected', () => { disconnects++; });
    rconn.connect(`tcp:127.0.0.1:${port}`);
    await once(rconn, 'connected');
    await new Promise((r) => setTimeout(r, 500));
    const busyUntil = Date.now() + 12_000;
    while (Date.now() < busyUntil) { /* a stalled application: no I/O, no timers for 12 s */ }
    await new Promise((r) => setTimeout(r, 1500));
    expect(disconnects).toBe(0);
    expect(rconn.state).toBe('ACTIVE');
    expect(rconn.status().probesSent).toBe(0);
    expect(rconn.status().rxPackets).toBeGreaterThan(50);
  }, 30_000);
});

describe('listen()', () => {
  it("delivers 'connected' and the messages that came in the same segment as the peer's HELLO", async () => {
    const listener = track(await listen('ptcp:0:127.0.0.1', { probeInterval: 0 }));
    const seen: string[] = [];
    listener.on('rconn', (r) => {
      r.on('connected', (c) => seen.push(`connected ${c.version}`));
      r.on('message', (m) => seen.push(m.type));
    });
    const s = net.connect(portOf(listener), '127.0.0.1');
    s.on('error', () => {});
    cleanups.push(() => { s.destroy(); });
    // HELLO (1.0) and FEATURES_REQUEST in one write.
    s.write(Buffer.from('0100000800000001' + '0105000800000002', 'hex'));
    await waitFor(() => seen.length >= 2, 3000, 'connected and FEATURES_REQUEST');
    expect(seen).toEqual(['connected 1', 'FEATURES_REQUEST']);
  });
});

describe('accept loops', () => {
  it('Pvconn.accept() and an RconnListener iterator yield peers in order and end on close()', async () => {
    const pvconn = await Pvconn.listen('ptcp:0:127.0.0.1');
    const listener = await listen('ptcp:0:127.0.0.1', { probeInterval: 0 });
    const rconns: number[] = [];
    // An iterator sees the rconns accepted from its start on.
    const loop = (async () => { for await (const r of listener) rconns.push(r.version); })();
    const dials = [
      new Rconn({ probeInterval: 0 }).connect(`tcp:127.0.0.1:${pvconn.address().port}`),
      new Rconn({ probeInterval: 0 }).connect(`tcp:127.0.0.1:${pvconn.address().port}`),
      new Rconn({ probeInterval: 0 }).connect(`tcp:127.0.0.1:${portOf(listener)}`),
    ];
    dials.forEach((d) => cleanups.push(() => d.close()));
    const vconns: string[] = [];
    for await (const v of pvconn.accept()) {
      vconns.push(v.name);
      await v.close();
      if (vconns.length === 2) break;
    }
    await waitFor(() => rconns.length === 1, 5000, 'the accepted rconn');
    await listener.close();
    await loop; // ends because the listener closed
    await pvconn.close();
    expect(vconns).toHaveLength(2);
    expect(vconns.every((n) => n.startsWith('tcp:127.0.0.1:'))).toBe(true);
    expect(rconns).toEqual([6]);
    const after: unknown[] = [];
    for await (const v of pvconn.accept()) after.push(v);
    expect(after).toEqual([]);
  });
});
