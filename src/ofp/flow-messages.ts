/**
 * Codecs of PACKET_IN, PACKET_OUT, FLOW_MOD and FLOW_REMOVED for every version 1.0-1.5. The fixed
 * fields are read at decode; match and action/instruction lists are LazyMessage fields, decoded
 * on first read and re-encoded from their original bytes unless assigned.
 */
import { Buffer } from 'node:buffer';
import type {
  FlowMod10Message, FlowMod13Message, FlowRemoved10Message, FlowRemoved13Message, FlowRemoved15Message,
  PacketIn10Message, PacketIn11Message, PacketIn13Message, PacketOut10Message, PacketOut15Message,
} from './flow-types.js';
import type { Match } from './match-types.js';
import type { Action } from './actions.js';
import type { Instruction } from './instructions.js';
import { LazyMessage } from './lazy.js';
import { MATCH10_LEN, encodeMatch, port10 } from './match.js';
import { encodeActions } from './actions.js';
import { encodeInstructions } from './instructions.js';
import { OfpError, badLength } from './ofp-error.js';
import { OFP10, OFP12, OFP13, OFP14 } from './versions.js';
import {
  checkPaddedMatch, nonZero, rest, requireLength, unencodable, writePadding, type Codec,
} from './wire.js';

const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);

/** Match length at `pos`, as BAD_LENGTH (the message is short) rather than a match error. */
function matchEnd(version: number, buf: Buffer, pos: number, what: string): number {
  if (version === OFP10) {
    requireLength(buf, pos + MATCH10_LEN, what);
    return pos + MATCH10_LEN;
  }
  requireLength(buf, pos + 4, what);
  const len = buf.readUInt16BE(pos + 2);
  if (len < 4) throw badLength(`${what} match length ${len} is less than its 4-byte header`);
  const end = pos + ((len + 7) & ~7);
  requireLength(buf, end, what);
  return end;
}

// ---- encode-side resolution of the lazy fields ------------------------------------------------

interface WithMatch { match?: Match | Buffer; inPort?: number }
interface WithList { actions?: Action[] | Buffer; instructions?: Instruction[] | Buffer }

/** The match bytes to send: the original ones, given bytes, or the encoded Match (`inPort` alone when none). */
function matchBytes(m: WithMatch, version: number, inPortShorthand: boolean): Buffer {
  const wire = LazyMessage.matchWire(m);
  if (wire) return wire;
  const v = m.match;
  if (Buffer.isBuffer(v)) {
    if (version === OFP10) {
      if (v.length !== MATCH10_LEN) throw unencodable(`a 1.0 match is ${MATCH10_LEN} bytes`);
    } else {
      checkPaddedMatch(v);
    }
    return v;
  }
  if (v === undefined && inPortShorthand && m.inPort !== undefined) return encodeMatch(version, { inPort: m.inPort });
  if (v === undefined || v === null || typeof v !== 'object') throw unencodable('the message needs a match');
  return encodeMatch(version, v);
}

/**
 * The action/instruction bytes to send. A FLOW_MOD written once for every version may give
 * `actions` in 1.1+ (sent as one APPLY_ACTIONS) or, in 1.0, `instructions` holding only that.
 */
function listBytes(m: WithList, version: number, kind: 'actions' | 'instructions'): Buffer {
  const wire = LazyMessage.listWire(m);
  if (wire) return wire;
  if (kind === 'actions') {
    if (m.actions !== undefined) return encodeActions(version, m.actions);
    const only = Array.isArray(m.instructions) && m.instructions.length === 1 ? m.instructions[0] : undefined;
    if (only?.type === 'APPLY_ACTIONS') return encodeActions(version, only.actions);
    if (m.instructions !== undefined) throw new OfpError('UNSUPPORTED_INSTRUCTION', 'OpenFlow 1.0 has no instructions; give actions');
    throw unencodable('the message needs actions');
  }
  if (m.instructions !== undefined) return encodeInstructions(version, m.instructions);
  if (Array.isArray(m.actions)) return encodeInstructions(version, [{ type: 'APPLY_ACTIONS', actions: m.actions }]);
  throw unencodable('the message needs instructions');
}

