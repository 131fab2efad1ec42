/**
 * One built message of every fully decoded type for every version it exists in, plus raw and
 * UNKNOWN ones: the table the round-trip tests iterate over.
 */
import {
  ALL_VERSIONS, OFP10, OFP13, makeError, makeHello, typeCode, typeName, type OfpMessage,
} from '../../src/ofp/index.js';

const bytes = (...b: number[]): Buffer => Buffer.from(b);

function port(version: number, n: number) {
  const p = {
    portNo: version === OFP10 ? n : 0xfffffffe - n, hwAddr: `02:00:00:00:00:${n.toString(16).padStart(2, '0')}`,
    name: `eth${n}`, config: 1, state: 4, curr: 0x80, advertised: 0x81, supported: 0x82, peer: 0x83,
  };
  return version === OFP10 ? p : { ...p, currSpeed: 10_000_000, maxSpeed: 40_000_000 };
}

// OXM match with in_port=1, padded to 16 bytes.
const MATCH13 = bytes(0, 1, 0, 12, 0x80, 0, 0, 4, 0, 0, 0, 1, 0, 0, 0, 0);
const MATCH10 = Buffer.alloc(40, 0);
MATCH10.writeUInt32BE(0x003820ff, 0);

export function samplesFor(version: number): OfpMessage[] {
  const v = version;
  const out: OfpMessage[] = [
    makeHello([v], 1),
    makeHello(v === OFP10 ? [1] : [1, v], 2),
    { type: 'HELLO', version: v, xid: 3, elements: [{ type: 9, data: bytes(1, 2, 3) }, { type: 'VERSIONBITMAP', bitmaps: [0x12, 0] }] },
    makeError(v, 4, 'BAD_REQUEST', 'BAD_LEN', bytes(1, 2, 3, 4, 5, 6, 7, 8)),
    makeError(v, 5, 'HELLO_FAILED', 'INCOMPATIBLE', Buffer.from('no common version')),
    { type: 'ECHO_REQUEST', version: v, xid: 6, data: Buffer.alloc(0) },
    { type: 'ECHO_REPLY', version: v, xid: 7, data: bytes(9, 9, 9) },
    v === OFP10
      ? { type: 'VENDOR', version: v, xid: 8, experimenter: 0x2320, data: bytes(0, 0, 0, 10) }
      : { type: 'EXPERIMENTER', version: v, xid: 8, experimenter: 0x2320, expType: 20, data: bytes(1, 2) },
    { type: 'FEATURES_REQUEST', version: v, xid: 9 },
    { type: 'BARRIER_REQUEST', version: v, xid: 10 },
    { type: 'BARRIER_REPLY', version: v, xid: 11 },
    v >= OFP13
      ? { type: 'FEATURES_REPLY', version: v, xid: 12, datapathId: 0xfedcba9876543210n, nBuffers: 256, nTables: 254,
        auxiliaryId: 1, capabilities: 0x4f, reserved: 0 }
      : { type: 'FEATURES_REPLY', version: v, xid: 12, datapathId: 0xfedcba9876543210n, nBuffers: 256, nTables: 254,
        capabilities: 0xc7, ...(v === OFP10 ? { actions: 0xfff } : { reserved: 0 }), ports: [port(v, 1), port(v, 2)] },
    { type: 'GET_CONFIG_REQUEST', version: v, xid: 13 },
    { type: 'PORT_STATUS', version: v, xid: 14, reason: 1, desc: port(v, 1) },
    { type: 'UNKNOWN', typeCode: 200, version: v, xid: 15, body: bytes(7) },
  ];
  if (v >= 3) {
    out.push(
      { type: 'ROLE_REQUEST', version: v, xid: 16, role: 2, generationId: 0xffffffffffffffffn },
      { type: 'ROLE_REPLY', version: v, xid: 17, role: 3, generationId: 7n },
      makeError(v, 18, 'ROLE_REQUEST_FAILED', 'STALE', Buffer.alloc(0)),
      { type: 'ERROR', version: v, xid: 19, errorType: 0xffff, code: 3, experimenter: 0x2320, data: bytes(1),
        errorTypeName: 'EXPERIMENTER', codeName: 'UNKNOWN_3' },
    );
  }
  if (v === OFP10) {
    out.push(
      { type: 'PACKET_IN', version: v, xid: 0, bufferId: 0xffffffff, totalLen: 3, inPort: 1, reason: 0, data: bytes(1, 2, 3) },
      { type: 'PACKET_OUT', version: v, xid: 20, bufferId: 256, inPort: 0xfff8, actions: bytes(0, 0, 0, 8, 0xff, 0xfb, 0, 0), data: Buffer.alloc(0) },
      { type: 'FLOW_MOD', version: v, xid: 21, match: MATCH10, cookie: 1n, command: 0, idleTimeout: 10, hardTimeout: 0,
        priority: 0x8000, bufferId: 0xffffffff, outPort: 0xffff, flags: 1, actions: bytes(0, 0, 0, 8, 0, 2, 0, 0) },
    );
  } else if (v === OFP13) {
    out.push(
      { type: 'PACKET_IN', version: v, xid: 0, bufferId: 0xffffffff, totalLen: 3, reason: 1, tableId: 3, cookie: 0xabn,
        match: MATCH13, data: bytes(1, 2, 3) },
      { type: 'PACKET_OUT', version: v, xid: 20, bufferId: 0xffffffff, inPort: 0xfffffffd, actions: bytes(0, 0, 0, 16, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0), data: bytes(5, 6) },
      { type: 'FLOW_MOD', version: v, xid: 21, cookie: 5n, cookieMask: 0n, tableId: 0, command: 0, idleTimeout: 0,
        hardTimeout: 30, priority: 100, bufferId: 0xffffffff, outPort: 0xffffffff, outGroup: 0xffffffff, flags: 0,
        match: MATCH13, instructions: bytes(0, 4, 0, 8, 0, 0, 0, 0) },
    );
  } else {
    // Versions whose PACKET_IN/PACKET_OUT/FLOW_MOD layouts are not decoded: raw bodies.
    out.push(
      { type: 'PACKET_IN', version: v, xid: 0, body: bytes(1, 2, 3, 4) },
      { type: 'PACKET_OUT', version: v, xid: 20, body: bytes(5, 6) },
      { type: 'FLOW_MOD', version: v, xid: 21, body: Buffer.alloc(0) },
    );
  }
  return out;
}

/** Every type name that exists in `version`, with its number. */
export function typesOf(version: number): [string, number][] {
  const out: [string, number][] = [];
  for (let code = 0; code < 256; code++) {
    const name = typeName(version, code);
    if (name !== undefined && typeCode(version, name) === code) out.push([name, code]);
  }
  return out;
}

export const VERSIONS = ALL_VERSIONS;
