/**
 * PACKET_IN and PACKET_OUT of every version 1.0-1.5. The fixed fields are read at decode; the
 * match and the action list are lazy fields (lazy.ts), decoded on first read and re-encoded from
 * their original bytes unless assigned: each decoder makes the message as its lazy kind and
 * assigns the plain fields.
 *
 * These are the messages a busy controller receives and sends for every packet, so their codecs
 * write at any offset (encodeBodyAt: no view of a connection's write buffer per message), copy
 * small buffers by hand (copyBytes), and read fixed fields without Buffer's argument checks once
 * requireLength has vouched for the bytes.
 */
import type { PacketIn10Message, PacketIn11Message, PacketIn13Message, PacketOut10Message, PacketOut15Message } from './flow-types.js';
import { Buffer } from 'node:buffer';
import { LazyActions, LazyData, LazyMatchActions, LazyMatchData } from './lazy.js';
import { badLength } from './ofp-error.js';
import { listBytes, matchBytes, matchEnd, resolve, take, u64 } from './flow-parts.js';
import { port10 } from './match.js';
import { OFP10, OFP12, OFP13 } from './versions.js';
import {
  codecAt, copyBytes, get16, get32, nonZero, put16, put32, rest, requireLength, requireSpan, unencodable, writePadding,
  type Codec,
} from './wire.js';

// ---- PACKET_IN ---------------------------------------------------------------------------------

/** ofp_packet_in 1.0: buffer_id, total_len, in_port u16, reason, pad, data at 18. */
export const packetIn10Codec: Codec<PacketIn10Message> = codecAt({
  decodeAt(buf, at, end, version, xid) {
    requireSpan(at, end, 18, 'PACKET_IN');
    const m = new LazyData(buf, at + 18, end);
    m.type = 'PACKET_IN';
    m.version = version;
    m.xid = xid;
    m.bufferId = get32(buf, at + 8);
    m.totalLen = get16(buf, at + 12);
    m.inPort = get16(buf, at + 14);
    m.reason = buf[at + 16]!;
    // The pad byte read in place: a view of it is made only when it is not zero.
    if (buf[at + 17] !== 0) m.padding = buf.subarray(at + 17, at + 18);
    return m as unknown as PacketIn10Message;
  },
  bodyLength: (m) => 10 + m.data.length,
  encodeBodyAt(m, out, at) {
    put32(out, at + 8, m.bufferId >>> 0);
    out.writeUInt16BE(m.totalLen, at + 12);
    put16(out, at + 14, port10(m.inPort, 'inPort'));
    out[at + 16] = m.reason;
    writePadding(out, at + 17, 1, m.padding);
    copyBytes(m.data, out, at + 18);
  },
});

/** ofp_packet_in 1.1: buffer_id, in_port, in_phy_port, total_len, reason, table_id, data at 24. */
export const packetIn11Codec: Codec<PacketIn11Message> = codecAt({
  decodeAt(buf, at, end, version, xid) {
    requireSpan(at, end, 24, 'PACKET_IN');
    const m = new LazyData(buf, at + 24, end);
    m.type = 'PACKET_IN';
    m.version = version;
    m.xid = xid;
    m.bufferId = get32(buf, at + 8);
    m.inPort = get32(buf, at + 12);
    m.inPhyPort = get32(buf, at + 16);
    m.totalLen = get16(buf, at + 20);
    m.reason = buf[at + 22]!;
    m.tableId = buf[at + 23]!;
    return m as unknown as PacketIn11Message;
  },
  bodyLength: (m) => 16 + m.data.length,
  encodeBodyAt(m, out, at) {
    put32(out, at + 8, m.bufferId >>> 0);
    put32(out, at + 12, m.inPort >>> 0);
    put32(out, at + 16, m.inPhyPort >>> 0);
    out.writeUInt16BE(m.totalLen, at + 20);
    out[at + 22] = m.reason;
    out[at + 23] = m.tableId;
    copyBytes(m.data, out, at + 24);
  },
});

/** PACKET_IN 1.2+, lying in `buf` from `at` to `end`. */
function packetIn13(buf: Buffer, at: number, end: number, version: number, xid: number): PacketIn13Message {
  const matchAt = at + (version === OFP12 ? 16 : 24);
  const matchEnds = matchEnd(version, buf, matchAt, 'PACKET_IN', at, end);
  requireSpan(at, end, matchEnds + 2 - at, 'PACKET_IN');
  const m = new LazyMatchData(buf, matchAt, matchEnds, matchEnds + 2, end);
  m.type = 'PACKET_IN';
  m.version = version;
  m.xid = xid;
  m.bufferId = get32(buf, at + 8);
  m.totalLen = get16(buf, at + 12);
  m.reason = buf[at + 14]!;
  m.tableId = buf[at + 15]!;
  if (version >= OFP13) m.cookie = cookieAt(buf, at + 16);
  if (buf[matchEnds] !== 0 || buf[matchEnds + 1] !== 0) m.padding = buf.subarray(matchEnds, matchEnds + 2);
  return m as unknown as PacketIn13Message;
}

