/**
 * TLS failures of a reliable `ssl:` Rconn: each ends in a typed error naming its cause (the
 * connectFailed error's code and message), is retried with backoff (1 s, then 2 s), and never
 * falls back to plain TCP: a plain peer only ever receives TLS records, never an OpenFlow HELLO in
 * cleartext. All scenarios run at once (each needs three attempts, ~3 s).
 */
import * as net from 'node:net';
import * as tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rconn, type TlsOptions } from '../../src/index.js';
import { tlsFixture } from '../stream/helpers.js';
import { rawHello, splitMessages, waitFor } from '../support/raw-peer.js';
import { RconnWatch, gaps, settled, unwrap, type Failure, type Settled } from './helpers.js';

interface Accepted {
  at: number;
  chunks: Buffer[];
}

/** A server that records every raw TCP connection (before any TLS) and what arrived on it. */
interface Server {
  port: number;
  accepted: Accepted[];
  close(): Promise<void>;
}

function record(server: net.Server): Accepted[] {
  const accepted: Accepted[] = [];
  server.on('connection', (s: net.Socket) => {
    const a: Accepted = { at: Date.now(), chunks: [] };
    accepted.push(a);
    s.on('error', () => {});
    // Wrapped by TLS this listener sees nothing; on a plain server it sees the client's bytes.
    s.on('data', (d: Buffer) => a.chunks.push(Buffer.from(d)));
  });
  return accepted;
}

async function serve(server: net.Server, accepted: Accepted[]): Promise<Server> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => { sockets.add(s); s.once('close', () => sockets.delete(s)); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    accepted,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** A TLS server presenting `cert` (a fixtures/tls name); it answers a HELLO if a client gets through. */
function tlsServer(cert: string): Promise<Server> {
  const server = tls.createServer({ cert: tlsFixture(`${cert}.crt`), key: tlsFixture(`${cert}.key`) }, (s) => {
    s.on('error', () => {});
    s.write(rawHello(4));
  });
  server.on('tlsClientError', () => {});
  return serve(server, record(server));
}

/** A plain TCP peer: silent, or an OpenFlow switch that speaks HELLO in cleartext at once. */
function plainServer(sendsHello: boolean): Promise<Server> {
  const server = net.createServer((s) => { if (sendsHello) s.write(rawHello(4)); });
  return serve(server, record(server));
}

interface Case {
  name: string;
  server: () => Promise<Server>;
  tls: TlsOptions;
  code: RegExp;
  /** The plain-TCP cases: check the bytes the server received. */
  plain?: boolean;
}

const trust = { ca: tlsFixture('ca.crt') };

const CASES: Case[] = [
  { name: 'a certificate from an unknown CA', server: () => tlsServer('unknown-ca-server'), tls: trust, code: /^UNABLE_TO_VERIFY_LEAF_SIGNATURE$/ },
  { name: 'an expired certificate', server: () => tlsServer('expired-server'), tls: trust, code: /^CERT_HAS_EXPIRED$/ },
  { name: 'a self-signed certificate', server: () => tlsServer('selfsigned'), tls: trust, code: /^DEPTH_ZERO_SELF_SIGNED_CERT$/ },
  {
    name: 'a certificate for another host (ssl:127.0.0.1 against CN=other.example)',
    server: () => tlsServer('other-host'), tls: trust, code: /^ERR_TLS_CERT_ALTNAME_INVALID$/,
  },
  {
    name: 'a good certificate checked against tls.servername it does not carry',
    server: () => tlsServer('server'), tls: { ...trust, servername: 'other.example' }, code: /^ERR_TLS_CERT_ALTNAME_INVALID$/,
  },
  {
    name: 'a plain TCP peer that speaks OpenFlow in cleartext',
    server: () => plainServer(true), tls: trust, code: /^(ETLS|ECONNRESET)$/, plain: true,
  },
  {
    // The handshake never completes: the CONNECTING deadline (max(1 s, backoff)) ends it.
    name: 'a plain TCP peer that says nothing',
    server: () => plainServer(false), tls: trust, code: /^ETIMEDOUT$/, plain: true,
  },
];

const ATTEMPTS = 3;

interface Outcome {
  failures: Failure[];
  accepted: Accepted[];
  connected: number;
}

async function run(c: Case): Promise<Outcome> {
  const server = await c.server();
  const rconn = new Rconn({ backoffJitter: 0, tls: c.tls });
  const watch = new RconnWatch(rconn);
  try {
    rconn.connect(`ssl:127.0.0.1:${server.port}`);
    await waitFor(() => watch.failures.length >= ATTEMPTS, 20_000, `${ATTEMPTS} failures`);
    return { failures: watch.failures.slice(0, ATTEMPTS), accepted: server.accepted.slice(0, ATTEMPTS), connected: watch.connects.length };
  } finally {
    await rconn.close();
    await server.close();
  }
}

const results = new Map<string, Promise<Settled<Outcome>>>();
beforeAll(() => { for (const c of CASES) results.set(c.name, settled(run(c))); });
afterAll(async () => { await Promise.all(results.values()); });

describe('a reliable ssl: rconn whose TLS cannot be trusted', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const r = unwrap(await results.get(c.name)!);
      expect(r.connected).toBe(0);
      for (const f of r.failures) {
        expect(f.phase).toBe('connectFailed');
        expect(f.error.code).toMatch(c.code);
        // The message names the cause, not just "failed" (a hung handshake is named by its deadline).
        if (f.error.code === 'ETIMEDOUT') expect(f.error.message).toMatch(/did not finish within \d+ ms/);
        else expect(f.error.message).toContain(f.error.code);
      }
      if (!c.plain) expect(r.failures[0]!.error.name).toBe('StreamError');

      // Retried with backoff, every attempt a new TCP connection.
      expect(r.accepted.length).toBe(ATTEMPTS);
      const [g1, g2] = gaps(r.accepted.map((a) => a.at));
      // A handshake that hangs lasts its deadline first: max(1 s, backoff) = 1 s for attempts 1 and 2.
      const hang = c.code.source.includes('ETIMEDOUT') ? 1000 : 0;
      expect(g1).toBeGreaterThanOrEqual(900 + hang);
      expect(g1).toBeLessThan(1900 + hang);
      expect(g2).toBeGreaterThanOrEqual(1800 + hang);
      expect(g2).toBeLessThan(3200 + hang);

      // Never a fallback to cleartext: a plain peer sees a TLS ClientHello and nothing OpenFlow.
      if (c.plain) {
        for (const a of r.accepted) {
          const bytes = Buffer.concat(a.chunks);
          expect(bytes[0], 'a TLS handshake record').toBe(0x16);
          expect(splitMessages(bytes).filter((m) => m[0]! >= 1 && m[0]! <= 6 && m[1] === 0)).toEqual([]);
          for (let v = 1; v <= 6; v++) expect(bytes.includes(Buffer.from([v, 0, 0, 8]))).toBe(false);
        }
      }
    });
  }
});
