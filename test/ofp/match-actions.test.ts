/** The version-neutral Match, actions and instructions, and the lazily decoded flow message fields. */
import { describe, expect, it } from 'vitest';
import {
  OFPP, OXM_FIELDS, OfpError, decode, decodeActions, decodeMatch, encode, encodeActions, encodeInstructions,
  encodeMatch, type Match, type OfpMessage,
} from '../../src/ofp/index.js';
import { plainMessage } from '../support/plain.js';

const hex = (b: Buffer): string => b.toString('hex');
const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(OfpError);
    return (err as OfpError).code;
  }
  return undefined;
};

describe('Match', () => {
  const m: Match = { inPort: 1, ethType: 0x0800, ipProto: 6, ipv4Dst: '10.0.0.0/8', tcpDst: 80 };

  it('one object encodes as the 1.0 ofp_match (wildcards, nw_dst prefix bits) and as OXM TLVs', () => {
    // wildcards: everything but in_port, dl_type, nw_proto, tp_dst; nw_src all wild (32), nw_dst 24 bits wild
    expect(hex(encodeMatch(1, m))).toBe('0036204e' + '0001' + '00'.repeat(12) + '0000' + '00' + '00' + '0800' + '00' + '06' + '0000'
      + '00000000' + '0a000000' + '0000' + '0050');
    expect(hex(encodeMatch(4, m))).toBe('00010029' + '8000000400000001' + '80000a020800' + '8000140106' + '800019080a000000ff000000'
      + '80001c020050' + '00'.repeat(7));
    for (const v of [1, 2, 3, 4, 5, 6]) expect(decodeMatch(v, encodeMatch(v, m))).toEqual(m);
  });

  it('addresses come back in one canonical spelling that re-encodes to the same bytes', () => {
    const given: Match = {
      ipv4Src: '10.0.0.1/255.0.0.0', ipv4Dst: '10.1.2.3/255.0.255.0', ethSrc: 'AA:BB:CC:DD:EE:FF', ethDst: '0:1:2:3:4:5/ff:ff:ff:0:0:0',
      ipv6Src: '2001:0db8:0:0:0:0:0:1', ipv6Dst: '::ffff:10.0.0.1/96',
    };
    const wire = encodeMatch(4, given);
    const back = decodeMatch(4, wire);
    expect(back).toStrictEqual({
      ipv4Src: '10.0.0.1/8', ipv4Dst: '10.1.2.3/255.0.255.0', ethSrc: 'aa:bb:cc:dd:ee:ff', ethDst: '00:01:02:03:04:05/ff:ff:ff:00:00:00',
      ipv6Src: '2001:db8::1', ipv6Dst: '::ffff:a00:1/96',
    });
    expect(encodeMatch(4, back).equals(wire)).toBe(true);
  });

  it('numbers, bigints and masked values', () => {
    const x: Match = { metadata: { value: 0x10n, mask: 0xf0n }, tunnelId: 7n, vlanVid: { value: 0x1000, mask: 0x1000 }, pbbIsid: 0xabcdef };
    expect(decodeMatch(4, encodeMatch(4, x))).toStrictEqual(x);
  });

  it('every OXM field decodes to its own key, alone and after others (each key has its own store)', () => {
    const sample = { u8: 1, u16: 2, u24: 3, u32: 4, u64: 5n, mac: '02:00:00:00:00:01', ipv4: '10.0.0.1', ipv6: '2001:db8::1' };
    for (const f of OXM_FIELDS) {
      const alone = { [f.key]: sample[f.kind] } as Match;
      expect(decodeMatch(6, encodeMatch(6, alone)), f.key).toStrictEqual(alone);
      const after = { ...(f.key === 'inPort' ? {} : { inPort: 9 }), [f.key]: sample[f.kind] } as Match;
      expect(Object.keys(decodeMatch(6, encodeMatch(6, after))), f.key).toStrictEqual(Object.keys(after));
    }
  });

  it('a field the version lacks is an OfpError naming field and version; bad values are UNENCODABLE', () => {
    expect(() => encodeMatch(1, { ipv6Src: '::1' })).toThrow('OpenFlow 1.0 has no match field ipv6Src');
    expect(code(() => encodeMatch(1, { ipv6Src: '::1' }))).toBe('UNSUPPORTED_FIELD');
    expect(code(() => encodeMatch(4, { tcpFlags: 2 }))).toBe('UNSUPPORTED_FIELD');
    expect(code(() => encodeMatch(4, { ipv4Src: '10.0.0.256' }))).toBe('UNENCODABLE');
    expect(code(() => encodeMatch(4, { inPort: -1 }))).toBe('UNENCODABLE');
    expect(code(() => encodeMatch(4, { nope: 1 } as Match))).toBe('UNENCODABLE');
    expect(code(() => encodeMatch(1, { ipv4Src: '10.0.0.1/255.0.255.0' }))).toBe('UNENCODABLE');
  });

  it('TLVs it does not type stay raw, where they stood, and re-encode exactly', () => {
    const matchOf = (tlvs: string): Buffer => {
      const len = 4 + tlvs.length / 2;
      return Buffer.from(`0001${len.toString(16).padStart(4, '0')}${tlvs}`.padEnd(((len + 7) & ~7) * 2, '0'), 'hex');
    };
    const IN_PORT_1 = '8000000400000001';
    const NXM_REG0 = '0001020400000009'; // class 0x0001 (NXM), not typed
    const ETH_TYPE = '80000a020800';
    // a raw TLV between typed ones: keys in wire order around it
    const a = matchOf(IN_PORT_1 + NXM_REG0 + ETH_TYPE);
    const backA = decodeMatch(4, a);
    expect(Object.keys(backA)).toEqual(['inPort', 'oxm', 'ethType']);
    expect(encodeMatch(4, backA).equals(a)).toBe(true);
    // raw, typed, raw (a repeated in_port): the typed one between joins the raw run to keep the order
    const b = matchOf(IN_PORT_1 + NXM_REG0 + ETH_TYPE + '8000000400000002');
    const backB = decodeMatch(4, b);
    expect(Object.keys(backB)).toEqual(['inPort', 'oxm']);
    expect(backB.oxm!.map((t) => [t.oxmClass, t.field])).toEqual([[1, 1], [0x8000, 5], [0x8000, 0]]);
    expect(encodeMatch(4, backB).equals(b)).toBe(true);
  });
});

