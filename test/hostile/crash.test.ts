/**
 * Remote crash and memory amplification through the HELLO: bitmaps of 1 to 8,191 words with any
 * mix of versions, against a controller (listen()) and against a switch (Rconn.connect). None may
 * throw out of a socket callback; the HELLO_FAILED text stays short whatever was offered; a 64 KiB
 * bitmap that negotiates costs no more memory than a small one, and is freed on disconnect.
 */
import * as net from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, Rconn, type RconnListener } from '../../src/index.js';
import { bitmapHello, FULL, heapUsed, mib, report, size, sleep, splitMessages } from './support.js';

let uncaught = 0;
const onUncaught = (): void => { uncaught++; };

/** Sends `hello`, collects what comes back until the connection closes (or `ms` pass). */
function exchange(port: number, hello: Buffer, ms = 3000): Promise<{ bytes: Buffer; closed: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const s = net.connect({ port, host: '127.0.0.1' }, () => s.write(hello));
    const finish = (closed: boolean): void => {
      clearTimeout(timer);
      s.destroy();
      resolve({ bytes: Buffer.concat(chunks), closed });
    };
    const timer = setTimeout(() => finish(false), ms);
    s.on('data', (d: Buffer) => chunks.push(d));
    s.on('error', () => {});
    s.once('close', () => finish(true));
  });
}

/** The HELLO_FAILED text in a reply, or undefined when there is none. */
function helloFailedText(bytes: Buffer): string | undefined {
  const err = splitMessages(bytes).find((m) => m[1] === 1 && m.readUInt16BE(8) === 0);
  return err?.subarray(12).toString('latin1');
}

const UNKNOWN_ONLY = (i: number): number => (i === 0 ? 0xffffff80 : 0xffffffff);
const WITH_13 = (i: number): number => (i === 0 ? 0xffffffff : 0xffffffff);

