/**
 * Malformed peers over real sockets (tcp, ssl, unix) against a RELIABLE Rconn: every case must end
 * in a typed error, send the OFPT_ERROR OpenFlow calls for, and reconnect with backoff (1 s, then
 * 2 s; jitter off). The vconn-level details are in test/vconn/malformed.test.ts; this is about what
 * the rconn makes of them.
 *
 * Every scenario needs three attempts (~3 s), so all of them start together in beforeAll and each
 * test waits for its own result.
 */
import type * as net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rconn } from '../../src/index.js';
import { TRANSPORTS, clientTls, rawHello, rawMessage, waitFor, type Transport } from '../support/raw-peer.js';
import {
  RconnWatch, ScriptedPeer, closedPort, errorsIn, gaps, settled, unwrap, type Failure, type PeerConnection,
  type Settled,
} from './helpers.js';

// OpenFlow error types/codes that are numbered alike in every version.
const HELLO_FAILED = 0;
const HF_EPERM = 1;
const BAD_REQUEST = 1;
const BR_BAD_VERSION = 0;
const BR_BAD_LEN = 6;

interface Case {
  name: string;
  /** What the peer does with each accepted connection; undefined: nothing listens (refused). */
  script?: (s: net.Socket) => void;
  phase: Failure['phase'];
  code: RegExp;
  /** The OFPT_ERROR the peer must receive on every connection (type, code, and text if any). */
  sent?: { errorType: number; code: number; text?: string };
  /** Messages that arrived but were answered with an error instead of being delivered. */
  rejected?: boolean;
}

const later = (s: net.Socket, bytes: Buffer, end = false): void => {
  setTimeout(() => (end ? s.end(bytes) : s.write(bytes)), 20);
};

const CASES: Case[] = [
  { name: 'connection refused', phase: 'connectFailed', code: /^(ECONNREFUSED|ENOENT)$/ },
  { name: 'accept, then close', script: (s) => s.end(), phase: 'connectFailed', code: /^(EOF|ECONNRESET)$/ },
  {
    name: 'an ECHO_REQUEST instead of HELLO', script: (s) => s.write(rawMessage(4, 2, Buffer.from('hi'))),
    phase: 'connectFailed', code: /^EPROTO$/, sent: { errorType: HELLO_FAILED, code: HF_EPERM, text: 'expected OFPT_HELLO' },
  },
  {
    name: 'a zero-length HELLO', script: (s) => s.write(rawMessage(4, 0, Buffer.alloc(0), 1, 0)),
    phase: 'connectFailed', code: /^EPROTO$/, sent: { errorType: BAD_REQUEST, code: BR_BAD_LEN },
  },
  {
    name: 'a version-0 HELLO', script: (s) => s.write(rawHello(0)),
    phase: 'connectFailed', code: /^EPROTO$/, sent: { errorType: HELLO_FAILED, code: HF_EPERM, text: 'version 0' },
  },
  {
    name: 'a length field < 8 after HELLO',
    script: (s) => { s.write(rawHello(4)); later(s, rawMessage(4, 2, Buffer.alloc(0), 5, 7)); },
    phase: 'disconnected', code: /^EPROTO$/, sent: { errorType: BAD_REQUEST, code: BR_BAD_LEN },
  },
  {
    name: 'a 65535-byte length in place of HELLO, then EOF',
    script: (s) => s.end(rawMessage(4, 0, Buffer.alloc(100), 1, 0xffff)),
    phase: 'connectFailed', code: /^ETRUNCATED$/,
  },
  {
    name: 'a 65535-byte length after HELLO, then EOF',
    script: (s) => { s.write(rawHello(4)); later(s, rawMessage(4, 10, Buffer.alloc(1000), 5, 0xffff), true); },
    phase: 'disconnected', code: /^ETRUNCATED$/,
  },
  {
    name: 'garbage after HELLO (no valid length)',
    script: (s) => { s.write(rawHello(4)); later(s, Buffer.concat([Buffer.from([0xde, 0xad, 0, 3]), Buffer.from('garbage!')])); },
    phase: 'disconnected', code: /^EPROTO$/, sent: { errorType: BAD_REQUEST, code: BR_BAD_LEN },
  },
  {
    // Well framed, so not fatal: answered with BAD_VERSION and counted as rejected; then EOF.
    name: 'garbage after HELLO (framed, version 0x2a), then EOF',
    script: (s) => { s.write(rawHello(4)); later(s, rawMessage(0x2a, 0x63, Buffer.from('nonsense'), 9), true); },
    phase: 'disconnected', code: /^EOF$/, sent: { errorType: BAD_REQUEST, code: BR_BAD_VERSION }, rejected: true,
  },
];

