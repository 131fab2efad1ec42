/**
 * PACKET_IN, PACKET_OUT and FLOW_MOD for 1.0 and 1.3: the fixed fields a "fast reply" controller
 * needs, with matches, actions and instructions kept as raw bytes (aliasing the input).
 */
import type {
  FlowMod10Message, FlowMod13Message, PacketIn10Message, PacketIn13Message, PacketOut10Message, PacketOut13Message,
} from './messages.js';
import { badLength } from './ofp-error.js';
import {
  checkPaddedMatch, nonZero, paddedMatchLength, requireLength, rest, unencodable, writePadding, type Codec,
} from './wire.js';

const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);

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
    out.writeUInt16BE(m.inPort, 14);
    out[16] = m.reason;
    writePadding(out, 17, 1, m.padding);
    m.data.copy(out, 18);
  },
};

/** ofp_packet_in 1.3: buffer_id, total_len, reason, table_id, cookie, match (padded), pad[2], data. */
export const packetIn13Codec: Codec<PacketIn13Message> = {
  decode(buf, version, xid) {
    requireLength(buf, 24, 'PACKET_IN');
    const matchEnd = 24 + paddedMatchLength(buf, 24);
    requireLength(buf, matchEnd + 2, 'PACKET_IN');
    const m: PacketIn13Message = {
      type: 'PACKET_IN', version, xid, bufferId: buf.readUInt32BE(8), totalLen: buf.readUInt16BE(12),
      reason: buf[14]!, tableId: buf[15]!, cookie: buf.readBigUInt64BE(16), match: buf.subarray(24, matchEnd),
      data: rest(buf, matchEnd + 2),
    };
    const padding = nonZero(buf.subarray(matchEnd, matchEnd + 2));
    if (padding) m.padding = padding;
    return m;
  },
  bodyLength: (m) => 16 + m.match.length + 2 + m.data.length,
  encodeBody(m, out) {
    checkPaddedMatch(m.match);
    out.writeUInt32BE(m.bufferId >>> 0, 8);
    out.writeUInt16BE(m.totalLen, 12);
    out[14] = m.reason;
    out[15] = m.tableId;
    out.writeBigUInt64BE(u64(m.cookie), 16);
    m.match.copy(out, 24);
    const pos = 24 + m.match.length;
    writePadding(out, pos, 2, m.padding);
    m.data.copy(out, pos + 2);
  },
};

/** ofp_packet_out 1.0: buffer_id, in_port u16, actions_len, actions, data. */
export const packetOut10Codec: Codec<PacketOut10Message> = {
  decode(buf, version, xid) {
    requireLength(buf, 16, 'PACKET_OUT');
    const actionsEnd = 16 + buf.readUInt16BE(14);
    if (actionsEnd > buf.length) throw badLength(`PACKET_OUT actions_len runs past the message end`);
    return {
      type: 'PACKET_OUT', version, xid, bufferId: buf.readUInt32BE(8), inPort: buf.readUInt16BE(12),
      actions: buf.subarray(16, actionsEnd), data: rest(buf, actionsEnd),
    };
  },
  bodyLength: (m) => 8 + m.actions.length + m.data.length,
  encodeBody(m, out) {
    out.writeUInt32BE(m.bufferId >>> 0, 8);
    out.writeUInt16BE(m.inPort, 12);
    out.writeUInt16BE(m.actions.length, 14);
    m.actions.copy(out, 16);
    m.data.copy(out, 16 + m.actions.length);
  },
};

