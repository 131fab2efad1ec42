/**
 * PACKET_IN and PACKET_OUT of every version 1.0-1.5. The fixed fields are read at decode; the
 * match and the action list are LazyMessage fields, decoded on first read and re-encoded from
 * their original bytes unless assigned. Each class takes its fields' types from the message
 * interface it merges with (`interface X extends Omit<XMessage, lazy fields>`): the base class
 * holds the lazy ones.
 */
import type { PacketIn10Message, PacketIn11Message, PacketIn13Message, PacketOut10Message, PacketOut15Message } from './flow-types.js';
import { Buffer } from 'node:buffer';
import { LazyActions, LazyMatch, LazyMatchActions } from './lazy.js';
import { badLength } from './ofp-error.js';
import { listBytes, matchBytes, matchEnd, resolve, take, u64 } from './flow-parts.js';
import { port10 } from './match.js';
import { OFP10, OFP12, OFP13 } from './versions.js';
import { nonZero, rest, requireLength, unencodable, writePadding, type Codec } from './wire.js';

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

interface PacketIn extends Omit<PacketIn13Message, 'match'> {}
class PacketIn extends LazyMatch {
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

interface PacketOut extends Omit<PacketOut10Message, 'actions'> {}
class PacketOut extends LazyActions {
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

interface PacketOut15 extends Omit<PacketOut15Message, 'match' | 'actions'> {}
class PacketOut15 extends LazyMatchActions {
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

