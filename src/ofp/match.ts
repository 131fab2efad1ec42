/**
 * ofp_match in every version: the fixed 40-byte 1.0 layout with its wildcard bits, the 88-byte
 * 1.1 standard match, and the OXM match (1.2+), all decoding to and encoding from one `Match`.
 *
 * decodeMatch gives the canonical Match of the bytes; for 1.0/1.1 what the fixed layout holds
 * beyond it (bytes under a wildcard, non-zero pads) is not kept. Messages keep their match bytes
 * and re-encode them unless the match was replaced, so a decoded message stays byte-exact anyway.
 */
import { Buffer } from 'node:buffer';
import type { Match } from './match-types.js';
import { formatAddr, parseAddr, prefixLength } from './addr.js';
import { formatMac } from './mac.js';
import {
  badMatch, decodeOxmFields, encodeOxmFields, tlvsLength, unsupportedField, writeTlvs,
} from './oxm.js';
import { OFP10, OFP11, versionName } from './versions.js';
import { get16, get32, roundUp8, unencodable } from './wire.js';

export const MATCH10_LEN = 40;
export const MATCH11_LEN = 88;
const OFPMT_STANDARD = 0;
const OFPMT_OXM = 1;
// The OXM header of an unmasked in_port: class OPENFLOW_BASIC (0x8000), field 0, length 4.
const OXM_IN_PORT = 0x8000_0004;
const ETH_ARP = 0x0806;
const OFPVID_PRESENT = 0x1000;

/** The padded length of the ofp_match at `offset` (40 in 1.0); OfpError BAD_MATCH/BAD_LENGTH if it does not fit. */
export function matchWireLength(version: number, buf: Buffer, offset = 0): number {
  if (version === OFP10) {
    if (offset + MATCH10_LEN > buf.length) throw badMatch('a 1.0 ofp_match needs 40 bytes', 'BAD_LEN', version);
    return MATCH10_LEN;
  }
  if (offset + 4 > buf.length) throw badMatch('ofp_match header runs past the message', 'BAD_LEN', version);
  const len = get16(buf, offset + 2);
  if (len < 4) throw badMatch(`ofp_match length ${len} is less than its 4-byte header`, 'BAD_LEN', version);
  const padded = roundUp8(len);
  if (offset + padded > buf.length) throw badMatch(`ofp_match of ${len} bytes runs past the message`, 'BAD_LEN', version);
  return padded;
}

/** Decodes the ofp_match at `offset` of `buf`. Throws OfpError BAD_MATCH for a malformed one. */
export function decodeMatch(version: number, buf: Buffer, offset = 0): Match {
  matchWireLength(version, buf, offset);
  if (version === OFP10) return decodeMatch10(buf, offset);
  const type = get16(buf, offset);
  const declared = get16(buf, offset + 2);
  if (version === OFP11) {
    if (type !== OFPMT_STANDARD || declared !== MATCH11_LEN) {
      throw badMatch(`1.1 match type ${type} length ${declared}: only the 88-byte standard match is decoded`, 'BAD_TYPE', version);
    }
    return decodeMatch11(buf, offset);
  }
  if (type !== OFPMT_OXM) throw badMatch(`ofp_match type ${type} is not OXM`, 'BAD_TYPE', version);
  // The match of most PACKET_INs (a table miss on a switch without pipeline fields): in_port
  // alone. The same Match as the general walk gives, at a third of its cost.
  if (declared === 4 + 8 && get32(buf, offset + 4) === OXM_IN_PORT) return { inPort: get32(buf, offset + 8) };
  return decodeOxmFields(version, buf, offset + 4, offset + declared, {});
}

/** The ofp_match for `match` in `version`, padded to 8 bytes (40 bytes in 1.0, 88 in 1.1). */
export function encodeMatch(version: number, match: Match): Buffer {
  if (version === OFP10) return encodeMatch10(match);
  if (version === OFP11) return encodeMatch11(match);
  const tlvs = encodeOxmFields(version, match);
  const len = 4 + tlvsLength(tlvs);
  if (len > 0xffff) throw unencodable(`match of ${len} bytes is over 65535`);
  const out = Buffer.alloc(roundUp8(len));
  out.writeUInt16BE(OFPMT_OXM, 0);
  out.writeUInt16BE(len, 2);
  writeTlvs(tlvs, out, 4);
  return out;
}

