import { afterEach, describe, expect, it } from 'vitest';
import { Vconn } from '../../src/vconn/index.js';
import { judgeHello } from '../../src/vconn/negotiate.js';
import { decode, encode, makeError } from '../../src/ofp/index.js';
import { listenStream } from '../../src/stream/index.js';
import { RawPeer, TRANSPORTS, clientTls, rawHello, rawMessage, splitMessages, tlsFiles, waitFor } from '../support/raw-peer.js';

// The peer's HELLO (docs/DESIGN.md, "Version negotiation": its bitmap when present, else every version up to the header's).
const PEER_HELLOS = {
  'v1, no bitmap': rawHello(1),
  'v4, no bitmap': rawHello(4),
  'v4, bitmap {1,4}': rawHello(4, [1, 4]),
  'v6, no bitmap': rawHello(6),
  'v6, bitmap {4,5,6}': rawHello(6, [4, 5, 6]),
  'v5, bitmap {5}': rawHello(5, [5]),
} as const;

const OURS: Record<string, number[]> = {
  'all (1.0-1.5)': [1, 2, 3, 4, 5, 6],
  '{1.0, 1.3}': [1, 4],
  '{1.3}': [4],
  '{1.0}': [1],
};

// Expected negotiated version, or 0 for "no common version".
const EXPECTED: Record<string, Record<keyof typeof PEER_HELLOS, number>> = {
  'all (1.0-1.5)': { 'v1, no bitmap': 1, 'v4, no bitmap': 4, 'v4, bitmap {1,4}': 4, 'v6, no bitmap': 6, 'v6, bitmap {4,5,6}': 6, 'v5, bitmap {5}': 5 },
  '{1.0, 1.3}': { 'v1, no bitmap': 1, 'v4, no bitmap': 4, 'v4, bitmap {1,4}': 4, 'v6, no bitmap': 4, 'v6, bitmap {4,5,6}': 4, 'v5, bitmap {5}': 0 },
  '{1.3}': { 'v1, no bitmap': 0, 'v4, no bitmap': 4, 'v4, bitmap {1,4}': 4, 'v6, no bitmap': 4, 'v6, bitmap {4,5,6}': 4, 'v5, bitmap {5}': 0 },
  '{1.0}': { 'v1, no bitmap': 1, 'v4, no bitmap': 1, 'v4, bitmap {1,4}': 1, 'v6, no bitmap': 1, 'v6, bitmap {4,5,6}': 0, 'v5, bitmap {5}': 0 },
};

const cases = TRANSPORTS.flatMap((transport) =>
  Object.entries(OURS).flatMap(([oursName, ours]) =>
    (Object.keys(PEER_HELLOS) as Array<keyof typeof PEER_HELLOS>).map((peerName) => ({
      transport, oursName, ours, peerName, expected: EXPECTED[oursName]![peerName],
    }))));

describe('judgeHello: the first message of a peer, judged from its bytes', () => {
  const highest = (ours: number[]): number => Math.max(...ours);

  it.each(Object.entries(OURS).flatMap(([oursName, ours]) =>
    (Object.keys(PEER_HELLOS) as Array<keyof typeof PEER_HELLOS>).map((peerName) => ({ oursName, ours, peerName, expected: EXPECTED[oursName]![peerName] }))))(
    'ours $oursName x peer $peerName -> $expected', ({ ours, peerName, expected }) => {
      const verdict = judgeHello(PEER_HELLOS[peerName], ours, highest(ours));
      if (expected) {
        expect(verdict).toMatchObject({ ok: true, version: expected });
        return;
      }
      expect(verdict).toMatchObject({ ok: false, code: 'EINCOMPATIBLE', text: expect.stringMatching(/no common versions$/) });
      if (verdict.ok) return;
      // The reply is a HELLO_FAILED/INCOMPATIBLE in the lower of the peer's version and our highest, with the HELLO's xid.
      const reply = decode(encode(verdict.reply!));
      expect(reply).toMatchObject({ type: 'ERROR', version: Math.min(PEER_HELLOS[peerName][0]!, highest(ours)), xid: 1, errorType: 0, code: 0 });
      expect(verdict.peerVersions!.length).toBeGreaterThan(0);
    });

  it('a message other than HELLO: EPROTO, answered with HELLO_FAILED/EPERM in our highest version naming what came', () => {
    const verdict = judgeHello(rawMessage(4, 5, Buffer.alloc(0), 77), [1, 4], 4);
    expect(verdict).toMatchObject({ ok: false, code: 'EPROTO', text: 'expected OFPT_HELLO, received FEATURES_REQUEST (version 1.3)' });
    if (verdict.ok) return;
    expect(decode(encode(verdict.reply!))).toMatchObject({ type: 'ERROR', version: 4, xid: 77, errorType: 0, code: 1 });
    expect(verdict.peerVersions).toBeUndefined();
  });

  it('a HELLO with version 0: EPROTO', () => {
    expect(judgeHello(rawHello(0), [1, 4], 4)).toMatchObject({ ok: false, code: 'EPROTO', text: 'expected OFPT_HELLO, received a HELLO with version 0' });
  });

  it('a HELLO the codec refuses (its length field disagrees with its bytes): EPROTO with the codec\'s error as cause, and no reply', () => {
    // The framer never hands over such a message (HELLO decoding is lenient otherwise): judged directly.
    const bad = rawHello(4, [4]);
    bad.writeUInt16BE(bad.length + 8, 2);
    const verdict = judgeHello(bad, [4], 4);
    expect(verdict).toMatchObject({ ok: false, code: 'EPROTO', text: expect.stringMatching(/^malformed HELLO: /) });
    if (verdict.ok) return;
    expect(verdict.cause).toBeInstanceOf(Error);
    expect(verdict.reply).toBeUndefined();
  });

  it('an OFPT_ERROR first: EHELLOFAILED carrying the peer\'s text, and no reply', () => {
    const refusal = encode(makeError(4, 1, 'HELLO_FAILED', 'INCOMPATIBLE', Buffer.from('no 1.3 here')));
    const verdict = judgeHello(refusal, [4], 4);
    expect(verdict).toMatchObject({ ok: false, code: 'EHELLOFAILED', text: expect.stringMatching(/^peer refused the HELLO exchange: .*no 1\.3 here/) });
    if (!verdict.ok) expect(verdict.reply).toBeUndefined();
  });
});

