/**
 * OXM TLVs (OpenFlow 1.2+): the OpenFlow-basic fields (class 0x8000) as typed Match keys, anything
 * else (other classes, experimenter fields, fields the version does not define, a mask on a field
 * that takes none, a wrong length, a repeated field) kept as raw `oxm` TLVs in wire order.
 *
 * Order: an OXM match is a list, and peers may put its fields in any order, so the keys of a
 * decoded Match follow the wire order and encoding writes the keys in the object's own order.
 * That is what makes encode(decode(b)) byte-exact without a side copy of the bytes.
 */
import { Buffer } from 'node:buffer';
import type { Match, MaskedBigint, MaskedNumber, OxmTlv } from './match-types.js';
import { ADDR_LEN, formatAddr, parseAddr, type AddrKind } from './addr.js';
import { OfpError } from './ofp-error.js';
import { OFP12, OFP13, OFP14, OFP15, versionName } from './versions.js';
import { get16, get32, unencodable } from './wire.js';

export const OXM_CLASS_BASIC = 0x8000;
export const OXM_CLASS_EXPERIMENTER = 0xffff;

type Kind = 'u8' | 'u16' | 'u24' | 'u32' | 'u64' | AddrKind;

export interface OxmField {
  key: keyof Match & string;
  /** OFPXMT_OFB_* number. */
  field: number;
  kind: Kind;
  maskable: boolean;
  /** First version that defines it. */
  since: number;
  /** Value length on the wire. */
  width: number;
}

const WIDTH: Record<Kind, number> = { u8: 1, u16: 2, u24: 3, u32: 4, u64: 8, ...ADDR_LEN };

// [key, OFPXMT_OFB number, kind, maskable, since]
const TABLE: [keyof Match & string, number, Kind, boolean, number][] = [
  ['inPort', 0, 'u32', false, OFP12], ['inPhyPort', 1, 'u32', false, OFP12], ['metadata', 2, 'u64', true, OFP12],
  ['ethDst', 3, 'mac', true, OFP12], ['ethSrc', 4, 'mac', true, OFP12], ['ethType', 5, 'u16', false, OFP12],
  ['vlanVid', 6, 'u16', true, OFP12], ['vlanPcp', 7, 'u8', false, OFP12], ['ipDscp', 8, 'u8', false, OFP12],
  ['ipEcn', 9, 'u8', false, OFP12], ['ipProto', 10, 'u8', false, OFP12], ['ipv4Src', 11, 'ipv4', true, OFP12],
  ['ipv4Dst', 12, 'ipv4', true, OFP12], ['tcpSrc', 13, 'u16', false, OFP12], ['tcpDst', 14, 'u16', false, OFP12],
  ['udpSrc', 15, 'u16', false, OFP12], ['udpDst', 16, 'u16', false, OFP12], ['sctpSrc', 17, 'u16', false, OFP12],
  ['sctpDst', 18, 'u16', false, OFP12], ['icmpv4Type', 19, 'u8', false, OFP12], ['icmpv4Code', 20, 'u8', false, OFP12],
  ['arpOp', 21, 'u16', false, OFP12], ['arpSpa', 22, 'ipv4', true, OFP12], ['arpTpa', 23, 'ipv4', true, OFP12],
  ['arpSha', 24, 'mac', true, OFP12], ['arpTha', 25, 'mac', true, OFP12], ['ipv6Src', 26, 'ipv6', true, OFP12],
  ['ipv6Dst', 27, 'ipv6', true, OFP12], ['ipv6Flabel', 28, 'u32', true, OFP12], ['icmpv6Type', 29, 'u8', false, OFP12],
  ['icmpv6Code', 30, 'u8', false, OFP12], ['ipv6NdTarget', 31, 'ipv6', false, OFP12], ['ipv6NdSll', 32, 'mac', false, OFP12],
  ['ipv6NdTll', 33, 'mac', false, OFP12], ['mplsLabel', 34, 'u32', false, OFP12], ['mplsTc', 35, 'u8', false, OFP12],
  ['mplsBos', 36, 'u8', false, OFP13], ['pbbIsid', 37, 'u24', true, OFP13], ['tunnelId', 38, 'u64', true, OFP13],
  ['ipv6Exthdr', 39, 'u16', true, OFP13], ['pbbUca', 41, 'u8', false, OFP14], ['tcpFlags', 42, 'u16', true, OFP15],
  ['actsetOutput', 43, 'u32', false, OFP15], ['packetType', 44, 'u32', false, OFP15],
];