// ---- 1.0 and 1.1 fixed layouts ---------------------------------------------------------------

const W10 = {
  IN_PORT: 1, DL_VLAN: 2, DL_SRC: 4, DL_DST: 8, DL_TYPE: 0x10, NW_PROTO: 0x20, TP_SRC: 0x40, TP_DST: 0x80,
  NW_SRC_SHIFT: 8, NW_DST_SHIFT: 14, DL_VLAN_PCP: 0x100000, NW_TOS: 0x200000,
};
const W11 = {
  IN_PORT: 1, DL_VLAN: 2, DL_VLAN_PCP: 4, DL_TYPE: 8, NW_TOS: 0x10, NW_PROTO: 0x20, TP_SRC: 0x40, TP_DST: 0x80,
  MPLS_LABEL: 0x100, MPLS_TC: 0x200, ALL: 0x3ff,
};
const ICMP = 1;

/** Which Match keys the 1.0/1.1 transport-port slots mean, by IP protocol (tp_src holds the ICMP type). */
function tpKeys(ipProto: number | undefined): [keyof Match, keyof Match] {
  if (ipProto === 17) return ['udpSrc', 'udpDst'];
  if (ipProto === 132) return ['sctpSrc', 'sctpDst'];
  if (ipProto === ICMP) return ['icmpv4Type', 'icmpv4Code'];
  return ['tcpSrc', 'tcpDst'];
}

/** 1.0/1.1 dl_vlan (0xffff none, 0xfffe any in 1.1) as the OXM vlanVid. */
function vlanFromLegacy(v: number, version: number): Match['vlanVid'] {
  if (v === 0xffff) return 0;
  if (v === 0xfffe && version === OFP11) return { value: OFPVID_PRESENT, mask: OFPVID_PRESENT };
  if (v < OFPVID_PRESENT) return OFPVID_PRESENT | v;
  throw badMatch(`dl_vlan 0x${v.toString(16)} is no VLAN id`, 'BAD_VALUE', version);
}

function vlanToLegacy(vid: Match['vlanVid'], version: number): number {
  if (vid === 0) return 0xffff;
  if (typeof vid === 'number' && (vid & OFPVID_PRESENT) && vid <= 0x1fff) return vid & 0xfff;
  if (version === OFP11 && typeof vid === 'object' && vid.value === OFPVID_PRESENT && vid.mask === OFPVID_PRESENT) return 0xfffe;
  throw unencodable(`OpenFlow ${versionName(version)} cannot match vlanVid ${JSON.stringify(vid)}`);
}

/** A 32-bit port number as 1.0's 16 bits: the reserved ports (0xffffff00+) keep their 1.0 numbers. */
export function port10(p: number, what: string): number {
  if (p >= 0xffffff00 && p <= 0xffffffff) return p - 0xffff0000;
  if (!Number.isInteger(p) || p < 0 || p > 0xffff) throw unencodable(`${what} ${p} does not fit OpenFlow 1.0's 16 bits`);
  return p;
}

const LEGACY_KEYS = new Set<keyof Match>([
  'inPort', 'ethSrc', 'ethDst', 'vlanVid', 'vlanPcp', 'ethType', 'ipDscp', 'ipProto', 'arpOp', 'ipv4Src', 'ipv4Dst',
  'arpSpa', 'arpTpa', 'tcpSrc', 'tcpDst', 'udpSrc', 'udpDst', 'sctpSrc', 'sctpDst', 'icmpv4Type', 'icmpv4Code',
]);
const LEGACY11_KEYS = new Set<keyof Match>([...LEGACY_KEYS, 'mplsLabel', 'mplsTc', 'metadata']);

