import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OfpError, decode, encode, errorReplyFor, readHeader } from '../../src/ofp/index.js';
import { atOffset } from '../support/fixtures.js';
import { VERSIONS, samplesFor } from './samples.js';

function decodeError(buf: Buffer): OfpError {
  try {
    decode(buf);
  } catch (err) {
    if (err instanceof OfpError) return err;
    throw err;
  }
  throw new Error(`decoded without error: ${buf.toString('hex')}`);
}

const BAD_LEN = { type: 1, code: 6 };
const BAD_VERSION = { type: 1, code: 0 };

describe('malformed input gives a typed OfpError carrying the OpenFlow error to send back', () => {
  it('fewer than 8 bytes', () => {
    for (let n = 0; n < 8; n++) {
      expect(decodeError(Buffer.alloc(n, 1))).toMatchObject({ name: 'OfpError', code: 'BAD_LENGTH', ofpError: BAD_LEN });
    }
  });

  it('length field below 8, or different from the buffer length', () => {
    for (const len of [0, 7, 9, 100]) {
      const b = Buffer.from('0402000000000001', 'hex');
      b.writeUInt16BE(len, 2);
      expect(decodeError(atOffset(b))).toMatchObject({ code: 'BAD_LENGTH', ofpError: BAD_LEN });
    }
  });

  it('version 0, and versions above 1.5 for anything but HELLO', () => {
    expect(decodeError(Buffer.from('0000000800000001', 'hex'))).toMatchObject({ code: 'BAD_VERSION', ofpError: BAD_VERSION });
    expect(decodeError(Buffer.from('0702000800000001', 'hex'))).toMatchObject({ code: 'BAD_VERSION', ofpError: BAD_VERSION });
    expect(decode(Buffer.from('0700000800000001', 'hex'))).toMatchObject({ type: 'HELLO', version: 7 });
  });

  // Cutting a decoded message's body short must never get past the codec's length checks.
  describe('truncated bodies of every decoded type', () => {
    for (const version of VERSIONS) {
      for (const msg of samplesFor(version)) {
        if ('body' in msg) continue; // raw: any body is valid
        if (msg.type === 'HELLO' || msg.type === 'ECHO_REQUEST' || msg.type === 'ECHO_REPLY') continue; // any body valid
        it(`${msg.type} v${version} xid ${msg.xid}`, () => {
          const full = encode(msg);
          let rejected = 0;
          for (let len = 8; len < full.length; len++) {
            const cut = Buffer.from(full.subarray(0, len));
            cut.writeUInt16BE(len, 2);
            try {
              decode(atOffset(cut));
            } catch (err) {
              expect(err).toBeInstanceOf(OfpError);
              expect(err).toMatchObject({ code: 'BAD_LENGTH', ofpError: BAD_LEN });
              rejected++;
            }
          }
          // Types with no fixed body (empty messages) accept every prefix; everything else rejects some.
          const fixedBody = !['FEATURES_REQUEST', 'BARRIER_REQUEST', 'BARRIER_REPLY'].includes(msg.type);
          if (fixedBody && full.length > 8) expect(rejected).toBeGreaterThan(0);
        });
      }
    }
  });

  it('PACKET_IN 1.3 with a match length below 4 or past the end; PACKET_OUT actions_len past the end', () => {
    const pin = Buffer.from('040a002200000000ffffffff000e00000000000000000000000100020000000000000000', 'hex');
    pin.writeUInt16BE(pin.length, 2);
    expect(decodeError(pin)).toMatchObject({ code: 'BAD_LENGTH' });
    pin.writeUInt16BE(0x40, 26);
    expect(decodeError(pin)).toMatchObject({ code: 'BAD_LENGTH' });
    const pout = Buffer.from('010d001000000001ffffffff00010009', 'hex');
    expect(decodeError(pout)).toMatchObject({ code: 'BAD_LENGTH' });
  });

  it('random bytes never raise anything but OfpError, and what decodes re-encodes exactly', () => {
    const message = fc.tuple(
      fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 40 }), fc.uint8Array({ minLength: 0, maxLength: 200 }),
      fc.boolean(),
    ).map(([version, type, body, honest]) => {
      const b = Buffer.alloc(8 + body.length);
      b[0] = version;
      b[1] = type;
      b.writeUInt16BE(honest ? b.length : (body[0] ?? 3), 2);
      b.writeUInt32BE(0x01020304, 4);
      Buffer.from(body).copy(b, 8);
      return b;
    });
    fc.assert(fc.property(message, (b) => {
      let msg;
      try {
        msg = decode(atOffset(b));
      } catch (err) {
        if (!(err instanceof OfpError)) throw err;
        expect(err.ofpError).toBeDefined();
        return;
      }
      expect(encode(msg).equals(b)).toBe(true);
    }), { numRuns: 3000 });
  });
});

describe('errorReplyFor', () => {
  it('answers with the offending version and xid, and at most 64 bytes of it', () => {
    const offending = Buffer.alloc(100, 0xaa);
    offending.writeUInt32BE(0x0405_0064, 0); // version 4, type 5, length 100
    offending.writeUInt32BE(77, 4);
    offending.writeUInt16BE(90, 2); // lies about its length
    const err = decodeError(offending);
    const reply = errorReplyFor(err, offending);
    expect(reply).toMatchObject({ type: 'ERROR', version: 4, xid: 77, errorTypeName: 'BAD_REQUEST', codeName: 'BAD_LEN' });
    expect(reply.data.equals(offending.subarray(0, 64))).toBe(true);
    const wire = encode(reply);
    expect(readHeader(wire)).toEqual({ version: 4, type: 1, length: 8 + 4 + 64, xid: 77 });
  });

  it('falls back to the given version when the offending one is not spoken', () => {
    const bad = Buffer.from('0000000800000009', 'hex');
    const reply = errorReplyFor(decodeError(bad), bad, 4);
    expect(reply).toMatchObject({ version: 4, xid: 9, errorTypeName: 'BAD_REQUEST', codeName: 'BAD_VERSION' });
    expect(() => encode(reply)).not.toThrow();
  });

  it('refuses an OfpError without an OpenFlow error', () => {
    expect(() => errorReplyFor(new OfpError('X', 'x'), Buffer.alloc(8))).toThrow(expect.objectContaining({ code: 'NO_OFP_ERROR' }));
  });
});
