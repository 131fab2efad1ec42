/**
 * The shortcuts taken for speed, each checked against the plain behaviour it replaces: encode into
 * uninitialised memory, ports parsed in one pass, names compared without encoding, MACs through
 * tables, shared empty payloads.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  decode, decodeAt, decodeMatch, encode, encodeInto, formatMac, parseMac, type FeaturesReplyMessage, type OfpMessage,
  type OfpPort,
} from '../../src/ofp/index.js';
import { decodeOxmFields } from '../../src/ofp/oxm.js';
import { atOffset } from '../support/fixtures.js';
import { VERSIONS, samplesFor } from './samples.js';

const realAllocUnsafe = Buffer.allocUnsafe;

/** encode() with Buffer.allocUnsafe handing out memory pre-filled with `fill`. */
function encodeOver(msg: OfpMessage, fill: number): Buffer {
  const spy = vi.spyOn(Buffer, 'allocUnsafe').mockImplementation((n: number) => realAllocUnsafe(n).fill(fill));
  try {
    return encode(msg);
  } finally {
    spy.mockRestore();
  }
}

function port(over: Partial<OfpPort> = {}): OfpPort {
  return {
    portNo: 3, hwAddr: '0a:1b:2c:3d:4e:5f', name: 'eth3', config: 1, state: 2, curr: 3, advertised: 4, supported: 5,
    peer: 6, currSpeed: 7, maxSpeed: 8, ...over,
  };
}

function reply(version: number, ports: OfpPort[], over: Partial<FeaturesReplyMessage> = {}): FeaturesReplyMessage {
  const p = version === 1 ? ports.map(({ currSpeed: _c, maxSpeed: _m, ...rest }) => rest) : ports;
  return {
    type: 'FEATURES_REPLY', version, xid: 9, datapathId: 0x0102030405060708n, nBuffers: 256, nTables: 3,
    capabilities: 0x4f, ...(version === 1 ? { actions: 0xfff } : { reserved: 0 }), ports: p, ...over,
  };
}

function asFeatures(m: OfpMessage): FeaturesReplyMessage {
  if (m.type !== 'FEATURES_REPLY') throw new Error(`expected FEATURES_REPLY, got ${m.type}`);
  return m;
}

afterEach(() => vi.restoreAllMocks());

describe('encode writes every byte of the uninitialised buffer it allocates', () => {
  const extra: OfpMessage[] = [
    reply(1, [port(), port({ portNo: 4, name: 'a-much-longer-name' })]),
    reply(2, [port(), port({ name: 'é-ü', hwAddr: 'ff-ff-ff-ff-ff-ff' })]),
    { type: 'HELLO', version: 4, xid: 1, elements: [{ type: 7, data: Buffer.from([1]) }] },
  ];
  for (const version of VERSIONS) {
    it(`every sample of v${version}`, () => {
      for (const msg of [...samplesFor(version), ...extra]) {
        const zeros = encodeOver(msg, 0x00);
        const ones = encodeOver(msg, 0xff);
        expect(ones.toString('hex'), msg.type).toBe(zeros.toString('hex'));
        expect(encode(msg).equals(zeros)).toBe(true);
      }
    });
  }
});

describe('encodeInto writes at an offset without a view of the target', () => {
  /** `msg` encoded at offset 3 of a buffer pre-filled with `fill`, with 5 bytes to spare, as hex. */
  function into(msg: OfpMessage, fill: number): string {
    const length = encode(msg).length;
    const buf = Buffer.alloc(3 + length + 5, fill);
    expect(encodeInto(msg, buf, 3), msg.type).toBe(length);
    return buf.toString('hex');
  }

  // Both copy paths (by hand up to 32 bytes, Buffer.copy above), the original bytes of decoded
  // messages (lazy fields not read), and every type of every version.
  const big = Buffer.alloc(100, 0x5c);
  const extra = (v: number): OfpMessage[] => [
    { type: 'PACKET_OUT', version: v, xid: 1, bufferId: 7, inPort: 2, actions: [{ type: 'OUTPUT', port: 1 }], data: big },
    { type: 'PACKET_OUT', version: v, xid: 2, bufferId: 7, inPort: 2, actions: [], data: Buffer.alloc(0) },
    { type: 'ECHO_REPLY', version: v, xid: 3, data: big.subarray(0, 32) },
    { type: 'ECHO_REPLY', version: v, xid: 4, data: big.subarray(0, 33) },
  ].map((m) => (v === 6 && m.type === 'PACKET_OUT' ? { ...m, match: { inPort: 2 } } : m)) as OfpMessage[];
  for (const version of VERSIONS) {
    it(`v${version}: the bytes of encode, every one written, nothing around them touched`, () => {
      const built = [...samplesFor(version), ...extra(version)];
      for (const msg of [...built, ...built.map((m) => decode(encode(m)))]) {
        const wire = encode(msg).toString('hex');
        expect(into(msg, 0x00), msg.type).toBe(`000000${wire}0000000000`);
        expect(into(msg, 0xff), msg.type).toBe(`ffffff${wire}ffffffffff`);
      }
    });
  }

  it('a payload that is not a Buffer is refused as before, whatever its length', () => {
    for (const data of [new Uint8Array(3), [], 'abc']) {
      const m = { type: 'PACKET_OUT', version: 1, xid: 1, bufferId: 1, inPort: 1, actions: [], data } as unknown as OfpMessage;
      expect(() => encodeInto(m, Buffer.alloc(100), 0), String(data)).toThrow(expect.objectContaining({ code: 'UNENCODABLE' }));
    }
  });
});

