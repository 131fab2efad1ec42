import { describe, expect, it } from 'vitest';
import { decode, encode, readHeader, typeCode } from '../../src/ofp/index.js';
import { atOffset } from '../support/fixtures.js';
import { plainMessage } from '../support/plain.js';
import { VERSIONS, samplesFor, typesOf } from './samples.js';

describe('encode/decode round trip, every decoded type in every version', () => {
  for (const version of VERSIONS) {
    for (const msg of samplesFor(version)) {
      const label = `${msg.type}${msg.type === 'UNKNOWN' ? `(${msg.typeCode})` : ''} v${version} xid ${msg.xid}`;
      it(label, () => {
        const wire = encode(msg);
        const h = readHeader(wire);
        expect(h.length).toBe(wire.length);
        expect(h.version).toBe(version);
        expect(h.xid).toBe(msg.xid);
        expect(h.type).toBe(msg.type === 'UNKNOWN' ? msg.typeCode : typeCode(version, msg.type));
        const back = decode(atOffset(wire));
        expect(plainMessage(back)).toStrictEqual(msg);
        expect(encode(back).equals(wire)).toBe(true);
      });
    }
  }
});

/** Types whose bodies are lists of entries with a length field, which all-zero bytes cannot form. */
const ZERO_LENGTH_LISTS = new Set(['GROUP_MOD', 'METER_MOD', 'PORT_STATUS', 'QUEUE_GET_CONFIG_REPLY', 'STATS_REPLY',
  'MULTIPART_REPLY', 'PORT_MOD', 'TABLE_MOD', 'ROLE_STATUS', 'GET_ASYNC_REPLY', 'SET_ASYNC', 'REQUESTFORWARD']);

describe('every type number of every version re-encodes exactly', () => {
  for (const version of VERSIONS) {
    it(`v${version}: ${typesOf(version).length} types`, () => {
      for (const [name, code] of typesOf(version)) {
        // 128 bytes: long enough for every fixed layout; a minimal OXM match (type 1, length 4)
        // where a match may start (PACKET_IN 1.2 and PACKET_OUT 1.5 at 16, PACKET_IN 1.3+ and
        // FLOW_REMOVED 1.5 at 24, FLOW_MOD and FLOW_REMOVED 1.1+ at 48).
        const raw = Buffer.alloc(128, 0);
        raw[0] = version;
        raw[1] = code;
        raw.writeUInt16BE(raw.length, 2);
        raw.writeUInt32BE(0xdeadbeef, 4);
        for (const at of [16, 24, 48]) {
          raw.writeUInt16BE(1, at);
          raw.writeUInt16BE(4, at + 2);
        }
        // and the empty ofp_stats a 1.5 FLOW_REMOVED carries after its match (at 32)
        raw.writeUInt32BE(4, 32);
        let msg;
        try {
          msg = decode(atOffset(raw));
        } catch (err) {
          // Zeros are no valid list entry (length 0) for these: refused, as a BAD_LENGTH.
          expect(ZERO_LENGTH_LISTS.has(name), `${name}: ${String(err)}`).toBe(true);
          expect(err).toMatchObject({ code: 'BAD_LENGTH' });
          continue;
        }
        expect(msg.type).toBe(name);
        expect(msg.xid).toBe(0xdeadbeef);
        expect(encode(msg).equals(raw), name).toBe(true);
      }
    });
  }
});

describe('byte-exact for odd but valid bytes', () => {
  const cases: [string, string][] = [
    ['HELLO with non-zero element padding', '04000010000000010007000501aabbcc'],
    ['HELLO whose last element lacks padding', '0400000e000000010007000601020304'.slice(0, 28)],
    ['HELLO with trailing bytes that are no element', '0400000b00000001010203'],
    ['HELLO 1.0 with an arbitrary body', '0100000c00000001ffffffff'],
    ['HELLO with malformed VERSIONBITMAP length', '040000100000000100010006000000120000'.slice(0, 32)],
    ['HELLO from a future version 0x07', '0700001000000001000100080000009e'],
    ['BARRIER_REQUEST with a body', '0114000c00000001aabbccdd'],
    ['ROLE_REQUEST with non-zero pad', '0418001800000001000000020102030400000000000000ff'],
    ['FEATURES_REPLY 1.3 with non-zero pad and trailing bytes',
      '0406002400000001000000000000000100000000fe01ffff0000004f00000000cafef00d'],
    ['PACKET_IN 1.0 with non-zero pad', '010a00140000000000000100000e0001007faabb'],
    ['PACKET_IN 1.3 with non-zero match padding and pad[2]',
      '040a002a00000000ffffffff000e0000000000000000000000010004ffffffff7777abcdef0102'.padEnd(84, '0')],
    ['ECHO_REQUEST 1.5', '0602000a00000003beef'],
  ];
  for (const [label, hex] of cases) {
    it(label, () => {
      const b = Buffer.from(hex, 'hex');
      b.writeUInt16BE(b.length, 2);
      const msg = decode(atOffset(b));
      expect(encode(msg).toString('hex')).toBe(b.toString('hex'));
    });
  }

  it('a port name with bytes after its NUL keeps them', () => {
    const wire = encode({
      type: 'FEATURES_REPLY', version: 1, xid: 1, datapathId: 1n, nBuffers: 0, nTables: 1, capabilities: 0, actions: 0,
      ports: [{ portNo: 1, hwAddr: '00:00:00:00:00:01', name: 'p1', config: 0, state: 0, curr: 0, advertised: 0, supported: 0, peer: 0 }],
    });
    wire[32 + 8 + 5] = 0x41; // garbage after the NUL of "p1"
    const msg = decode(wire);
    if (msg.type !== 'FEATURES_REPLY') throw new Error('type');
    expect(msg.ports![0]!.name).toBe('p1');
    expect(msg.ports![0]!.nameBytes).toBeDefined();
    expect(encode(msg).equals(wire)).toBe(true);
  });
});