// bodyLength resolves the variable parts and encodeBody, which codec.ts calls right after it for
// the same message, writes them: each part is encoded once.
let pendingFor: object | undefined;
let pendingMatch: Buffer | undefined;
let pendingList: Buffer | undefined;

function resolve(m: object, match: Buffer | undefined, list: Buffer | undefined): number {
  pendingFor = m;
  pendingMatch = match;
  pendingList = list;
  return (match?.length ?? 0) + (list?.length ?? 0);
}

function take(m: object, again: () => void): { match: Buffer; list: Buffer } {
  if (pendingFor !== m) again();
  const r = { match: pendingMatch!, list: pendingList! };
  pendingFor = pendingMatch = pendingList = undefined;
  return r;
}

// ---- PACKET_IN ---------------------------------------------------------------------------------

/** ofp_packet_in 1.0: buffer_id, total_len, in_port u16, reason, pad, data at 18. */
export const packetIn10Codec: Codec<PacketIn10Message> = {
  decode(buf, version, xid) {
    requireLength(buf, 18, 'PACKET_IN');
    const m: PacketIn10Message = {
      type: 'PACKET_IN', version, xid, bufferId: buf.readUInt32BE(8), totalLen: buf.readUInt16BE(12),
      inPort: buf.readUInt16BE(14), reason: buf[16]!, data: rest(buf, 18),
    };
    const padding = nonZero(buf.subarray(17, 18));
    if (padding) m.padding = padding;
    return m;
  },
  bodyLength: (m) => 10 + m.data.length,
  encodeBody(m, out) {
    out.writeUInt32BE(m.bufferId >>> 0, 8);
    out.writeUInt16BE(m.totalLen, 12);
    out.writeUInt16BE(port10(m.inPort, 'inPort'), 14);
    out[16] = m.reason;
    writePadding(out, 17, 1, m.padding);
    m.data.copy(out, 18);
  },
};

/** ofp_packet_in 1.1: buffer_id, in_port, in_phy_port, total_len, reason, table_id, data at 24. */
export const packetIn11Codec: Codec<PacketIn11Message> = {
  decode(buf, version, xid) {
    requireLength(buf, 24, 'PACKET_IN');
    return {
      type: 'PACKET_IN', version, xid, bufferId: buf.readUInt32BE(8), inPort: buf.readUInt32BE(12),
      inPhyPort: buf.readUInt32BE(16), totalLen: buf.readUInt16BE(20), reason: buf[22]!, tableId: buf[23]!,
      data: rest(buf, 24),
    };
  },
  bodyLength: (m) => 16 + m.data.length,
  encodeBody(m, out) {
    out.writeUInt32BE(m.bufferId >>> 0, 8);
    out.writeUInt32BE(m.inPort >>> 0, 12);
    out.writeUInt32BE(m.inPhyPort >>> 0, 16);
    out.writeUInt16BE(m.totalLen, 20);
    out[22] = m.reason;
    out[23] = m.tableId;
    m.data.copy(out, 24);
  },
};

class PacketIn extends LazyMessage implements PacketIn13Message {
  declare type: 'PACKET_IN';
  declare xid: number;
  declare bufferId: number;
  declare totalLen: number;
  declare reason: number;
  declare tableId: number;
  declare cookie?: bigint;
  declare data: Buffer;
  declare padding?: Buffer;
  constructor(buf: Buffer, version: number, xid: number) {
    const at = version === OFP12 ? 16 : 24;
    const end = matchEnd(version, buf, at, 'PACKET_IN');
    requireLength(buf, end + 2, 'PACKET_IN');
    super(buf, at, end, -1, -1);
    this.type = 'PACKET_IN';
    this.version = version;
    this.xid = xid;
    this.bufferId = buf.readUInt32BE(8);
    this.totalLen = buf.readUInt16BE(12);
    this.reason = buf[14]!;
    this.tableId = buf[15]!;
    if (version >= OFP13) this.cookie = buf.readBigUInt64BE(16);
    this.data = rest(buf, end + 2);
    if (buf[end] !== 0 || buf[end + 1] !== 0) this.padding = buf.subarray(end, end + 2);
  }
  get match(): Match { return this.readMatch(); }
  set match(m: Match) { this.writeMatch(m); }
}