describe('FEATURES_REPLY ports, all parsed in one pass', () => {
  for (const version of [1, 2, 3]) {
    it(`v${version}: several ports, then a partial port kept as trailing bytes`, () => {
      const ports = [port(), port({ portNo: 0xfffe, name: 'br0', hwAddr: '00:00:00:00:00:01' }), port({ name: '' })];
      const msg = reply(version, ports);
      const wire = encode(msg);
      expect(decode(atOffset(wire))).toStrictEqual(msg);

      const tail = Buffer.from('0102030405', 'hex');
      const longer = Buffer.concat([wire, tail]);
      longer.writeUInt16BE(longer.length, 2);
      const back = asFeatures(decode(atOffset(longer)));
      expect(back.ports).toStrictEqual(msg.ports);
      expect(back.trailing?.toString('hex')).toBe('0102030405');
      expect(encode(back).equals(longer)).toBe(true);
    });
  }

  it('no ports at all gives an empty list', () => {
    expect(asFeatures(decode(encode(reply(2, [])))).ports).toStrictEqual([]);
  });

  it('non-zero ofp_port padding (1.1) is kept as its 6 bytes and written back', () => {
    const wire = encode(reply(2, [port()]));
    wire[32 + 4] = 0xaa; // pad[4] after port_no
    wire[32 + 15] = 0xbb; // pad2[2] after hw_addr
    const back = asFeatures(decode(wire));
    expect(back.ports![0]!.padding?.toString('hex')).toBe('aa00000000bb');
    expect(encode(back).equals(wire)).toBe(true);
  });

  it('MACs come out as lower-case colon-separated hex, whatever the byte values', () => {
    for (const mac of ['00:00:00:00:00:00', 'ff:ff:ff:ff:ff:ff', '0a:b0:c1:d2:e3:f4', '80:7f:01:10:fe:ef']) {
      expect(asFeatures(decode(encode(reply(2, [port({ hwAddr: mac })])))).ports![0]!.hwAddr).toBe(mac);
    }
  });
});

describe('port names', () => {
  const NAME_AT = 32 + 16; // first 1.1 port, name field
  function withName(bytes: number[]): Buffer {
    const wire = encode(reply(2, [port()]));
    wire.fill(0, NAME_AT, NAME_AT + 16);
    Buffer.from(bytes).copy(wire, NAME_AT);
    return wire;
  }
  const cases: [string, number[], string, boolean][] = [
    ['ASCII then zeros', [...Buffer.from('eth0')], 'eth0', false],
    // Not what Open vSwitch writes (15 characters and a NUL), so the bytes are kept to re-encode it.
    ['16 ASCII bytes, no NUL', [...Buffer.from('abcdefghijklmnop')], 'abcdefghijklmnop', true],
    ['valid UTF-8', [...Buffer.from('pörtü')], 'pörtü', false],
    ['invalid UTF-8', [0x65, 0xff, 0x30], 'e\ufffd0', true],
    ['bytes after the NUL', [0x70, 0x31, 0, 0x41], 'p1', true],
    ['a byte equal to its decoded character (C3 83 = U+00C3)', [0xc3, 0x83], '\u00c3', false],
    ['all zeros', [], '', false],
  ];
  for (const [label, bytes, name, keepsBytes] of cases) {
    it(label, () => {
      const wire = withName(bytes);
      const p = asFeatures(decode(wire)).ports![0]!;
      expect(p.name).toBe(name);
      expect(p.nameBytes !== undefined).toBe(keepsBytes);
      expect(encode(decode(wire)).equals(wire)).toBe(true);
    });
  }

  it('names of 16 bytes or more are cut to 15 at a character boundary and NUL-terminated, as Open vSwitch writes them', () => {
    for (const name of ['0123456789abcdef', '0123456789abcdefXYZ', 'ééééééééé', 'abcdefghijklmné']) {
      const wire = encode(reply(2, [port({ name })]));
      const expected = Buffer.alloc(16);
      expected.write(name, 0, 15);
      const field = wire.subarray(NAME_AT, NAME_AT + 16);
      expect(field.equals(expected), name).toBe(true);
      expect(field[15], name).toBe(0);
    }
    const p = asFeatures(decode(encode(reply(2, [port({ name: '0123456789abcdef' })])))).ports![0]!;
    expect(p.name).toBe('0123456789abcde');
  });

  it('nameBytes of the wrong length are refused', () => {
    expect(() => encode(reply(2, [port({ nameBytes: Buffer.alloc(15) })]))).toThrow(
      expect.objectContaining({ code: 'UNENCODABLE' }));
  });
});

