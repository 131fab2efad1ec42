/**
 * The emulator handles bytes from the wire: whatever a decodable request holds, answering it never
 * throws, and a failure is an ERROR carrying the request's first bytes.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { OfpError, SwitchEmulator, decode, typeCode, type OfpMessage } from '../../src/index.js';

const TYPES = ['FLOW_MOD', 'PACKET_OUT', 'SET_CONFIG', 'GET_CONFIG_REQUEST', 'BARRIER_REQUEST'] as const;

function decodable(version: number, type: string, body: Uint8Array): OfpMessage | null {
  const code = typeCode(version, type as OfpMessage['type']);
  if (code === undefined) return null;
  const b = Buffer.alloc(8 + body.length);
  b[0] = version;
  b[1] = code;
  b.writeUInt16BE(b.length, 2);
  b.writeUInt32BE(5, 4);
  Buffer.from(body).copy(b, 8);
  try {
    return decode(b);
  } catch (err) {
    if (err instanceof OfpError) return null;
    throw err;
  }
}

describe('SwitchEmulator on arbitrary requests', () => {
  test('never throws; errors echo the request', () => {
    const sw = new SwitchEmulator({ ports: 3 });
    const session = sw.attach(() => {}, () => 4);
    fc.assert(fc.property(
      fc.constantFrom(1, 4, 5, 6), fc.constantFrom(...TYPES, 'STATS_REQUEST', 'MULTIPART_REQUEST'),
      fc.uint8Array({ maxLength: 200 }), fc.nat(3), fc.nat(0xffff),
      (version, type, body, prefixKind, statsType) => {
        // Multipart requests: mostly a known stats type at the front, so the bodies get parsed.
        const b = Buffer.from(body);
        if ((type === 'STATS_REQUEST' || type === 'MULTIPART_REQUEST') && b.length >= 2 && prefixKind > 0) b.writeUInt16BE(statsType % 18, 0);
        const msg = decodable(version, type, b);
        if (!msg) return;
        const answers = sw.answer(msg);
        session.handle(msg);
        for (const a of answers) if (a.type === 'ERROR') expect(a.xid).toBe(5);
        sw.receivePacket(1 + (b.length % 3), b);
      },
    ), { numRuns: 3000 });
  });
});