/** ofp_packet_in 1.2 (match at 16) and 1.3-1.5 (cookie, match at 24), then pad[2] and data. */
export const packetIn13Codec: Codec<PacketIn13Message> = {
  decode: (buf, version, xid) => new PacketIn(buf, version, xid),
  bodyLength: (m) => (m.version === OFP12 ? 8 : 16) + 2 + m.data.length + resolve(m, matchBytes(m, m.version, true), undefined),
  encodeBody(m, out) {
    const { match } = take(m, () => packetIn13Codec.bodyLength(m));
    out.writeUInt32BE(m.bufferId >>> 0, 8);
    out.writeUInt16BE(m.totalLen, 12);
    out[14] = m.reason;
    out[15] = m.tableId;
    let pos = 16;
    if (m.version >= OFP13) {
      out.writeBigUInt64BE(u64(m.cookie ?? 0n), 16);
      pos = 24;
    }
    match.copy(out, pos);
    pos += match.length;
    writePadding(out, pos, 2, m.padding);
    m.data.copy(out, pos + 2);
  },
};

// ---- PACKET_OUT --------------------------------------------------------------------------------

class PacketOut extends LazyMessage implements PacketOut10Message {
  declare type: 'PACKET_OUT';
  declare xid: number;
  declare bufferId: number;
  declare inPort: number;
  declare data: Buffer;
  declare padding?: Buffer;
  constructor(buf: Buffer, version: number, xid: number) {
    const v10 = version === OFP10;
    const at = v10 ? 16 : 24;
    requireLength(buf, at, 'PACKET_OUT');
    const end = at + buf.readUInt16BE(v10 ? 14 : 16);
    if (end > buf.length) throw badLength('PACKET_OUT actions_len runs past the message end');
    super(buf, -1, -1, at, end);
    this.type = 'PACKET_OUT';
    this.version = version;
    this.xid = xid;
    this.bufferId = buf.readUInt32BE(8);
    this.inPort = v10 ? buf.readUInt16BE(12) : buf.readUInt32BE(12);
    this.data = rest(buf, end);
    if (!v10) {
      const padding = nonZero(buf.subarray(18, 24));
      if (padding) this.padding = padding;
    }
  }
  get actions(): Action[] { return this.readList('actions') as Action[]; }
  set actions(a: Action[]) { this.writeList(a); }
}

/** ofp_packet_out 1.0 (in_port u16, actions_len) and 1.1-1.4 (in_port u32, actions_len, pad[6]). */
export const packetOut10Codec: Codec<PacketOut10Message> = {
  decode: (buf, version, xid) => new PacketOut(buf, version, xid),
  bodyLength: (m) => (m.version === OFP10 ? 8 : 16) + m.data.length + resolve(m, undefined, listBytes(m, m.version, 'actions')),
  encodeBody(m, out) {
    const { list } = take(m, () => packetOut10Codec.bodyLength(m));
    if (list.length > 0xffff) throw unencodable('PACKET_OUT actions are over 65535 bytes');
    out.writeUInt32BE(m.bufferId >>> 0, 8);
    let pos: number;
    if (m.version === OFP10) {
      out.writeUInt16BE(port10(m.inPort, 'inPort'), 12);
      out.writeUInt16BE(list.length, 14);
      pos = 16;
    } else {
      out.writeUInt32BE(m.inPort >>> 0, 12);
      out.writeUInt16BE(list.length, 16);
      writePadding(out, 18, 6, m.padding);
      pos = 24;
    }
    list.copy(out, pos);
    m.data.copy(out, pos + list.length);
  },
};