describe('formatMac / parseMac', () => {
  it('round-trip every byte value in every position', () => {
    for (let v = 0; v < 256; v++) {
      const b = Buffer.from([v, 255 - v, v ^ 0x5a, 0, 255, v]);
      expect(parseMac(formatMac(b)).equals(b)).toBe(true);
      expect(formatMac(b)).toBe([...b].map((x) => x.toString(16).padStart(2, '0')).join(':'));
    }
  });

  it('accept "-" separators and one-digit groups, in any case', () => {
    expect(parseMac('A-b:C-d:e-F').toString('hex')).toBe('0a0b0c0d0e0f');
    expect(parseMac('1:02:3:04:5:60').toString('hex')).toBe('010203040560');
  });

  it('refuse anything else with UNENCODABLE', () => {
    for (const s of ['', 'nope', '01:02:03:04:05', '01:02:03:04:05:06:07', '01:02:03:04:05:06:', '001:02:03:04:05:06',
      '01:02:03:04:05:6g', '01::02:03:04:05', '01.02.03.04.05.06', ' 01:02:03:04:05:06', '01:02:03:04:05:06 ']) {
      expect(() => parseMac(s), s).toThrow(expect.objectContaining({ code: 'UNENCODABLE' }));
    }
  });
});

describe('payloads', () => {
  it('empty ones decode to zero-length Buffers, others alias the input', () => {
    const empty = decode(Buffer.from('0202000800000001', 'hex'));
    expect(empty).toStrictEqual({ type: 'ECHO_REQUEST', version: 2, xid: 1, data: Buffer.alloc(0) });

    const wire = atOffset(Buffer.from('0203000a00000001beef', 'hex'));
    const m = decode(wire);
    if (m.type !== 'ECHO_REPLY') throw new Error(m.type);
    expect(m.data.buffer).toBe(wire.buffer);
    expect(m.data.byteOffset).toBe(wire.byteOffset + 8);
    expect(m.data.toString('hex')).toBe('beef');
  });

  it('a HELLO of a future version may be sent in raw form', () => {
    const wire = encode({ type: 'HELLO', version: 9, xid: 2, body: Buffer.from([1, 2]) } as unknown as OfpMessage);
    expect(wire.toString('hex')).toBe('0900000a000000020102');
  });
});

describe('decodeAt: a message inside a larger buffer, decoded where it lies', () => {
  it('gives what decode() gives for every sample, its buffers aliasing the input at the right place', () => {
    for (const v of VERSIONS) {
      for (const msg of samplesFor(v)) {
        const name = `${msg.type} ${msg.xid}`;
        const wire = encode(msg);
        const big = Buffer.concat([Buffer.from('ffffff', 'hex'), wire, Buffer.from('eeee', 'hex')]);
        const at = decodeAt(big, 3, wire.length);
        expect(at, `${name} version ${v}`).toEqual(decode(wire));
        expect(encode(at).equals(wire), name).toBe(true);
      }
    }
  });

  it('PACKET_IN data is a view of the input, not a copy', () => {
    const pin = encode({ type: 'PACKET_IN', version: 1, xid: 7, bufferId: 0xffffffff, totalLen: 4, inPort: 2, reason: 0, data: Buffer.from('cafe', 'hex') });
    const big = Buffer.concat([Buffer.alloc(5), pin]);
    const m = decodeAt(big, 5, pin.length);
    if (m.type !== 'PACKET_IN') throw new Error(m.type);
    expect(m.data.buffer).toBe(big.buffer);
    expect(m.data.byteOffset).toBe(big.byteOffset + 5 + 18);
    expect(m.data.toString('hex')).toBe('cafe');
  });

  it('a length field that disagrees, or a message past the buffer, fails like decode()', () => {
    const wire = Buffer.from('0402000800000001', 'hex');
    expect(() => decodeAt(wire, 0, 9)).toThrow(/run past/);
    expect(() => decodeAt(Buffer.concat([wire, wire]), 0, 9)).toThrow(/length field says 8/);
    const short = Buffer.from('040a000800000001', 'hex'); // a PACKET_IN with no body
    expect(() => decodeAt(Buffer.concat([Buffer.alloc(2), short]), 2, 8)).toThrow(/PACKET_IN needs at least/);
  });
});