export const OXM_FIELDS: readonly OxmField[] = TABLE.map(([key, field, kind, maskable, since]) =>
  ({ key, field, kind, maskable, since, width: WIDTH[kind] }));
export const OXM_BY_KEY: ReadonlyMap<string, OxmField> = new Map(OXM_FIELDS.map((f) => [f.key, f]));
const BY_NUMBER: (OxmField | undefined)[] = [];
for (const f of OXM_FIELDS) BY_NUMBER[f.field] = f;

type Fields = Record<string, unknown>;
type Store = (o: Fields, v: unknown) => void;
// Where decode puts a typed field: a store written out for each key. One store with a computed key
// (`out[key] = v`) sees every Match shape, which V8 then handles megamorphically, about 25 ns a
// field once a program has seen several kinds of match; a store of its own per key stays
// monomorphic, about 1 ns. The tests check that each sets its own key.
const STORES: Record<string, Store> = {
  inPort: (o, v) => { o.inPort = v; }, inPhyPort: (o, v) => { o.inPhyPort = v; },
  metadata: (o, v) => { o.metadata = v; }, ethDst: (o, v) => { o.ethDst = v; }, ethSrc: (o, v) => { o.ethSrc = v; },
  ethType: (o, v) => { o.ethType = v; }, vlanVid: (o, v) => { o.vlanVid = v; },
  vlanPcp: (o, v) => { o.vlanPcp = v; }, ipDscp: (o, v) => { o.ipDscp = v; }, ipEcn: (o, v) => { o.ipEcn = v; },
  ipProto: (o, v) => { o.ipProto = v; }, ipv4Src: (o, v) => { o.ipv4Src = v; },
  ipv4Dst: (o, v) => { o.ipv4Dst = v; }, tcpSrc: (o, v) => { o.tcpSrc = v; }, tcpDst: (o, v) => { o.tcpDst = v; },
  udpSrc: (o, v) => { o.udpSrc = v; }, udpDst: (o, v) => { o.udpDst = v; }, sctpSrc: (o, v) => { o.sctpSrc = v; },
  sctpDst: (o, v) => { o.sctpDst = v; }, icmpv4Type: (o, v) => { o.icmpv4Type = v; },
  icmpv4Code: (o, v) => { o.icmpv4Code = v; }, arpOp: (o, v) => { o.arpOp = v; },
  arpSpa: (o, v) => { o.arpSpa = v; }, arpTpa: (o, v) => { o.arpTpa = v; }, arpSha: (o, v) => { o.arpSha = v; },
  arpTha: (o, v) => { o.arpTha = v; }, ipv6Src: (o, v) => { o.ipv6Src = v; }, ipv6Dst: (o, v) => { o.ipv6Dst = v; },
  ipv6Flabel: (o, v) => { o.ipv6Flabel = v; }, icmpv6Type: (o, v) => { o.icmpv6Type = v; },
  icmpv6Code: (o, v) => { o.icmpv6Code = v; }, ipv6NdTarget: (o, v) => { o.ipv6NdTarget = v; },
  ipv6NdSll: (o, v) => { o.ipv6NdSll = v; }, ipv6NdTll: (o, v) => { o.ipv6NdTll = v; },
  mplsLabel: (o, v) => { o.mplsLabel = v; }, mplsTc: (o, v) => { o.mplsTc = v; },
  mplsBos: (o, v) => { o.mplsBos = v; }, pbbIsid: (o, v) => { o.pbbIsid = v; },
  tunnelId: (o, v) => { o.tunnelId = v; }, ipv6Exthdr: (o, v) => { o.ipv6Exthdr = v; },
  pbbUca: (o, v) => { o.pbbUca = v; }, tcpFlags: (o, v) => { o.tcpFlags = v; },
  actsetOutput: (o, v) => { o.actsetOutput = v; }, packetType: (o, v) => { o.packetType = v; },
};
const STORE_BY_NUMBER: Store[] = [];
for (const f of OXM_FIELDS) STORE_BY_NUMBER[f.field] = STORES[f.key]!;

