/**
 * The structural guard: whatever throws while the library handles a peer's bytes ends that
 * connection with VconnError EINTERNAL, counted in status().inputFaults, and never reaches the
 * event loop. A decoder with an injected bug stands in for any bug nobody has found yet.
 */
import * as net from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { listen, Rconn, type RconnStatus } from '../../src/index.js';
import { header, report, sleep } from './support.js';

const POISON_XID = 0xdeadbeef;

vi.mock('../../src/ofp/index.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/ofp/index.js')>();
  return {
    ...original,
    decode: (raw: Buffer, ...rest: unknown[]) => {
      if (raw.length >= 8 && raw.readUInt32BE(4) === POISON_XID) throw new TypeError('injected decoder bug');
      return (original.decode as (...a: unknown[]) => unknown)(raw, ...rest);
    },
    // What a vconn calls for each message it receives (the message at buf[at]).
    decodeAt: (buf: Buffer, at: number, length: number) => {
      if (length >= 8 && buf.readUInt32BE(at + 4) === POISON_XID) throw new TypeError('injected decoder bug');
      return original.decodeAt(buf, at, length);
    },
  };
});

const poison = (): Buffer => header(4, 3, 8, POISON_XID); // an ECHO_REPLY the decoder chokes on

let uncaught = 0;
const onUncaught = (e: unknown): void => { uncaught++; console.log('UNCAUGHT', e); };
beforeAll(() => { process.on('uncaughtException', onUncaught); });
afterAll(() => { process.off('uncaughtException', onUncaught); });

describe('a decoder that throws', () => {
  it('controller: the peer is dropped with EINTERNAL, counted in status, and the listener keeps serving', async () => {
    const listener = await listen('ptcp:0:127.0.0.1', { probeInterval: 0 });
    const port = listener.address().port!;
    const ended: Array<{ code: string | undefined; status: RconnStatus }> = [];
    let accepted = 0;
    listener.on('rconn', (r) => {
      accepted++;
      r.on('disconnected', ({ error }) => ended.push({ code: (error as { code?: string } | null)?.code, status: r.status() }));
    });
    const s = net.connect({ port, host: '127.0.0.1' }, () => s.write(Buffer.concat([header(4, 0, 8), poison()])));
    s.on('error', () => {});
    s.on('data', () => {});
    await new Promise((r) => s.once('close', r));
    await sleep(20);
    expect(ended).toHaveLength(1);
    expect(ended[0]!.code).toBe('EINTERNAL');
    expect(ended[0]!.status.inputFaults).toBe(1);
    // Still accepting and negotiating.
    const ok = net.connect({ port, host: '127.0.0.1' }, () => ok.write(header(4, 0, 8)));
    ok.on('data', () => {});
    const until = Date.now() + 3000;
    while (accepted < 2 && Date.now() < until) await sleep(10);
    ok.destroy();
    await listener.close();
    report({ attack: 'decoder throws on a peer message (controller)', measured: `${uncaught} crashes, disconnect ${ended[0]!.code}, inputFaults ${ended[0]!.status.inputFaults}`, bound: '0 crashes, typed disconnect, counted', ok: uncaught === 0 });
    expect(accepted).toBe(2);
    expect(uncaught).toBe(0);
  });

  it('switch: the connection drops with EINTERNAL and the rconn reconnects', async () => {
    let connections = 0;
    const server = net.createServer((s) => {
      connections++;
      s.on('error', () => {});
      s.on('data', () => {});
      s.write(header(4, 0, 8));
      if (connections === 1) setTimeout(() => s.write(poison()), 20);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const rconn = new Rconn({ probeInterval: 0, backoffJitter: 0 });
    const codes: Array<string | undefined> = [];
    rconn.on('disconnected', ({ error }) => codes.push((error as { code?: string } | null)?.code));
    const reconnected = new Promise<void>((r) => { let n = 0; rconn.on('connected', () => { if (++n === 2) r(); }); });
    rconn.connect(`tcp:127.0.0.1:${(server.address() as net.AddressInfo).port}`);
    await reconnected;
    expect(codes).toEqual(['EINTERNAL']);
    expect(rconn.status().inputFaults).toBe(1);
    await rconn.close();
    server.close();
    expect(uncaught).toBe(0);
  });
});