class PacketOut15 extends LazyMessage implements PacketOut15Message {
  declare type: 'PACKET_OUT';
  declare xid: number;
  declare bufferId: number;
  declare data: Buffer;
  declare padding?: Buffer;
  constructor(buf: Buffer, version: number, xid: number) {
    requireLength(buf, 16, 'PACKET_OUT');
    const end = matchEnd(version, buf, 16, 'PACKET_OUT');
    const actionsEnd = end + buf.readUInt16BE(12);
    if (actionsEnd > buf.length) throw badLength('PACKET_OUT actions_len runs past the message end');
    super(buf, 16, end, end, actionsEnd);
    this.type = 'PACKET_OUT';
    this.version = version;
    this.xid = xid;
    this.bufferId = buf.readUInt32BE(8);
    this.data = rest(buf, actionsEnd);
    if (buf[14] !== 0 || buf[15] !== 0) this.padding = buf.subarray(14, 16);
  }
  get match(): Match { return this.readMatch(); }
  set match(m: Match) { this.writeMatch(m); }
  get actions(): Action[] { return this.readList('actions') as Action[]; }
  set actions(a: Action[]) { this.writeList(a); }
}

/** ofp_packet_out 1.5: buffer_id, actions_len, pad[2], match, actions, data. */
export const packetOut15Codec: Codec<PacketOut15Message> = {
  decode: (buf, version, xid) => new PacketOut15(buf, version, xid),
  bodyLength: (m) => 8 + m.data.length + resolve(m, matchBytes(m, m.version, true), listBytes(m, m.version, 'actions')),
  encodeBody(m, out) {
    const { match, list } = take(m, () => packetOut15Codec.bodyLength(m));
    if (list.length > 0xffff) throw unencodable('PACKET_OUT actions are over 65535 bytes');
    out.writeUInt32BE(m.bufferId >>> 0, 8);
    out.writeUInt16BE(list.length, 12);
    writePadding(out, 14, 2, m.padding);
    match.copy(out, 16);
    list.copy(out, 16 + match.length);
    m.data.copy(out, 16 + match.length + list.length);
  },
};

// ---- FLOW_MOD ----------------------------------------------------------------------------------

class FlowMod10 extends LazyMessage implements FlowMod10Message {
  declare type: 'FLOW_MOD';
  declare xid: number;
  declare cookie: bigint;
  declare command: number;
  declare idleTimeout: number;
  declare hardTimeout: number;
  declare priority: number;
  declare bufferId: number;
  declare outPort: number;
  declare flags: number;
  constructor(buf: Buffer, version: number, xid: number) {
    requireLength(buf, 72, 'FLOW_MOD');
    super(buf, 8, 48, 72, buf.length);
    this.type = 'FLOW_MOD';
    this.version = version;
    this.xid = xid;
    this.cookie = buf.readBigUInt64BE(48);
    this.command = buf.readUInt16BE(56);
    this.idleTimeout = buf.readUInt16BE(58);
    this.hardTimeout = buf.readUInt16BE(60);
    this.priority = buf.readUInt16BE(62);
    this.bufferId = buf.readUInt32BE(64);
    this.outPort = buf.readUInt16BE(68);
    this.flags = buf.readUInt16BE(70);
  }
  get match(): Match { return this.readMatch(); }
  set match(m: Match) { this.writeMatch(m); }
  get actions(): Action[] { return this.readList('actions') as Action[]; }
  set actions(a: Action[]) { this.writeList(a); }
}