/** ofp_packet_out 1.3: buffer_id, in_port u32, actions_len, pad[6], actions, data. */
export const packetOut13Codec: Codec<PacketOut13Message> = {
  decode(buf, version, xid) {
    requireLength(buf, 24, 'PACKET_OUT');
    const actionsEnd = 24 + buf.readUInt16BE(16);
    if (actionsEnd > buf.length) throw badLength(`PACKET_OUT actions_len runs past the message end`);
    const m: PacketOut13Message = {
      type: 'PACKET_OUT', version, xid, bufferId: buf.readUInt32BE(8), inPort: buf.readUInt32BE(12),
      actions: buf.subarray(24, actionsEnd), data: rest(buf, actionsEnd),
    };
    const padding = nonZero(buf.subarray(18, 24));
    if (padding) m.padding = padding;
    return m;
  },
  bodyLength: (m) => 16 + m.actions.length + m.data.length,
  encodeBody(m, out) {
    out.writeUInt32BE(m.bufferId >>> 0, 8);
    out.writeUInt32BE(m.inPort >>> 0, 12);
    out.writeUInt16BE(m.actions.length, 16);
    writePadding(out, 18, 6, m.padding);
    m.actions.copy(out, 24);
    m.data.copy(out, 24 + m.actions.length);
  },
};

const MATCH10_LEN = 40;

/** ofp_flow_mod 1.0: match[40], cookie, command, timeouts, priority, buffer_id, out_port, flags, actions. */
export const flowMod10Codec: Codec<FlowMod10Message> = {
  decode(buf, version, xid) {
    requireLength(buf, 72, 'FLOW_MOD');
    return {
      type: 'FLOW_MOD', version, xid, match: buf.subarray(8, 48), cookie: buf.readBigUInt64BE(48),
      command: buf.readUInt16BE(56), idleTimeout: buf.readUInt16BE(58), hardTimeout: buf.readUInt16BE(60),
      priority: buf.readUInt16BE(62), bufferId: buf.readUInt32BE(64), outPort: buf.readUInt16BE(68),
      flags: buf.readUInt16BE(70), actions: rest(buf, 72),
    };
  },
  bodyLength: (m) => 64 + m.actions.length,
  encodeBody(m, out) {
    if (m.match.length !== MATCH10_LEN) throw unencodable(`a 1.0 match is ${MATCH10_LEN} bytes`);
    m.match.copy(out, 8);
    out.writeBigUInt64BE(u64(m.cookie), 48);
    out.writeUInt16BE(m.command, 56);
    out.writeUInt16BE(m.idleTimeout, 58);
    out.writeUInt16BE(m.hardTimeout, 60);
    out.writeUInt16BE(m.priority, 62);
    out.writeUInt32BE(m.bufferId >>> 0, 64);
    out.writeUInt16BE(m.outPort, 68);
    out.writeUInt16BE(m.flags, 70);
    m.actions.copy(out, 72);
  },
};

/** ofp_flow_mod 1.3: cookie, cookie_mask, table_id, command, ..., flags, pad[2], match (padded), instructions. */
export const flowMod13Codec: Codec<FlowMod13Message> = {
  decode(buf, version, xid) {
    requireLength(buf, 48, 'FLOW_MOD');
    const matchEnd = 48 + paddedMatchLength(buf, 48);
    const m: FlowMod13Message = {
      type: 'FLOW_MOD', version, xid, cookie: buf.readBigUInt64BE(8), cookieMask: buf.readBigUInt64BE(16),
      tableId: buf[24]!, command: buf[25]!, idleTimeout: buf.readUInt16BE(26), hardTimeout: buf.readUInt16BE(28),
      priority: buf.readUInt16BE(30), bufferId: buf.readUInt32BE(32), outPort: buf.readUInt32BE(36),
      outGroup: buf.readUInt32BE(40), flags: buf.readUInt16BE(44), match: buf.subarray(48, matchEnd),
      instructions: rest(buf, matchEnd),
    };
    const padding = nonZero(buf.subarray(46, 48));
    if (padding) m.padding = padding;
    return m;
  },
  bodyLength: (m) => 40 + m.match.length + m.instructions.length,
  encodeBody(m, out) {
    checkPaddedMatch(m.match);
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
    writePadding(out, 46, 2, m.padding);
    m.match.copy(out, 48);
    m.instructions.copy(out, 48 + m.match.length);
  },
};