function decodeMatch10(b: Buffer, o: number): Match {
  const w = b.readUInt32BE(o);
  const m: Match = {};
  if (!(w & W10.IN_PORT)) m.inPort = b.readUInt16BE(o + 4);
  if (!(w & W10.DL_SRC)) m.ethSrc = formatMac(b.subarray(o + 6, o + 12));
  if (!(w & W10.DL_DST)) m.ethDst = formatMac(b.subarray(o + 12, o + 18));
  if (!(w & W10.DL_VLAN)) m.vlanVid = vlanFromLegacy(b.readUInt16BE(o + 18), OFP10);
  if (!(w & W10.DL_VLAN_PCP)) m.vlanPcp = b[o + 20]!;
  if (!(w & W10.DL_TYPE)) m.ethType = b.readUInt16BE(o + 22);
  if (!(w & W10.NW_TOS)) m.ipDscp = b[o + 24]! >> 2;
  const arp = m.ethType === ETH_ARP;
  if (!(w & W10.NW_PROTO)) m[arp ? 'arpOp' : 'ipProto'] = b[o + 25]!;
  const srcBits = (w >>> W10.NW_SRC_SHIFT) & 0x3f;
  const dstBits = (w >>> W10.NW_DST_SHIFT) & 0x3f;
  if (srcBits < 32) m[arp ? 'arpSpa' : 'ipv4Src'] = ipv4Prefix(b, o + 28, 32 - srcBits);
  if (dstBits < 32) m[arp ? 'arpTpa' : 'ipv4Dst'] = ipv4Prefix(b, o + 32, 32 - dstBits);
  const [src, dst] = tpKeys(m.ipProto);
  if (!(w & W10.TP_SRC)) (m as Record<string, unknown>)[src] = b.readUInt16BE(o + 36);
  if (!(w & W10.TP_DST)) (m as Record<string, unknown>)[dst] = b.readUInt16BE(o + 38);
  return m;
}

