/**
 * The wire layouts the emulator reads and writes itself, for every version: FLOW_MOD, PACKET_OUT,
 * the flow / port stats request bodies, PACKET_IN, FLOW_REMOVED and PORT_STATUS. Requests are read
 * from the message's exact bytes (encode() is decode()'s inverse), so this works whatever fields
 * the codec decodes; answers are built as bytes and decoded into the codec's message form.
 */
import {
  OFP10, OFP11, OFP12, OFP13, OFP15, OFPP, OfpError, decode, decodeActions, decodeInstructions, decodeMatch, encodeMatch,
  matchWireLength, typeCode, type Action, type Instruction, type Match, type OfpMessage, type OfpPort,
} from '../ofp/index.js';
import { encodePort } from '../ofp/features.js';
import { durationWords, encodePort14 } from './ports.js';

/** A 1.0 port (16 bits) as the 32-bit number 1.1+ use: reserved ports 0xff00+ become 0xffffff00+. */
export const widenPort10 = (p: number): number => (p >= 0xff00 ? (p + 0xffff0000) >>> 0 : p);

/** 1.0 actions with their ports widened, so the rest of the emulator sees one numbering. */
function widenActions10(actions: Action[]): Action[] {
  return actions.map((a) => (a.type === 'OUTPUT' || a.type === 'ENQUEUE' ? { ...a, port: widenPort10(a.port) } : a));
}

export interface FlowMod {
  cookie: bigint;
  cookieMask: bigint;
  tableId: number;
  command: number;
  idleTimeout: number;
  hardTimeout: number;
  priority: number;
  bufferId: number;
  outPort: number;
  outGroup: number;
  flags: number;
  importance: number;
  match: Match;
  instructions: Instruction[];
  /** The message's length on the wire. */
  wireBytes: number;
}

export const OFPFC = { ADD: 0, MODIFY: 1, MODIFY_STRICT: 2, DELETE: 3, DELETE_STRICT: 4 } as const;
export const OFPFF_SEND_FLOW_REM = 1;
export const OFPFF_CHECK_OVERLAP = 2;
/** 1.3+ (1.0 uses this bit for EMERG). */
export const OFPFF_RESET_COUNTS = 4;
export const OFPTT_ALL = 0xff;

/** Decodes FLOW_MOD bytes; throws OfpError (with the OpenFlow error to send) on malformed parts. */
export function readFlowMod(version: number, b: Buffer): FlowMod {
  if (version === OFP10) {
    const match = decodeMatch(version, b, 8);
    const actions = widenActions10(decodeActions(version, b, 72, b.length - 72));
    return {
      match, cookie: b.readBigUInt64BE(48), cookieMask: 0n, tableId: 0, command: b.readUInt16BE(56),
      idleTimeout: b.readUInt16BE(58), hardTimeout: b.readUInt16BE(60), priority: b.readUInt16BE(62),
      bufferId: b.readUInt32BE(64), outPort: widenPort10(b.readUInt16BE(68)), outGroup: 0xffffffff,
      flags: b.readUInt16BE(70), importance: 0, instructions: [{ type: 'APPLY_ACTIONS', actions }], wireBytes: b.length,
    };
  }
  const matchLen = matchWireLength(version, b, 48);
  return {
    cookie: b.readBigUInt64BE(8), cookieMask: b.readBigUInt64BE(16), tableId: b[24]!, command: b[25]!,
    idleTimeout: b.readUInt16BE(26), hardTimeout: b.readUInt16BE(28), priority: b.readUInt16BE(30),
    bufferId: b.readUInt32BE(32), outPort: b.readUInt32BE(36), outGroup: b.readUInt32BE(40), flags: b.readUInt16BE(44),
    importance: version >= OFP13 + 1 ? b.readUInt16BE(46) : 0,
    match: decodeMatch(version, b, 48),
    instructions: decodeInstructions(version, b, 48 + matchLen, b.length - 48 - matchLen),
    wireBytes: b.length,
  };
}

export interface PacketOut {
  bufferId: number;
  inPort: number;
  actions: Action[];
  data: Buffer;
}