describe('hostile HELLOs against a controller', () => {
  let listener: RconnListener;
  let port: number;
  beforeAll(async () => {
    process.on('uncaughtException', onUncaught);
    listener = await listen('ptcp:0:127.0.0.1', { probeInterval: 0, helloTimeout: 5 });
    listener.on('error', () => {});
    listener.on('rconn', (r) => r.on('message', () => {}));
    port = listener.address().port!;
  });
  afterAll(async () => {
    await listener.close();
    process.off('uncaughtException', onUncaught);
  });

  it('bitmaps of 1 to 8,191 words offering only unknown versions: a bounded HELLO_FAILED, no crash', async () => {
    const counts = FULL ? Array.from({ length: 8191 }, (_, i) => i + 1) : [1, 2, 3, 7, 8, 150, 151, 1000, 4096, 8191];
    let longest = 0;
    let refused = 0;
    for (let i = 0; i < counts.length; i += 64) {
      const batch = counts.slice(i, i + 64);
      const results = await Promise.all(batch.map((w) => exchange(port, bitmapHello(w, UNKNOWN_ONLY))));
      for (const r of results) {
        const text = helloFailedText(r.bytes);
        expect(r.closed).toBe(true);
        expect(text).toMatch(/no common versions/);
        longest = Math.max(longest, text!.length);
        refused++;
      }
    }
    report({ attack: `HELLO, 1..8191 bitmap words, unknown versions only (${counts.length} peers)`, measured: `${uncaught} crashes, ${refused} refused, longest HELLO_FAILED text ${longest} B`, bound: '0 crashes, text <= 512 B', ok: uncaught === 0 && longest <= 512 });
    expect(uncaught).toBe(0);
    expect(longest).toBeLessThanOrEqual(512);
  }, 600_000);

  it('any mix of versions in any number of words: negotiates or refuses, never crashes', async () => {
    const word = fc.oneof(fc.constant(0), fc.constant(0xffffffff), fc.integer({ min: 0, max: 0xffffffff }));
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 8191 }), word, word, async (words, first, rest) => {
        const hello = bitmapHello(words, (i) => (i === 0 ? first : rest));
        const r = await exchange(port, hello, 200);
        const offersKnown = (first & 0x7e) !== 0;
        const noneAtAll = (first & ~1) === 0 && (words === 1 || rest === 0);
        // A bitmap with no bits falls back to the header version (1.3), which we speak.
        if (offersKnown || noneAtAll) expect(helloFailedText(r.bytes)).toBeUndefined();
        else expect(helloFailedText(r.bytes)!.length).toBeLessThanOrEqual(512);
      }),
      { numRuns: size(15, 500) },
    );
    report({ attack: `HELLO, random bitmaps of 1..8191 words (${size(15, 500)} peers)`, measured: `${uncaught} crashes`, bound: '0 crashes', ok: uncaught === 0 });
    expect(uncaught).toBe(0);
  }, 600_000);

  /** Heap growth per connected peer after each sent `hello`, and what is left once they all left. */
  async function heapPerPeer(n: number, hello: Buffer): Promise<{ perPeer: number; left: number }> {
    await sleep(100);
    const before = heapUsed();
    const sockets: net.Socket[] = [];
    for (let i = 0; i < n; i++) {
      const s = net.connect({ port, host: '127.0.0.1' }, () => s.write(hello));
      s.on('error', () => {});
      s.on('data', () => {});
      sockets.push(s);
    }
    const until = Date.now() + 20_000;
    while (listener.connections.size < n && Date.now() < until) await sleep(50);
    expect(listener.connections.size).toBe(n);
    const during = heapUsed();
    for (const s of sockets) s.destroy();
    while (listener.connections.size > 0 && Date.now() < until + 10_000) await sleep(50);
    await sleep(200);
    return { perPeer: (during - before) / n, left: heapUsed() - before };
  }

  it('64 KiB HELLOs that negotiate: heap growth <= 64 KiB per peer, freed on disconnect', async () => {
    const n = size(20, 100);
    const big = bitmapHello(16378, WITH_13);
    expect(big.length).toBeGreaterThan(65000);
    const small = await heapPerPeer(n, bitmapHello(1, WITH_13));
    const { perPeer, left } = await heapPerPeer(n, big);
    report({
      attack: `${n} peers, each a 64 KiB HELLO that negotiates`,
      measured: `heap +${(perPeer / 1024).toFixed(1)} KiB/peer while connected (an 16-byte HELLO: +${(small.perPeer / 1024).toFixed(1)} KiB), ${mib(left)} left after disconnect`,
      bound: '<= 64 KiB/peer; freed', ok: perPeer <= 64 * 1024 && left < 2 * 2 ** 20,
    });
    expect(perPeer).toBeLessThanOrEqual(64 * 1024);
    expect(left).toBeLessThan(2 * 2 ** 20);
  }, 120_000);
});

describe('hostile HELLOs against a switch', () => {
  it.each([1, 150, 8191])('a controller offering %i words of unknown versions: EINCOMPATIBLE, bounded reply, no crash', async (words) => {
    const replies: Buffer[] = [];
    const server = net.createServer((s) => {
      s.on('error', () => {});
      s.on('data', (d: Buffer) => replies.push(d));
      s.write(bitmapHello(words, UNKNOWN_ONLY));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    const rconn = new Rconn({ probeInterval: 0, maxTries: 1 });
    const failed = new Promise<Error>((r) => rconn.once('connectFailed', ({ error }) => r(error)));
    rconn.connect(`tcp:127.0.0.1:${port}`);
    const error = await failed;
    await rconn.close();
    await sleep(50);
    server.close();
    expect((error as Error & { code: string }).code).toBe('EINCOMPATIBLE');
    expect(error.message.length).toBeLessThan(600);
    const text = helloFailedText(Buffer.concat(replies));
    expect(text).toMatch(/We support .*you support .*unknown versions? .*no common versions/);
    expect(text!.length).toBeLessThanOrEqual(512);
  });
});