function ipv4Prefix(b: Buffer, at: number, prefix: number): string {
  const a = `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
  return prefix === 32 ? a : `${a}/${prefix}`;
}

/** The transport slot values of a Match for 1.0/1.1, or an error when two keys want the same slot. */
function tpValues(m: Match, version: number): [number | undefined, number | undefined] {
  const pick = (keys: (keyof Match)[]): number | undefined => {
    const given = keys.filter((k) => m[k] !== undefined);
    if (given.length > 1) throw unencodable(`OpenFlow ${versionName(version)} has one slot for ${given.join(' and ')}`);
    return given.length ? (m[given[0]!] as number) : undefined;
  };
  return [pick(['tcpSrc', 'udpSrc', 'sctpSrc', 'icmpv4Type']), pick(['tcpDst', 'udpDst', 'sctpDst', 'icmpv4Code'])];
}

function checkKeys(m: Match, version: number, allowed: Set<keyof Match>): void {
  for (const key of Object.keys(m) as (keyof Match)[]) {
    if (m[key] === undefined) continue;
    if (!allowed.has(key)) throw unsupportedField(key, version);
  }
}

function either(m: Match, a: keyof Match, b: keyof Match, version: number): unknown {
  if (m[a] !== undefined && m[b] !== undefined) throw unencodable(`OpenFlow ${versionName(version)} has one slot for ${a} and ${b}`);
  return m[a] ?? m[b];
}

function u(v: unknown, bits: number, key: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= 2 ** bits) {
    throw unencodable(`match field ${key} needs an integer 0..${2 ** bits - 1}, got ${String(v)}`);
  }
  return v;
}

function encodeMatch10(m: Match): Buffer {
  checkKeys(m, OFP10, LEGACY_KEYS);
  const b = Buffer.alloc(MATCH10_LEN);
  let w = 0x3fffff & ~((0x3f << W10.NW_SRC_SHIFT) | (0x3f << W10.NW_DST_SHIFT));
  if (m.inPort !== undefined) { w &= ~W10.IN_PORT; b.writeUInt16BE(port10(m.inPort, 'inPort'), 4); }
  if (m.ethSrc !== undefined) { w &= ~W10.DL_SRC; exactMac(m.ethSrc, 'ethSrc').copy(b, 6); }
  if (m.ethDst !== undefined) { w &= ~W10.DL_DST; exactMac(m.ethDst, 'ethDst').copy(b, 12); }
  if (m.vlanVid !== undefined) { w &= ~W10.DL_VLAN; b.writeUInt16BE(vlanToLegacy(m.vlanVid, OFP10), 18); }
  if (m.vlanPcp !== undefined) { w &= ~W10.DL_VLAN_PCP; b[20] = u(m.vlanPcp, 8, 'vlanPcp'); }
  if (m.ethType !== undefined) { w &= ~W10.DL_TYPE; b.writeUInt16BE(u(m.ethType, 16, 'ethType'), 22); }
  if (m.ipDscp !== undefined) { w &= ~W10.NW_TOS; b[24] = u(m.ipDscp, 6, 'ipDscp') << 2; }
  const proto = either(m, 'ipProto', 'arpOp', OFP10);
  if (proto !== undefined) { w &= ~W10.NW_PROTO; b[25] = u(proto, 8, 'ipProto'); }
  w |= legacyIpv4(either(m, 'ipv4Src', 'arpSpa', OFP10), b, 28) << W10.NW_SRC_SHIFT;
  w |= legacyIpv4(either(m, 'ipv4Dst', 'arpTpa', OFP10), b, 32) << W10.NW_DST_SHIFT;
  const [tpSrc, tpDst] = tpValues(m, OFP10);
  if (tpSrc !== undefined) { w &= ~W10.TP_SRC; b.writeUInt16BE(u(tpSrc, 16, 'tcpSrc'), 36); }
  if (tpDst !== undefined) { w &= ~W10.TP_DST; b.writeUInt16BE(u(tpDst, 16, 'tcpDst'), 38); }
  b.writeUInt32BE(w >>> 0, 0);
  return b;
}

/** Writes a 1.0 nw address; returns the number of wildcarded low bits (32 when absent). */
function legacyIpv4(v: unknown, b: Buffer, at: number): number {
  if (v === undefined) return 32;
  const a = parseAddr('ipv4', v);
  const prefix = a.mask ? prefixLength(a.mask) : 32;
  if (prefix < 0) throw unencodable(`OpenFlow 1.0 matches IPv4 prefixes only, not ${String(v)}`);
  a.value.copy(b, at);
  return 32 - prefix;
}

function exactMac(v: string, key: string): Buffer {
  const a = parseAddr('mac', v);
  if (a.mask) throw unencodable(`OpenFlow 1.0 cannot mask ${key}`);
  return a.value;
}

function decodeMatch11(b: Buffer, o: number): Match {
  const w = b.readUInt32BE(o + 8);
  const m: Match = {};
  if (!(w & W11.IN_PORT)) m.inPort = b.readUInt32BE(o + 4);
  const mac = (at: number): string | undefined => invertedAddr('mac', b, o + at, 6);
  const src = mac(12);
  if (src !== undefined) m.ethSrc = src;
  const dst = mac(24);
  if (dst !== undefined) m.ethDst = dst;
  if (!(w & W11.DL_VLAN)) m.vlanVid = vlanFromLegacy(b.readUInt16BE(o + 36), OFP11);
  if (!(w & W11.DL_VLAN_PCP)) m.vlanPcp = b[o + 38]!;
  if (!(w & W11.DL_TYPE)) m.ethType = b.readUInt16BE(o + 40);
  if (!(w & W11.NW_TOS)) m.ipDscp = b[o + 42]! >> 2;
  const arp = m.ethType === ETH_ARP;
  if (!(w & W11.NW_PROTO)) m[arp ? 'arpOp' : 'ipProto'] = b[o + 43]!;
  const nwSrc = invertedAddr('ipv4', b, o + 44, 4);
  if (nwSrc !== undefined) m[arp ? 'arpSpa' : 'ipv4Src'] = nwSrc;
  const nwDst = invertedAddr('ipv4', b, o + 52, 4);
  if (nwDst !== undefined) m[arp ? 'arpTpa' : 'ipv4Dst'] = nwDst;
  const [tpSrc, tpDst] = tpKeys(m.ipProto);
  if (!(w & W11.TP_SRC)) (m as Record<string, unknown>)[tpSrc] = b.readUInt16BE(o + 60);
  if (!(w & W11.TP_DST)) (m as Record<string, unknown>)[tpDst] = b.readUInt16BE(o + 62);
  if (!(w & W11.MPLS_LABEL)) m.mplsLabel = b.readUInt32BE(o + 64);
  if (!(w & W11.MPLS_TC)) m.mplsTc = b[o + 68]!;
  const md = b.readBigUInt64BE(o + 72);
  const mdMask = BigInt.asUintN(64, ~b.readBigUInt64BE(o + 80));
  if (mdMask === 0xffffffffffffffffn) m.metadata = md;
  else if (mdMask !== 0n) m.metadata = { value: md, mask: mdMask };
  return m;
}

/** A 1.1 address whose wire mask has 1 bits for "ignore": undefined when all is ignored. */
function invertedAddr(kind: 'mac' | 'ipv4', b: Buffer, at: number, w: number): string | undefined {
  const mask = Buffer.alloc(w);
  for (let i = 0; i < w; i++) mask[i] = ~b[at + w + i]! & 0xff;
  if (mask.every((x) => x === 0)) return undefined;
  const value = b.subarray(at, at + w);
  return formatAddr(kind, value, mask.every((x) => x === 0xff) ? undefined : mask);
}

function writeInvertedAddr(kind: 'mac' | 'ipv4', v: unknown, b: Buffer, at: number, w: number): void {
  if (v === undefined) {
    b.fill(0xff, at + w, at + 2 * w);
    return;
  }
  const a = parseAddr(kind, v);
  a.value.copy(b, at);
  for (let i = 0; i < w; i++) b[at + w + i] = a.mask ? ~a.mask[i]! & 0xff : 0;
}

function encodeMatch11(m: Match): Buffer {
  checkKeys(m, OFP11, LEGACY11_KEYS);
  const b = Buffer.alloc(MATCH11_LEN);
  b.writeUInt16BE(OFPMT_STANDARD, 0);
  b.writeUInt16BE(MATCH11_LEN, 2);
  let w = W11.ALL;
  if (m.inPort !== undefined) { w &= ~W11.IN_PORT; b.writeUInt32BE(u(m.inPort, 32, 'inPort'), 4); }
  writeInvertedAddr('mac', m.ethSrc, b, 12, 6);
  writeInvertedAddr('mac', m.ethDst, b, 24, 6);
  if (m.vlanVid !== undefined) { w &= ~W11.DL_VLAN; b.writeUInt16BE(vlanToLegacy(m.vlanVid, OFP11), 36); }
  if (m.vlanPcp !== undefined) { w &= ~W11.DL_VLAN_PCP; b[38] = u(m.vlanPcp, 8, 'vlanPcp'); }
  if (m.ethType !== undefined) { w &= ~W11.DL_TYPE; b.writeUInt16BE(u(m.ethType, 16, 'ethType'), 40); }
  if (m.ipDscp !== undefined) { w &= ~W11.NW_TOS; b[42] = u(m.ipDscp, 6, 'ipDscp') << 2; }
  const proto = either(m, 'ipProto', 'arpOp', OFP11);
  if (proto !== undefined) { w &= ~W11.NW_PROTO; b[43] = u(proto, 8, 'ipProto'); }
  writeInvertedAddr('ipv4', either(m, 'ipv4Src', 'arpSpa', OFP11), b, 44, 4);
  writeInvertedAddr('ipv4', either(m, 'ipv4Dst', 'arpTpa', OFP11), b, 52, 4);
  const [tpSrc, tpDst] = tpValues(m, OFP11);
  if (tpSrc !== undefined) { w &= ~W11.TP_SRC; b.writeUInt16BE(u(tpSrc, 16, 'tcpSrc'), 60); }
  if (tpDst !== undefined) { w &= ~W11.TP_DST; b.writeUInt16BE(u(tpDst, 16, 'tcpDst'), 62); }
  if (m.mplsLabel !== undefined) { w &= ~W11.MPLS_LABEL; b.writeUInt32BE(u(m.mplsLabel, 32, 'mplsLabel'), 64); }
  if (m.mplsTc !== undefined) { w &= ~W11.MPLS_TC; b[68] = u(m.mplsTc, 8, 'mplsTc'); }
  const md = m.metadata;
  if (md === undefined) {
    b.writeBigUInt64BE(0xffffffffffffffffn, 80);
  } else {
    const [value, mask] = typeof md === 'bigint' ? [md, 0xffffffffffffffffn] : [md.value, md.mask];
    if (typeof value !== 'bigint' || typeof mask !== 'bigint') throw unencodable('metadata needs bigints');
    b.writeBigUInt64BE(BigInt.asUintN(64, value), 72);
    b.writeBigUInt64BE(BigInt.asUintN(64, ~mask), 80);
  }
  b.writeUInt32BE(w, 8);
  return b;
}