/** ofp_flow_mod 1.0: match[40], cookie, command, timeouts, priority, buffer_id, out_port, flags, actions. */
export const flowMod10Codec: Codec<FlowMod10Message> = {
  decode: (buf, version, xid) => new FlowMod10(buf, version, xid),
  bodyLength: (m) => 24 + resolve(m, matchBytes(m, OFP10, false), listBytes(m, OFP10, 'actions')),
  encodeBody(m, out) {
    const { match, list } = take(m, () => flowMod10Codec.bodyLength(m));
    match.copy(out, 8);
    out.writeBigUInt64BE(u64(m.cookie), 48);
    out.writeUInt16BE(m.command, 56);
    out.writeUInt16BE(m.idleTimeout, 58);
    out.writeUInt16BE(m.hardTimeout, 60);
    out.writeUInt16BE(m.priority, 62);
    out.writeUInt32BE(m.bufferId >>> 0, 64);
    out.writeUInt16BE(port10(m.outPort, 'outPort'), 68);
    out.writeUInt16BE(m.flags, 70);
    list.copy(out, 72);
  },
};

class FlowMod extends LazyMessage implements FlowMod13Message {
  declare type: 'FLOW_MOD';
  declare xid: number;
  declare cookie: bigint;
  declare cookieMask: bigint;
  declare tableId: number;
  declare command: number;
  declare idleTimeout: number;
  declare hardTimeout: number;
  declare priority: number;
  declare bufferId: number;
  declare outPort: number;
  declare outGroup: number;
  declare flags: number;
  declare importance?: number;
  declare padding?: Buffer;
  constructor(buf: Buffer, version: number, xid: number) {
    requireLength(buf, 48, 'FLOW_MOD');
    const end = matchEnd(version, buf, 48, 'FLOW_MOD');
    super(buf, 48, end, end, buf.length);
    this.type = 'FLOW_MOD';
    this.version = version;
    this.xid = xid;
    this.cookie = buf.readBigUInt64BE(8);
    this.cookieMask = buf.readBigUInt64BE(16);
    this.tableId = buf[24]!;
    this.command = buf[25]!;
    this.idleTimeout = buf.readUInt16BE(26);
    this.hardTimeout = buf.readUInt16BE(28);
    this.priority = buf.readUInt16BE(30);
    this.bufferId = buf.readUInt32BE(32);
    this.outPort = buf.readUInt32BE(36);
    this.outGroup = buf.readUInt32BE(40);
    this.flags = buf.readUInt16BE(44);
    if (version >= OFP14) this.importance = buf.readUInt16BE(46);
    else if (buf[46] !== 0 || buf[47] !== 0) this.padding = buf.subarray(46, 48);
  }
  get match(): Match { return this.readMatch(); }
  set match(m: Match) { this.writeMatch(m); }
  get instructions(): Instruction[] { return this.readList('instructions') as Instruction[]; }
  set instructions(i: Instruction[]) { this.writeList(i); }
}

/** ofp_flow_mod 1.1-1.5: cookie, cookie_mask, table_id, command, ..., flags, pad[2] / importance, match, instructions. */
export const flowMod13Codec: Codec<FlowMod13Message> = {
  decode: (buf, version, xid) => new FlowMod(buf, version, xid),
  bodyLength: (m) => 40 + resolve(m, matchBytes(m, m.version, false), listBytes(m, m.version, 'instructions')),
  encodeBody(m, out) {
    const { match, list } = take(m, () => flowMod13Codec.bodyLength(m));
    out.writeBigUInt64BE(u64(m.cookie), 8);
    out.writeBigUInt64BE(u64(m.cookieMask), 16);
    out[24] = m.tableId;
    out[25] = m.command;
    out.writeUInt16BE(m.idleTimeout, 26);
    out.writeUInt16BE(m.hardTimeout, 28);
    out.writeUInt16BE(m.priority, 30);
    out.writeUInt32BE(m.bufferId >>> 0, 32);
    out.writeUInt32BE(m.outPort >>> 0, 36);
    out.writeUInt32BE(m.outGroup >>> 0, 40);
    out.writeUInt16BE(m.flags, 44);
    if (m.version >= OFP14) out.writeUInt16BE(m.importance ?? 0, 46);
    else writePadding(out, 46, 2, m.padding);
    match.copy(out, 48);
    list.copy(out, 48 + match.length);
  },
};

// ---- FLOW_REMOVED ------------------------------------------------------------------------------