let peer: RawPeer | null = null;
afterEach(async () => { await peer?.close(); peer = null; });

describe('version negotiation matrix over real sockets', () => {
  it.each(cases)('$transport: ours $oursName x peer $peerName -> $expected', async ({ transport, ours, peerName, expected }) => {
    peer = await RawPeer.listen(transport, (s) => s.write(PEER_HELLOS[peerName]));
    const open = Vconn.open(peer.target, { versions: ours, tls: clientTls() });
    if (expected) {
      const vconn = await open;
      expect(vconn.version).toBe(expected);
      // Our HELLO: header version = our highest; bitmap only when the set is not 1..max.
      await waitFor(() => peer!.bytes().length >= 8, 5000, 'our HELLO');
      const ourHello = splitMessages(peer.bytes())[0]!;
      expect(ourHello[0]).toBe(Math.max(...ours));
      expect(ourHello[1]).toBe(0);
      const contiguous = ours.length === Math.max(...ours);
      expect(ourHello.length > 8).toBe(!contiguous);
      await vconn.close();
      return;
    }
    await expect(open).rejects.toMatchObject({ name: 'VconnError', code: 'EINCOMPATIBLE' });
    await expect(open).rejects.toThrow(/no common versions/);
    // The peer got OFPT_ERROR HELLO_FAILED/INCOMPATIBLE with a readable text, then a close.
    await peer.socketClosed();
    const msgs = splitMessages(peer.bytes());
    const err = msgs.find((m) => m[1] === 1)!;
    expect(err).toBeDefined();
    expect(err.readUInt16BE(8)).toBe(0); // OFPET_HELLO_FAILED
    expect(err.readUInt16BE(10)).toBe(0); // OFPHFC_INCOMPATIBLE
    expect(err.subarray(12).toString('ascii')).toMatch(/We support .* you support .*no common versions/);
  });
});

describe('HELLO_FAILED both ways between two of our own endpoints', () => {
  it.each(TRANSPORTS)('%s: {1.4} against {1.0, 1.3}: both sides fail with EINCOMPATIBLE and a text', async (transport) => {
    // The listener side is a library Vconn too: accept the raw socket and negotiate over it.
    const passive = await listenStream(transport === 'unix' ? `punix:/tmp/ofr-neg-${process.pid}.sock` : `p${transport}:0:127.0.0.1`,
      transport === 'ssl' ? { tls: { cert: tlsFiles.cert(), key: tlsFiles.key() } } : {});
    const target = transport === 'unix' ? `unix:${passive.address().path}` : `${transport}:127.0.0.1:${passive.address().port}`;
    const serverSide = new Promise<unknown>((resolve) => {
      passive.on('stream', (s) => { Vconn.accept(s, { versions: [5] }).then(resolve, resolve); });
    });
    const clientErr = await Vconn.open(target, { versions: [1, 4], tls: clientTls() }).catch((e: unknown) => e);
    const serverErr = await serverSide;
    expect(clientErr).toMatchObject({ code: expect.stringMatching(/^(EINCOMPATIBLE|EHELLOFAILED)$/) });
    expect(serverErr).toMatchObject({ code: expect.stringMatching(/^(EINCOMPATIBLE|EHELLOFAILED)$/) });
    expect(String((clientErr as Error).message)).toMatch(/1\.4|0x05/);
    expect(String((serverErr as Error).message)).toMatch(/1\.0|0x01/);
    await passive.close();
  });

  it('a peer that answers with HELLO_FAILED and a text: EHELLOFAILED carrying that text', async () => {
    const text = Buffer.from('We support version 0x06, you support version 0x01, no common versions');
    const body = Buffer.alloc(4 + text.length);
    body.writeUInt16BE(0, 0);
    body.writeUInt16BE(0, 2);
    text.copy(body, 4);
    peer = await RawPeer.listen('tcp', (s) => s.end(rawMessage(6, 1, body, 9)));
    await expect(Vconn.open(peer.target, { versions: [1] })).rejects.toMatchObject({
      code: 'EHELLOFAILED', message: expect.stringContaining('no common versions'),
    });
  });
});