export function readPacketOut(version: number, b: Buffer): PacketOut {
  if (version === OFP10) {
    const len = b.readUInt16BE(14);
    return { bufferId: b.readUInt32BE(8), inPort: widenPort10(b.readUInt16BE(12)), actions: widenActions10(decodeActions(version, b, 16, len)), data: b.subarray(16 + len) };
  }
  if (version < OFP15) {
    const len = b.readUInt16BE(16);
    return { bufferId: b.readUInt32BE(8), inPort: b.readUInt32BE(12), actions: decodeActions(version, b, 24, len), data: b.subarray(24 + len) };
  }
  const len = b.readUInt16BE(12);
  const matchLen = matchWireLength(version, b, 16);
  const match = decodeMatch(version, b, 16);
  const at = 16 + matchLen;
  return { bufferId: b.readUInt32BE(8), inPort: match.inPort ?? OFPP.CONTROLLER, actions: decodeActions(version, b, at, len), data: b.subarray(at + len) };
}

export interface FlowStatsRequest {
  tableId: number;
  outPort: number;
  outGroup: number;
  cookie: bigint;
  cookieMask: bigint;
  match: Match;
}

/** The body of a flow / aggregate stats request (after the multipart header). */
export function readFlowStatsRequest(version: number, body: Buffer): FlowStatsRequest {
  if (version === OFP10) {
    return { match: decodeMatch(version, body, 0), tableId: body[40]!, outPort: widenPort10(body.readUInt16BE(42)), outGroup: 0xffffffff, cookie: 0n, cookieMask: 0n };
  }
  return {
    tableId: body[0]!, outPort: body.readUInt32BE(4), outGroup: body.readUInt32BE(8), cookie: body.readBigUInt64BE(16),
    cookieMask: body.readBigUInt64BE(24), match: decodeMatch(version, body, 32),
  };
}

/**
 * Builds a message of `typeName` from its body bytes, in the codec's typed form when the codec
 * reads it, else in the raw form (`body`) that encodes to the same bytes: what goes on the wire is
 * these bytes either way.
 */
export function message(version: number, typeName: string, xid: number, body: Buffer): OfpMessage {
  const out = Buffer.alloc(8 + body.length);
  out[0] = version;
  out[1] = typeCode(version, typeName as OfpMessage['type'])!;
  out.writeUInt16BE(out.length, 2);
  out.writeUInt32BE(xid >>> 0, 4);
  body.copy(out, 8);
  try {
    return decode(out);
  } catch (err) {
    if (!(err instanceof OfpError)) throw err;
    return { type: typeName, version, xid, body } as unknown as OfpMessage;
  }
}

export interface PacketInFields {
  bufferId: number;
  totalLen: number;
  inPort: number;
  /** The version's OFPR_ number. */
  reason: number;
  tableId: number;
  cookie: bigint;
  data: Buffer;
}

/** PACKET_IN body of each version (1.2+ carry in_port in an OXM match). */
export function packetInBody(version: number, p: PacketInFields): Buffer {
  if (version === OFP10) {
    const b = Buffer.alloc(10 + p.data.length);
    b.writeUInt32BE(p.bufferId, 0);
    b.writeUInt16BE(p.totalLen, 4);
    b.writeUInt16BE(p.inPort > 0xffff ? p.inPort - 0xffff0000 : p.inPort, 6);
    b[8] = p.reason;
    p.data.copy(b, 10);
    return b;
  }
  if (version === OFP11) {
    const b = Buffer.alloc(16 + p.data.length);
    b.writeUInt32BE(p.bufferId, 0);
    b.writeUInt32BE(p.inPort, 4);
    b.writeUInt32BE(p.inPort, 8);
    b.writeUInt16BE(p.totalLen, 12);
    b[14] = p.reason;
    b[15] = p.tableId;
    p.data.copy(b, 16);
    return b;
  }
  const match = encodeMatch(version, { inPort: p.inPort });
  const head = version === OFP12 ? 8 : 16;
  const b = Buffer.alloc(head + match.length + 2 + p.data.length);
  b.writeUInt32BE(p.bufferId, 0);
  b.writeUInt16BE(p.totalLen, 4);
  b[6] = p.reason;
  b[7] = p.tableId;
  if (version !== OFP12) b.writeBigUInt64BE(p.cookie, 8);
  match.copy(b, head);
  p.data.copy(b, head + match.length + 2);
  return b;
}