/** The OFPXMT_OFB_* field number of a Match key, e.g. oxmFieldNumber('inPort') = 0. */
export function oxmField(key: string): OxmField | undefined {
  return OXM_BY_KEY.get(key);
}

export function badMatch(message: string, code = 'BAD_LEN', version = OFP13): OfpError {
  return new OfpError('BAD_MATCH', message, 'BAD_MATCH', code, version);
}

/** A field of the Match type that `version` does not define: names both. */
export function unsupportedField(key: string, version: number): OfpError {
  return new OfpError('UNSUPPORTED_FIELD', `OpenFlow ${versionName(version)} has no match field ${key}`);
}

/**
 * Decodes the TLVs in buf[start, end) into `out` (keys in wire order). Throws OfpError BAD_MATCH
 * when a TLV runs past `end`.
 */
export function decodeOxmFields(version: number, buf: Buffer, start: number, end: number, out: Match): Match {
  // Typed keys decoded since the last raw TLV: if another raw TLV follows them, they move into the
  // raw list too, so the one `oxm` key keeps the wire order exact.
  let sinceRaw: [string, OxmTlv][] | undefined;
  // Typed field numbers seen so far (all are below 64): a repeated field goes raw.
  let seenLo = 0;
  let seenHi = 0;
  let pos = start;
  while (pos < end) {
    if (pos + 4 > end) throw badMatch(`OXM TLV header at ${pos - start} runs past the match`, 'BAD_LEN', version);
    const header = get32(buf, pos);
    const len = header & 0xff;
    const next = pos + 4 + len;
    if (next > end) throw badMatch(`OXM TLV of ${len} bytes at ${pos - start} runs past the match`, 'BAD_LEN', version);
    const cls = header >>> 16;
    const hasMask = (header & 0x100) !== 0;
    const def = cls === OXM_CLASS_BASIC ? BY_NUMBER[(header >>> 9) & 0x7f] : undefined;
    const bit = def ? 1 << (def.field & 31) : 0;
    if (def && def.since <= version && len === (hasMask ? 2 * def.width : def.width) && (!hasMask || def.maskable)
      && ((def.field < 32 ? seenLo : seenHi) & bit) === 0) {
      if (def.field < 32) seenLo |= bit;
      else seenHi |= bit;
      STORE_BY_NUMBER[def.field]!(out as Fields, readValue(def, buf, pos + 4, hasMask));
      if (sinceRaw) sinceRaw.push([def.key, rawTlv(header, buf, pos, next)]);
    } else {
      const tlv = rawTlv(header, buf, pos, next);
      if (!out.oxm) {
        out.oxm = [tlv];
        sinceRaw = [];
      } else {
        for (const [key, moved] of sinceRaw!) {
          delete (out as Record<string, unknown>)[key];
          out.oxm.push(moved);
          // moved out of the typed keys: a later TLV of the same field may be typed again
          const f = OXM_BY_KEY.get(key)!.field;
          if (f < 32) seenLo &= ~(1 << f);
          else seenHi &= ~(1 << (f & 31));
        }
        sinceRaw!.length = 0;
        out.oxm.push(tlv);
      }
    }
    pos = next;
  }
  return out;
}

function rawTlv(header: number, buf: Buffer, pos: number, next: number): OxmTlv {
  return {
    oxmClass: header >>> 16, field: (header >>> 9) & 0x7f, hasMask: (header & 0x100) !== 0, body: buf.subarray(pos + 4, next),
  };
}

function readValue(def: OxmField, buf: Buffer, at: number, hasMask: boolean): unknown {
  const w = def.width;
  switch (def.kind) {
    case 'u8': return buf[at]!;
    case 'ipv4':
      if (!hasMask) return `${buf[at]}.${buf[at + 1]}.${buf[at + 2]}.${buf[at + 3]}`;
      return formatAddr('ipv4', buf.subarray(at, at + 4), buf.subarray(at + 4, at + 8));
    case 'u16': return hasMask ? { value: get16(buf, at), mask: get16(buf, at + 2) } : get16(buf, at);
    case 'u24': return hasMask ? { value: buf.readUIntBE(at, 3), mask: buf.readUIntBE(at + 3, 3) } : buf.readUIntBE(at, 3);
    case 'u32': return hasMask ? { value: get32(buf, at), mask: get32(buf, at + 4) } : get32(buf, at);
    case 'u64':
      return hasMask ? { value: buf.readBigUInt64BE(at), mask: buf.readBigUInt64BE(at + 8) } : buf.readBigUInt64BE(at);
    default:
      return formatAddr(def.kind, buf.subarray(at, at + w), hasMask ? buf.subarray(at + w, at + 2 * w) : undefined);
  }
}