/** A u64 cookie; the usual 0 without making a BigInt per message. */
function cookieAt(buf: Buffer, pos: number): bigint {
  return (get32(buf, pos) | get32(buf, pos + 4)) === 0 ? 0n : buf.readBigUInt64BE(pos);
}

/** ofp_packet_in 1.2 (match at 16) and 1.3-1.5 (cookie, match at 24), then pad[2] and data. */
export const packetIn13Codec: Codec<PacketIn13Message> = codecAt({
  decodeAt: packetIn13,
  bodyLength: (m) => (m.version === OFP12 ? 8 : 16) + 2 + m.data.length + resolve(matchBytes(m, m.version, true), undefined),
  encodeBodyAt(m, out, at) {
    const { match } = take(m, packetIn13Codec);
    put32(out, at + 8, m.bufferId >>> 0);
    out.writeUInt16BE(m.totalLen, at + 12);
    out[at + 14] = m.reason;
    out[at + 15] = m.tableId;
    let pos = at + 16;
    if (m.version >= OFP13) {
      out.writeBigUInt64BE(u64(m.cookie ?? 0n), pos);
      pos += 8;
    }
    copyBytes(match, out, pos);
    pos += match.length;
    writePadding(out, pos, 2, m.padding);
    copyBytes(m.data, out, pos + 2);
  },
});

// ---- PACKET_OUT --------------------------------------------------------------------------------

function packetOut(buf: Buffer, version: number, xid: number): PacketOut10Message {
  const v10 = version === OFP10;
  const at = v10 ? 16 : 24;
  requireLength(buf, at, 'PACKET_OUT');
  const end = at + get16(buf, v10 ? 14 : 16);
  if (end > buf.length) throw badLength('PACKET_OUT actions_len runs past the message end');
  const m = new LazyActions(buf, at, end);
  m.type = 'PACKET_OUT';
  m.version = version;
  m.xid = xid;
  m.bufferId = get32(buf, 8);
  m.inPort = v10 ? get16(buf, 12) : get32(buf, 12);
  m.data = rest(buf, end);
  if (!v10) {
    const padding = nonZero(buf.subarray(18, 24));
    if (padding) m.padding = padding;
  }
  return m as unknown as PacketOut10Message;
}

/** ofp_packet_out 1.0 (in_port u16, actions_len) and 1.1-1.4 (in_port u32, actions_len, pad[6]). */
export const packetOut10Codec: Codec<PacketOut10Message> = codecAt({
  decode: packetOut,
  bodyLength: (m) => (m.version === OFP10 ? 8 : 16) + m.data.length + resolve(undefined, listBytes(m, m.version, 'actions')),
  encodeBodyAt(m, out, at) {
    const { list } = take(m, packetOut10Codec);
    const n = list.length;
    if (n > 0xffff) throw unencodable('PACKET_OUT actions are over 65535 bytes');
    put32(out, at + 8, m.bufferId >>> 0);
    let pos: number;
    if (m.version === OFP10) {
      put16(out, at + 12, port10(m.inPort, 'inPort'));
      put16(out, at + 14, n);
      pos = at + 16;
    } else {
      put32(out, at + 12, m.inPort >>> 0);
      put16(out, at + 16, n);
      writePadding(out, at + 18, 6, m.padding);
      pos = at + 24;
    }
    copyBytes(list, out, pos);
    copyBytes(m.data, out, pos + n);
  },
});

function packetOut15(buf: Buffer, version: number, xid: number): PacketOut15Message {
  requireLength(buf, 16, 'PACKET_OUT');
  const end = matchEnd(version, buf, 16, 'PACKET_OUT');
  const actionsEnd = end + get16(buf, 12);
  if (actionsEnd > buf.length) throw badLength('PACKET_OUT actions_len runs past the message end');
  const m = new LazyMatchActions(buf, 16, end, end, actionsEnd);
  m.type = 'PACKET_OUT';
  m.version = version;
  m.xid = xid;
  m.bufferId = get32(buf, 8);
  m.data = rest(buf, actionsEnd);
  if (buf[14] !== 0 || buf[15] !== 0) m.padding = buf.subarray(14, 16);
  return m as unknown as PacketOut15Message;
}

/** ofp_packet_out 1.5: buffer_id, actions_len, pad[2], match, actions, data. */
export const packetOut15Codec: Codec<PacketOut15Message> = codecAt({
  decode: packetOut15,
  bodyLength: (m) => 8 + m.data.length + resolve(matchBytes(m, m.version, true), listBytes(m, m.version, 'actions')),
  encodeBodyAt(m, out, at) {
    const { match, list } = take(m, packetOut15Codec);
    if (list.length > 0xffff) throw unencodable('PACKET_OUT actions are over 65535 bytes');
    put32(out, at + 8, m.bufferId >>> 0);
    put16(out, at + 12, list.length);
    writePadding(out, at + 14, 2, m.padding);
    copyBytes(match, out, at + 16);
    copyBytes(list, out, at + 16 + match.length);
    copyBytes(m.data, out, at + 16 + match.length + list.length);
  },
});