class FlowRemoved10 extends LazyMessage implements FlowRemoved10Message {
  declare type: 'FLOW_REMOVED';
  declare xid: number;
  declare cookie: bigint;
  declare priority: number;
  declare reason: number;
  declare durationSec: number;
  declare durationNsec: number;
  declare idleTimeout: number;
  declare packetCount: bigint;
  declare byteCount: bigint;
  declare padding?: Buffer;
  declare trailing?: Buffer;
  constructor(buf: Buffer, version: number, xid: number) {
    requireLength(buf, 88, 'FLOW_REMOVED');
    super(buf, 8, 48, -1, -1);
    this.type = 'FLOW_REMOVED';
    this.version = version;
    this.xid = xid;
    this.cookie = buf.readBigUInt64BE(48);
    this.priority = buf.readUInt16BE(56);
    this.reason = buf[58]!;
    this.durationSec = buf.readUInt32BE(60);
    this.durationNsec = buf.readUInt32BE(64);
    this.idleTimeout = buf.readUInt16BE(68);
    this.packetCount = buf.readBigUInt64BE(72);
    this.byteCount = buf.readBigUInt64BE(80);
    if (buf[59] !== 0 || buf[70] !== 0 || buf[71] !== 0) this.padding = Buffer.from([buf[59]!, buf[70]!, buf[71]!]);
    if (buf.length > 88) this.trailing = buf.subarray(88);
  }
  get match(): Match { return this.readMatch(); }
  set match(m: Match) { this.writeMatch(m); }
}

/** ofp_flow_removed 1.0: match[40], cookie, priority, reason, pad, durations, idle_timeout, pad[2], counters. */
export const flowRemoved10Codec: Codec<FlowRemoved10Message> = {
  decode: (buf, version, xid) => new FlowRemoved10(buf, version, xid),
  bodyLength: (m) => 40 + (m.trailing?.length ?? 0) + resolve(m, matchBytes(m, OFP10, false), undefined),
  encodeBody(m, out) {
    const { match } = take(m, () => flowRemoved10Codec.bodyLength(m));
    if (m.padding && m.padding.length !== 3) throw unencodable('FLOW_REMOVED 1.0 padding must be 3 bytes');
    match.copy(out, 8);
    out.writeBigUInt64BE(u64(m.cookie), 48);
    out.writeUInt16BE(m.priority, 56);
    out[58] = m.reason;
    out[59] = m.padding?.[0] ?? 0;
    out.writeUInt32BE(m.durationSec >>> 0, 60);
    out.writeUInt32BE(m.durationNsec >>> 0, 64);
    out.writeUInt16BE(m.idleTimeout, 68);
    out[70] = m.padding?.[1] ?? 0;
    out[71] = m.padding?.[2] ?? 0;
    out.writeBigUInt64BE(u64(m.packetCount), 72);
    out.writeBigUInt64BE(u64(m.byteCount), 80);
    m.trailing?.copy(out, 88);
  },
};

class FlowRemoved extends LazyMessage implements FlowRemoved13Message {
  declare type: 'FLOW_REMOVED';
  declare xid: number;
  declare cookie: bigint;
  declare priority: number;
  declare reason: number;
  declare tableId: number;
  declare durationSec: number;
  declare durationNsec: number;
  declare idleTimeout: number;
  declare hardTimeout: number;
  declare packetCount: bigint;
  declare byteCount: bigint;
  declare trailing?: Buffer;
  constructor(buf: Buffer, version: number, xid: number) {
    requireLength(buf, 52, 'FLOW_REMOVED');
    const end = matchEnd(version, buf, 48, 'FLOW_REMOVED');
    super(buf, 48, end, -1, -1);
    this.type = 'FLOW_REMOVED';
    this.version = version;
    this.xid = xid;
    this.cookie = buf.readBigUInt64BE(8);
    this.priority = buf.readUInt16BE(16);
    this.reason = buf[18]!;
    this.tableId = buf[19]!;
    this.durationSec = buf.readUInt32BE(20);
    this.durationNsec = buf.readUInt32BE(24);
    this.idleTimeout = buf.readUInt16BE(28);
    // 1.1's struct has 2 pad bytes here; Open vSwitch sends hard_timeout in them, as 1.2 does.
    this.hardTimeout = buf.readUInt16BE(30);
    this.packetCount = buf.readBigUInt64BE(32);
    this.byteCount = buf.readBigUInt64BE(40);
    if (buf.length > end) this.trailing = buf.subarray(end);
  }
  get match(): Match { return this.readMatch(); }
  set match(m: Match) { this.writeMatch(m); }
}