interface Outcome {
  failures: Failure[];
  /** When each attempt began as seen from outside: the peer's accepts, or the refusals. */
  attempts: number[];
  connections: PeerConnection[];
  lastErrorCode: string | undefined;
  rejected: number;
  connected: number;
}

const ATTEMPTS = 3;

async function run(transport: Transport, c: Case): Promise<Outcome> {
  const peer = c.script ? await ScriptedPeer.listen(transport, c.script) : null;
  const target = peer?.target
    ?? (transport === 'unix' ? `unix:/tmp/ofr-robust-no-such-${process.pid}.sock` : `${transport}:127.0.0.1:${await closedPort()}`);
  // A fixed 5 s HELLO deadline instead of max(1 s, backoff): this suite is about malformed bytes,
  // and 30 TLS handshakes at once on a loaded 2-core machine can take longer than 1 s.
  const rconn = new Rconn({ backoffJitter: 0, tls: clientTls(), helloTimeout: 5 });
  const watch = new RconnWatch(rconn);
  try {
    rconn.connect(target);
    await waitFor(() => watch.failures.length >= ATTEMPTS, 15_000, `${ATTEMPTS} failures`);
    // Whatever we wrote before giving up (an OFPT_ERROR) must have reached the peer.
    if (peer) await waitFor(() => peer.connections.slice(0, ATTEMPTS).every((x) => x.closed), 5000, 'our side to close');
    return {
      failures: watch.failures.slice(0, ATTEMPTS),
      attempts: peer ? peer.connections.slice(0, ATTEMPTS).map((x) => x.at) : watch.failures.slice(0, ATTEMPTS).map((f) => f.at),
      connections: peer?.connections ?? [],
      lastErrorCode: rconn.status().lastError?.code,
      rejected: rconn.status().rejected,
      connected: watch.connects.length,
    };
  } finally {
    await rconn.close();
    await peer?.close();
  }
}

const results = new Map<string, Promise<Settled<Outcome>>>();
const key = (t: Transport, c: Case): string => `${t}/${c.name}`;

beforeAll(() => {
  for (const t of TRANSPORTS) for (const c of CASES) results.set(key(t, c), settled(run(t, c)));
});
afterAll(async () => { await Promise.all(results.values()); });

describe.each(TRANSPORTS)('a reliable rconn against a malformed %s peer', (transport) => {
  for (const c of CASES) {
    it(c.name, async () => {
      const r = unwrap(await results.get(key(transport, c))!);

      // A typed error with a stable code, every time, and the same in status().
      for (const f of r.failures) {
        expect(f.phase).toBe(c.phase);
        expect(f.error.code).toMatch(c.code);
        expect(f.error).toBeInstanceOf(Error);
      }
      expect(r.lastErrorCode).toMatch(c.code);
      expect(r.connected).toBe(c.phase === 'disconnected' ? r.failures.length : 0);

      // The OFPT_ERROR OpenFlow prescribes, on every connection.
      if (c.sent) {
        for (const conn of r.connections.slice(0, ATTEMPTS)) {
          const e = errorsIn(conn.bytes())[0];
          expect(e, 'an OFPT_ERROR at the peer').toBeDefined();
          expect({ errorType: e!.errorType, code: e!.code }).toEqual({ errorType: c.sent.errorType, code: c.sent.code });
          if (c.sent.text) expect(e!.data.toString('latin1')).toContain(c.sent.text);
        }
      }
      if (c.rejected) expect(r.rejected).toBeGreaterThanOrEqual(ATTEMPTS);

      // Reconnect with backoff: the second attempt ~1 s after the first, the third ~2 s later.
      const [g1, g2] = gaps(r.attempts);
      expect(g1).toBeGreaterThanOrEqual(900);
      expect(g1).toBeLessThan(1900);
      expect(g2).toBeGreaterThanOrEqual(1800);
      expect(g2).toBeLessThan(3200);
    });
  }
});