/** One TLV ready to write: its header and its value (and mask) bytes. */
export interface EncodedTlv {
  header: number;
  body: Buffer;
}

/** Encodes one typed field as a TLV; OfpError UNSUPPORTED_FIELD / UNENCODABLE for what cannot be sent. */
export function encodeField(version: number, key: string, value: unknown): EncodedTlv {
  const def = OXM_BY_KEY.get(key);
  if (!def) throw unencodable(`unknown match field ${key}`);
  if (def.since > version) throw unsupportedField(key, version);
  const w = def.width;
  let body: Buffer;
  let masked: boolean;
  if (def.kind === 'ipv4' || def.kind === 'ipv6' || def.kind === 'mac') {
    const a = parseAddr(def.kind, value);
    masked = a.mask !== undefined;
    body = masked ? Buffer.concat([a.value, a.mask!]) : a.value;
  } else {
    masked = typeof value === 'object' && value !== null;
    body = Buffer.allocUnsafe(masked ? 2 * w : w);
    writeInt(def, masked ? (value as { value: unknown }).value : value, key, body, 0);
    if (masked) writeInt(def, (value as { mask: unknown }).mask, key, body, w);
  }
  if (masked && !def.maskable) throw unencodable(`match field ${key} takes no mask`);
  const header = ((OXM_CLASS_BASIC << 16) | (def.field << 9) | (masked ? 0x100 : 0) | body.length) >>> 0;
  return { header, body };
}

function writeInt(def: OxmField, v: unknown, key: string, b: Buffer, at: number): void {
  if (def.kind === 'u64') {
    if (typeof v !== 'bigint' || v < 0n || v > 0xffffffffffffffffn) throw unencodable(`match field ${key} needs a u64 bigint, got ${String(v)}`);
    b.writeBigUInt64BE(v, at);
    return;
  }
  const max = 2 ** (8 * def.width) - 1;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) {
    throw unencodable(`match field ${key} needs an integer 0..${max}, got ${String(v)}`);
  }
  b.writeUIntBE(v, at, def.width);
}

/** A raw TLV's header and body. */
export function encodeRawTlv(t: OxmTlv): EncodedTlv {
  if (!Buffer.isBuffer(t.body) || t.body.length > 0xff) throw unencodable('an OXM TLV body is a Buffer of at most 255 bytes');
  const header = (((t.oxmClass & 0xffff) << 16) | ((t.field & 0x7f) << 9) | (t.hasMask ? 0x100 : 0) | t.body.length) >>> 0;
  return { header, body: t.body };
}

/** The TLVs of a Match's keys, in key order (the `oxm` key writes its raw TLVs where it stands). */
export function encodeOxmFields(version: number, match: Match): EncodedTlv[] {
  const out: EncodedTlv[] = [];
  for (const key of Object.keys(match)) {
    const v = (match as Record<string, unknown>)[key];
    if (v === undefined) continue;
    if (key === 'oxm') {
      for (const t of v as OxmTlv[]) out.push(encodeRawTlv(t));
    } else {
      out.push(encodeField(version, key, v));
    }
  }
  return out;
}

export function tlvsLength(tlvs: readonly EncodedTlv[]): number {
  let n = 0;
  for (const t of tlvs) n += 4 + t.body.length;
  return n;
}

export function writeTlvs(tlvs: readonly EncodedTlv[], out: Buffer, pos: number): number {
  let at = pos;
  for (const t of tlvs) {
    out.writeUInt32BE(t.header, at);
    t.body.copy(out, at + 4);
    at += 4 + t.body.length;
  }
  return at;
}

export type { MaskedBigint, MaskedNumber };