/** ofp_flow_removed 1.1-1.4: cookie, priority, reason, table_id, durations, timeouts, counters, match. */
export const flowRemoved13Codec: Codec<FlowRemoved13Message> = {
  decode: (buf, version, xid) => new FlowRemoved(buf, version, xid),
  bodyLength: (m) => 40 + (m.trailing?.length ?? 0) + resolve(m, matchBytes(m, m.version, false), undefined),
  encodeBody(m, out) {
    const { match } = take(m, () => flowRemoved13Codec.bodyLength(m));
    out.writeBigUInt64BE(u64(m.cookie), 8);
    out.writeUInt16BE(m.priority, 16);
    out[18] = m.reason;
    out[19] = m.tableId;
    out.writeUInt32BE(m.durationSec >>> 0, 20);
    out.writeUInt32BE(m.durationNsec >>> 0, 24);
    out.writeUInt16BE(m.idleTimeout, 28);
    out.writeUInt16BE(m.hardTimeout, 30);
    out.writeBigUInt64BE(u64(m.packetCount), 32);
    out.writeBigUInt64BE(u64(m.byteCount), 40);
    match.copy(out, 48);
    m.trailing?.copy(out, 48 + match.length);
  },
};

class FlowRemoved15 extends LazyMessage implements FlowRemoved15Message {
  declare type: 'FLOW_REMOVED';
  declare xid: number;
  declare cookie: bigint;
  declare priority: number;
  declare reason: number;
  declare tableId: number;
  declare idleTimeout: number;
  declare hardTimeout: number;
  declare stats: Buffer;
  constructor(buf: Buffer, version: number, xid: number) {
    requireLength(buf, 28, 'FLOW_REMOVED');
    const end = matchEnd(version, buf, 24, 'FLOW_REMOVED');
    super(buf, 24, end, -1, -1);
    this.type = 'FLOW_REMOVED';
    this.version = version;
    this.xid = xid;
    this.tableId = buf[8]!;
    this.reason = buf[9]!;
    this.priority = buf.readUInt16BE(10);
    this.idleTimeout = buf.readUInt16BE(12);
    this.hardTimeout = buf.readUInt16BE(14);
    this.cookie = buf.readBigUInt64BE(16);
    this.stats = rest(buf, end);
  }
  get match(): Match { return this.readMatch(); }
  set match(m: Match) { this.writeMatch(m); }
}

/** ofp_flow_removed 1.5: table_id, reason, priority, idle/hard timeouts, cookie, match, ofp_stats. */
export const flowRemoved15Codec: Codec<FlowRemoved15Message> = {
  decode: (buf, version, xid) => new FlowRemoved15(buf, version, xid),
  bodyLength: (m) => 16 + m.stats.length + resolve(m, matchBytes(m, m.version, false), undefined),
  encodeBody(m, out) {
    const { match } = take(m, () => flowRemoved15Codec.bodyLength(m));
    out[8] = m.tableId;
    out[9] = m.reason;
    out.writeUInt16BE(m.priority, 10);
    out.writeUInt16BE(m.idleTimeout, 12);
    out.writeUInt16BE(m.hardTimeout, 14);
    out.writeBigUInt64BE(u64(m.cookie), 16);
    match.copy(out, 24);
    m.stats.copy(out, 24 + match.length);
  },
};

