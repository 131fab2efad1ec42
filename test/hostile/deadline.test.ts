/**
 * One deadline from accept (or connect) to a negotiated HELLO, covering TCP, the TLS handshake and
 * HELLO: silent clients on `pssl:` are closed within helloTimeout + 1 s and their descriptors come
 * back; on the active side a silent TLS server is given up on within the same kind of deadline.
 */
import * as net from 'node:net';
import { describe, expect, it } from 'vitest';
import { listen, Rconn } from '../../src/index.js';
import { tlsFiles } from '../support/raw-peer.js';
import { Attacker, openFds, report, size, sleep } from './support.js';

const HELLO_TIMEOUT_S = 1;

describe('one deadline from accept to HELLO', () => {
  it('silent clients on pssl: every socket closed within helloTimeout + 1 s, descriptors back to baseline', async () => {
    const n = size(50, 500);
    const listener = await listen('pssl:0:127.0.0.1', { probeInterval: 0, helloTimeout: HELLO_TIMEOUT_S, tls: { cert: tlsFiles.cert(), key: tlsFiles.key() } });
    listener.on('error', () => {});
    const attacker = Attacker.start({ kind: 'silent', port: listener.address().port, n });
    // After the attacker's pipes exist and before any of its connections can have arrived.
    const fds0 = openFds();
    try {
      await attacker.waitFor('ready', 30_000);
      const peakFds = openFds();
      const done = await attacker.waitFor('all-closed', (HELLO_TIMEOUT_S + 10) * 1000);
      await sleep(200);
      const fds = openFds();
      const maxMs = done.maxMs as number;
      report({
        attack: `${n} silent clients on pssl: (helloTimeout ${HELLO_TIMEOUT_S} s)`,
        measured: `last closed ${Math.round(maxMs)} ms after connect; fds ${fds0} -> ${peakFds} -> ${fds}`,
        bound: `<= ${HELLO_TIMEOUT_S * 1000 + 1000} ms; fds back to baseline`,
        ok: maxMs <= HELLO_TIMEOUT_S * 1000 + 1000 && fds <= fds0,
      });
      expect(maxMs).toBeLessThanOrEqual(HELLO_TIMEOUT_S * 1000 + 1000);
      expect(fds).toBeLessThanOrEqual(fds0);
    } finally {
      await attacker.stop();
      await listener.close();
    }
  }, 120_000);

  it('a client that finishes TLS late gets only what is left of the deadline for its HELLO', async () => {
    const listener = await listen('pssl:0:127.0.0.1', { probeInterval: 0, helloTimeout: HELLO_TIMEOUT_S, tls: { cert: tlsFiles.cert(), key: tlsFiles.key() } });
    const errors: Error[] = [];
    listener.on('error', (e) => errors.push(e));
    const tls = await import('node:tls');
    const t0 = performance.now();
    // TCP now, TLS after 600 ms, then silence: the HELLO deadline must still fall at 1 s from accept.
    const raw = net.connect({ port: listener.address().port!, host: '127.0.0.1' });
    raw.on('error', () => {});
    await new Promise((r) => raw.once('connect', r));
    await sleep(600);
    const secure = tls.connect({ socket: raw, rejectUnauthorized: false });
    secure.on('error', () => {});
    secure.on('data', () => {});
    await new Promise((r) => secure.once('close', r));
    const closedAfter = performance.now() - t0;
    await listener.close();
    expect(closedAfter).toBeGreaterThanOrEqual(HELLO_TIMEOUT_S * 1000 - 50);
    expect(closedAfter).toBeLessThan(HELLO_TIMEOUT_S * 1000 + 700);
    expect(errors.map((e) => (e as { code?: string }).code)).toContain('ETIMEDOUT');
  });

  it('switch side: a TLS server that accepts and never answers is given up on within helloTimeout', async () => {
    const sockets: net.Socket[] = [];
    let closedByUs = 0;
    const server = net.createServer((s) => {
      sockets.push(s);
      s.on('error', () => {});
      s.on('data', () => {});
      s.once('close', () => closedByUs++);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const rconn = new Rconn({ probeInterval: 0, maxTries: 1, helloTimeout: HELLO_TIMEOUT_S, tls: { rejectUnauthorized: false } });
    const t0 = performance.now();
    const failed = new Promise<{ code?: string }>((r) => rconn.once('connectFailed', ({ error }) => r(error as { code?: string })));
    rconn.connect(`ssl:127.0.0.1:${(server.address() as net.AddressInfo).port}`);
    const error = await failed;
    const ms = performance.now() - t0;
    await sleep(100);
    const closed = closedByUs === sockets.length && sockets.length === 1;
    await rconn.close();
    server.close();
    for (const s of sockets) s.destroy();
    expect(error.code).toBe('ETIMEDOUT');
    expect(ms).toBeLessThan(HELLO_TIMEOUT_S * 1000 + 500);
    expect(closed).toBe(true);
  });
});
