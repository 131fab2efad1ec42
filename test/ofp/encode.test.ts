import { describe, expect, it } from 'vitest';
import {
  OfpError, decode, echoReply, echoRequest, encode, encodeInto, formatDatapathId, readHeader, writeHeader, type OfpMessage, type RawFormMessage,
} from '../../src/ofp/index.js';

describe('builders and encode', () => {
  it('echoRequest / echoReply keep version, xid and payload', () => {
    const req = echoRequest(4, 0xabcdef01, Buffer.from('ping'));
    expect(encode(req).toString('hex')).toBe('0402000cabcdef0170696e67');
    const rep = echoReply(req);
    expect(rep).toStrictEqual({ type: 'ECHO_REPLY', version: 4, xid: 0xabcdef01, data: Buffer.from('ping') });
    expect(encode(echoRequest(1, 1)).length).toBe(8);
  });

  it('any type can be sent in raw form, in the numbering of its version', () => {
    expect(encode({ type: 'BARRIER_REQUEST', version: 1, xid: 2, body: Buffer.alloc(0) } as unknown as OfpMessage).toString('hex'))
      .toBe('0112000800000002');
    expect(encode({ type: 'PACKET_IN', version: 4, xid: 0, body: Buffer.from([1]) } as unknown as OfpMessage).toString('hex'))
      .toBe('040a000900000000' + '01');
  });

  it('refuses what cannot be sent, with a typed error', () => {
    const cases: [OfpMessage | RawFormMessage, string][] = [
      [{ type: 'ROLE_REQUEST', version: 1, xid: 0, role: 0, generationId: 0n }, 'UNENCODABLE'],
      [{ type: 'METER_MOD', version: 3, xid: 0, body: Buffer.alloc(0) }, 'UNENCODABLE'],
      [{ type: 'ECHO_REQUEST', version: 0, xid: 0, data: Buffer.alloc(0) }, 'BAD_VERSION'],
      [{ type: 'ECHO_REQUEST', version: 7, xid: 0, data: Buffer.alloc(0) }, 'BAD_VERSION'],
      [{ type: 'ECHO_REQUEST', version: 1, xid: 0, data: Buffer.alloc(65535 - 7) }, 'UNENCODABLE'],
      [{ type: 'UNKNOWN', typeCode: 300, version: 1, xid: 0, body: Buffer.alloc(0) }, 'UNENCODABLE'],
      // A FLOW_MOD without its match; a match field and an action the version lacks.
      [{ type: 'FLOW_MOD', version: 4, xid: 0, cookie: 0n, cookieMask: 0n, tableId: 0, command: 0, idleTimeout: 0, hardTimeout: 0,
        priority: 0, bufferId: 0, outPort: 0, outGroup: 0, flags: 0, instructions: [] } as unknown as OfpMessage, 'UNENCODABLE'],
      [{ type: 'FLOW_MOD', version: 1, xid: 0, match: { ipv6Src: '::1' }, cookie: 0n, command: 0, idleTimeout: 0, hardTimeout: 0,
        priority: 0, bufferId: 0, outPort: 0, flags: 0, actions: [] }, 'UNSUPPORTED_FIELD'],
      [{ type: 'PACKET_OUT', version: 1, xid: 0, bufferId: 0, inPort: 0, actions: [{ type: 'PUSH_MPLS', ethertype: 0x8847 }],
        data: Buffer.alloc(0) }, 'UNSUPPORTED_ACTION'],
      [{ type: 'FEATURES_REPLY', version: 1, xid: 0, datapathId: 1n, nBuffers: 0, nTables: 0, capabilities: 0,
        ports: [{ portNo: 1, hwAddr: 'nope', name: '', config: 0, state: 0, curr: 0, advertised: 0, supported: 0, peer: 0 }] }, 'UNENCODABLE'],
    ];
    for (const [msg, code] of cases) {
      expect(() => encode(msg), msg.type).toThrow(OfpError);
      expect(() => encode(msg), msg.type).toThrow(expect.objectContaining({ code }));
    }
  });

  it('encodeInto writes the same bytes as encode at an offset, and nothing when they do not fit', () => {
    const msg = echoRequest(4, 0x01020304, Buffer.from('payload'));
    const target = Buffer.alloc(64, 0xee);
    expect(encodeInto(msg, target, 5)).toBe(15);
    expect(target.subarray(5, 20)).toEqual(encode(msg));
    expect(target[4]).toBe(0xee);
    expect(target[20]).toBe(0xee);
    const full = Buffer.alloc(20, 0xee);
    expect(encodeInto(msg, full, 6)).toBe(-1);
    expect(full).toEqual(Buffer.alloc(20, 0xee));
    expect(() => encodeInto({ ...msg, version: 0 }, target, 0)).toThrow(OfpError);
  });

  it('a HELLO may carry a future version number (negotiation must reach newer peers)', () => {
    const wire = encode({ type: 'HELLO', version: 9, xid: 1, elements: [] });
    expect(wire.toString('hex')).toBe('0900000800000001');
    expect(decode(wire)).toStrictEqual({ type: 'HELLO', version: 9, xid: 1, elements: [] });
  });

  it('header helpers and datapath ids', () => {
    const b = writeHeader(Buffer.alloc(10), { version: 4, type: 2, length: 8, xid: 0xffffffff }, 2);
    expect(readHeader(b, 2)).toEqual({ version: 4, type: 2, length: 8, xid: 0xffffffff });
    expect(() => readHeader(b, 3)).toThrow(expect.objectContaining({ code: 'BAD_LENGTH' }));
    expect(formatDatapathId(1n)).toBe('0000000000000001');
    expect(formatDatapathId(0xfedcba9876543210n)).toBe('fedcba9876543210');
    expect(formatDatapathId(-1n)).toBe('ffffffffffffffff');
  });
});