describe('actions and instructions', () => {
  it('an output written once encodes in every version, the 1.0 port in 16 bits', () => {
    const out = [{ type: 'OUTPUT', port: OFPP.FLOOD, maxLen: 0 }] as const;
    expect(hex(encodeActions(1, [...out]))).toBe('00000008fffb0000');
    for (const v of [2, 3, 4, 5, 6]) expect(hex(encodeActions(v, [...out]))).toBe('00000010fffffffb0000000000000000');
  });

  it('SET_FIELD and the 1.0/1.1 SET_* actions translate into each other', () => {
    const set = encodeActions(1, [{ type: 'SET_FIELD', field: { ethDst: '02:00:00:00:00:02' } }]);
    expect(decodeActions(1, set, 0, set.length)).toEqual([{ type: 'SET_DL_DST', mac: '02:00:00:00:00:02' }]);
    const field = encodeActions(4, [{ type: 'SET_DL_SRC', mac: '02:00:00:00:00:01' }, { type: 'STRIP_VLAN' }]);
    expect(decodeActions(4, field, 0, field.length)).toEqual([
      { type: 'SET_FIELD', field: { ethSrc: '02:00:00:00:00:01' } }, { type: 'POP_VLAN' }]);
  });

  it('what a version lacks is UNSUPPORTED_ACTION / UNSUPPORTED_INSTRUCTION', () => {
    expect(() => encodeActions(1, [{ type: 'PUSH_MPLS', ethertype: 0x8847 }])).toThrow('OpenFlow 1.0 has no action PUSH_MPLS');
    expect(code(() => encodeActions(4, [{ type: 'METER', meterId: 1 }]))).toBe('UNSUPPORTED_ACTION');
    expect(code(() => encodeActions(1, [{ type: 'SET_FIELD', field: { ipv6Src: '::1' } }]))).toBe('UNSUPPORTED_ACTION');
    expect(code(() => encodeInstructions(2, [{ type: 'METER', meterId: 1 }]))).toBe('UNSUPPORTED_INSTRUCTION');
  });

  it('an unknown action type and a bad length', () => {
    const odd = Buffer.from('00630008aabbccdd', 'hex');
    expect(decodeActions(4, odd, 0, 8)).toEqual([{ type: 'UNKNOWN', actionType: 0x63, data: Buffer.from('aabbccdd', 'hex') }]);
    expect(code(() => decodeActions(4, Buffer.from('00000002', 'hex'), 0, 4))).toBe('BAD_ACTION');
  });
});