export interface FlowRemovedFields {
  cookie: bigint;
  priority: number;
  reason: number;
  tableId: number;
  durationMs: number;
  idleTimeout: number;
  hardTimeout: number;
  packetCount: bigint;
  byteCount: bigint;
  match: Match;
}


// OXS (1.5 flow statistics): class OPENFLOW_BASIC 0x8002, field << 9, payload length.
const oxsHeader = (field: number, len: number): number => ((0x8002 << 16) | (field << 9) | len) >>> 0;
export const OXS = { DURATION: 0, IDLE_TIME: 1, FLOW_COUNT: 3, PACKET_COUNT: 4, BYTE_COUNT: 5 } as const;

/** ofp_oxs_stat: reserved, length, then the fields, padded to 8 bytes. */
export function oxsStats(fields: Array<[number, bigint, 4 | 8]>): Buffer {
  const len = 4 + fields.reduce((n, [, , w]) => n + 4 + w, 0);
  const b = Buffer.alloc((len + 7) & ~7);
  b.writeUInt16BE(len, 2);
  let at = 4;
  for (const [field, value, w] of fields) {
    b.writeUInt32BE(oxsHeader(field, w), at);
    if (w === 8) b.writeBigUInt64BE(value, at + 4);
    else b.writeUInt32BE(Number(value), at + 4);
    at += 4 + w;
  }
  return b;
}

/** A duration as OXS writes it: seconds in the high 32 bits, nanoseconds in the low. */
export function fixedPoint(ms: number): bigint {
  const [sec, nsec] = durationWords(ms);
  return (BigInt(sec) << 32n) | BigInt(nsec);
}

/** FLOW_REMOVED body of each version (1.5: a short head, the match, OXS statistics). */
export function flowRemovedBody(version: number, f: FlowRemovedFields): Buffer {
  const [sec, nsec] = durationWords(f.durationMs);
  const match = encodeMatch(version, f.match);
  if (version >= OFP15) {
    const stats = oxsStats([[OXS.DURATION, fixedPoint(f.durationMs), 8], [OXS.PACKET_COUNT, f.packetCount, 8], [OXS.BYTE_COUNT, f.byteCount, 8]]);
    const head = Buffer.alloc(16);
    head[0] = f.tableId;
    head[1] = f.reason;
    head.writeUInt16BE(f.priority, 2);
    head.writeUInt16BE(f.idleTimeout, 4);
    head.writeUInt16BE(f.hardTimeout, 6);
    head.writeBigUInt64BE(f.cookie, 8);
    return Buffer.concat([head, match, stats]);
  }
  if (version === OFP10) {
    const b = Buffer.alloc(match.length + 40);
    match.copy(b, 0);
    b.writeBigUInt64BE(f.cookie, 40);
    b.writeUInt16BE(f.priority, 48);
    b[50] = f.reason;
    b.writeUInt32BE(sec, 52);
    b.writeUInt32BE(nsec, 56);
    b.writeUInt16BE(f.idleTimeout, 60);
    b.writeBigUInt64BE(f.packetCount, 64);
    b.writeBigUInt64BE(f.byteCount, 72);
    return b;
  }
  const b = Buffer.alloc(40 + match.length);
  b.writeBigUInt64BE(f.cookie, 0);
  b.writeUInt16BE(f.priority, 8);
  b[10] = f.reason;
  b[11] = f.tableId;
  b.writeUInt32BE(sec, 12);
  b.writeUInt32BE(nsec, 16);
  b.writeUInt16BE(f.idleTimeout, 20);
  b.writeUInt16BE(f.hardTimeout, 22);
  b.writeBigUInt64BE(f.packetCount, 24);
  b.writeBigUInt64BE(f.byteCount, 32);
  match.copy(b, 40);
  return b;
}

/** One port description in the version's layout (48, 64 or 72 bytes). */
export function portBytes(version: number, p: OfpPort): Buffer {
  if (version >= OFP13 + 1) return encodePort14(p);
  const b = Buffer.alloc(version === OFP10 ? 48 : 64);
  encodePort(p, version, b, 0);
  return b;
}

/** PORT_STATUS body: reason (ADD 0, DELETE 1, MODIFY 2), pad 7, the port. */
export function portStatusBody(version: number, reason: number, p: OfpPort): Buffer {
  const port = portBytes(version, p);
  const b = Buffer.alloc(8 + port.length);
  b[0] = reason;
  port.copy(b, 8);
  return b;
}