describe('an OXM match of in_port alone', () => {
  const oxm = (tlvs: string): Buffer => {
    const body = Buffer.from(tlvs, 'hex');
    const m = Buffer.alloc((4 + body.length + 7) & ~7);
    m.writeUInt16BE(1, 0);
    m.writeUInt16BE(4 + body.length, 2);
    body.copy(m, 4);
    return m;
  };

  it('decodes as the general TLV walk does, for any port', () => {
    for (const port of [0, 1, 0xfffffffd, 0x12345678]) {
      const m = oxm(`80000004${port.toString(16).padStart(8, '0')}`);
      for (const v of [3, 4, 5, 6]) {
        const fast = decodeMatch(v, m);
        expect(fast).toStrictEqual(decodeOxmFields(v, m, 4, 12, {}));
        expect(fast).toStrictEqual({ inPort: port });
      }
    }
  });

  it('another single field of the same size, or a masked or experimenter TLV, takes the general walk', () => {
    expect(decodeMatch(4, oxm('8000020400000005'))).toStrictEqual({ inPhyPort: 5 });
    expect(decodeMatch(4, oxm('0001000400000005')).oxm).toHaveLength(1);
  });
});

describe('PACKET_IN data, made on first read', () => {
  const pins = [
    encode({ type: 'PACKET_IN', version: 1, xid: 7, bufferId: 0xffffffff, totalLen: 4, inPort: 2, reason: 0, data: Buffer.from('cafe0102', 'hex') }),
    encode({ type: 'PACKET_IN', version: 2, xid: 7, bufferId: 0xffffffff, inPort: 2, inPhyPort: 2, totalLen: 4, reason: 0, tableId: 0, data: Buffer.from('cafe0102', 'hex') }),
    encode({ type: 'PACKET_IN', version: 4, xid: 7, bufferId: 0xffffffff, totalLen: 4, reason: 0, tableId: 0, cookie: 0n, match: { inPort: 2 }, data: Buffer.from('cafe0102', 'hex') }),
  ];

  it('is a getter, not an own field: the same view on every read', () => {
    for (const wire of pins) {
      const m = decode(wire);
      if (m.type !== 'PACKET_IN') throw new Error(m.type);
      expect(Object.keys(m)).not.toContain('data');
      expect('data' in m).toBe(true);
      expect(m.data.toString('hex')).toBe('cafe0102');
      expect(m.data).toBe(m.data);
      expect(m.data.buffer).toBe(wire.buffer);
      expect({ ...m, data: m.data }.data.toString('hex')).toBe('cafe0102');
    }
  });

  it('an assigned payload is what encode writes; an unread one is copied from the wire', () => {
    for (const wire of pins) {
      const m = decode(wire);
      if (m.type !== 'PACKET_IN') throw new Error(m.type);
      expect(encode(m).equals(wire)).toBe(true);
      m.data = Buffer.from('ff', 'hex');
      m.totalLen = 1;
      const again = decode(encode(m));
      if (again.type !== 'PACKET_IN') throw new Error(again.type);
      expect(again.data.toString('hex')).toBe('ff');
      expect(encode(again).length).toBe(wire.length - 3);
    }
  });

  it('an empty payload reads as the shared empty Buffer', () => {
    const m = decode(encode({ type: 'PACKET_IN', version: 1, xid: 1, bufferId: 5, totalLen: 0, inPort: 1, reason: 0, data: Buffer.alloc(0) }));
    if (m.type !== 'PACKET_IN') throw new Error(m.type);
    expect(m.data.length).toBe(0);
  });
});