describe('lazily decoded flow message fields', () => {
  const packetIn13: OfpMessage = { type: 'PACKET_IN', version: 4, xid: 1, bufferId: 0xffffffff, totalLen: 3, reason: 0, tableId: 0,
    cookie: 0n, match: { inPort: 5, ethType: 0x0806 }, data: Buffer.from('abc') };

  it('bytes the canonical form would not give (non-zero match padding) survive while the match is not assigned', () => {
    const wire = encode(packetIn13);
    wire[24 + 18] = 0x77; // the match's padding
    const msg = decode(wire);
    expect((msg as { match: Match }).match).toStrictEqual({ inPort: 5, ethType: 0x0806 });
    expect(encode(msg).equals(wire)).toBe(true);
  });

  it('assigning a field re-encodes it', () => {
    const msg = decode(encode(packetIn13)) as Extract<OfpMessage, { match: Match }>;
    msg.match = { inPort: 9 };
    expect(plainMessage(decode(encode(msg)))).toMatchObject({ match: { inPort: 9 } });
  });

  it('a malformed match fails at its first read, with OfpError BAD_MATCH', () => {
    const wire = encode(packetIn13);
    wire.writeUInt16BE(0x7fff, 24 + 4 + 2 + 8); // second TLV claims a huge length... inside the 16-byte match
    const msg = decode(wire);
    expect(code(() => (msg as { match: Match }).match)).toBe('BAD_MATCH');
    expect(encode(msg).equals(wire)).toBe(true);
  });

  it('builders: inPort for a 1.5 PACKET_OUT (its match), actions for a 1.3 FLOW_MOD (one APPLY_ACTIONS)', () => {
    const po = encode({ type: 'PACKET_OUT', version: 6, xid: 2, bufferId: 0xffffffff, inPort: 3,
      actions: [{ type: 'OUTPUT', port: OFPP.FLOOD }], data: Buffer.from('x') } as OfpMessage);
    expect(plainMessage(decode(po))).toMatchObject({ match: { inPort: 3 }, actions: [{ type: 'OUTPUT', port: OFPP.FLOOD }] });
    const fm = encode({ type: 'FLOW_MOD', version: 4, xid: 3, cookie: 0n, cookieMask: 0n, tableId: 0, command: 0, idleTimeout: 0,
      hardTimeout: 0, priority: 1, bufferId: 0xffffffff, outPort: OFPP.ANY, outGroup: 0xffffffff, flags: 0, match: {},
      actions: [{ type: 'OUTPUT', port: 2 }] } as unknown as OfpMessage);
    expect(plainMessage(decode(fm))).toMatchObject({ instructions: [{ type: 'APPLY_ACTIONS', actions: [{ type: 'OUTPUT', port: 2, maxLen: 0 }] }] });
  });
});
