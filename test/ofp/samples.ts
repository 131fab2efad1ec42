/**
 * One built message of every fully decoded type for every version it exists in, plus raw and
 * UNKNOWN ones: the table the round-trip tests iterate over.
 */
import {
  ALL_VERSIONS, OFP10, OFP13, makeError, makeHello, typeCode, typeName, type OfpMessage,
} from '../../src/ofp/index.js';
import { flowSamples } from '../support/flow-samples.js';

const bytes = (...b: number[]): Buffer => Buffer.from(b);

function port(version: number, n: number) {
  const p = {
    portNo: version === OFP10 ? n : 0xfffffffe - n, hwAddr: `02:00:00:00:00:${n.toString(16).padStart(2, '0')}`,
    name: `eth${n}`, config: 1, state: 4, curr: 0x80, advertised: 0x81, supported: 0x82, peer: 0x83,
  };
  return version === OFP10 ? p : { ...p, currSpeed: 10_000_000, maxSpeed: 40_000_000 };
}


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
  out.push(...flowSamples(v));
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
