/**
 * Actions of OpenFlow 1.0-1.5 as one version-neutral union. An action encodes in every version
 * that has it; where a version spells a concept differently the encoder translates (SET_FIELD
 * ethSrc <-> 1.0/1.1 SET_DL_SRC, STRIP_VLAN <-> POP_VLAN, the 32-bit reserved ports <-> 1.0's
 * 16-bit ones), and anything a version lacks is OfpError UNSUPPORTED_ACTION naming both.
 *
 * Decoding is canonical per version (1.0 gives SET_DL_SRC, 1.3 gives SET_FIELD); an action of an
 * unknown type or an unexpected length comes back as UNKNOWN with its bytes, so a decoded list
 * re-encodes byte for byte.
 */
import { Buffer } from 'node:buffer';
import type { Match } from './match-types.js';
import { decodeOxmFields, encodeOxmFields, tlvsLength, writeTlvs } from './oxm.js';
import { port10 } from './match.js';
import { itemsLength, readItems, writeItems, type Item } from './layout.js';
import { OfpError } from './ofp-error.js';
import { OFP10, OFP11, OFP12, versionName } from './versions.js';
import { roundUp8, unencodable } from './wire.js';

interface Pad { padding?: Buffer }
export type Action = Pad & (
  | { type: 'OUTPUT'; port: number; /** Default 0, or 0xffff (send the whole packet) to CONTROLLER. */ maxLen?: number }
  | { type: 'ENQUEUE'; port: number; queueId: number }
  | { type: 'SET_VLAN_VID'; vlanVid: number }
  | { type: 'SET_VLAN_PCP'; vlanPcp: number }
  | { type: 'STRIP_VLAN' }
  | { type: 'SET_DL_SRC' | 'SET_DL_DST'; mac: string }
  | { type: 'SET_NW_SRC' | 'SET_NW_DST'; ipv4: string }
  | { type: 'SET_NW_TOS'; tos: number }
  | { type: 'SET_NW_ECN'; ecn: number }
  | { type: 'SET_TP_SRC' | 'SET_TP_DST'; tpPort: number }
  | { type: 'COPY_TTL_OUT' | 'COPY_TTL_IN' | 'DEC_MPLS_TTL' | 'POP_VLAN' | 'DEC_NW_TTL' | 'POP_PBB' }
  | { type: 'SET_MPLS_LABEL'; mplsLabel: number }
  | { type: 'SET_MPLS_TC'; mplsTc: number }
  | { type: 'SET_MPLS_TTL' | 'SET_NW_TTL'; ttl: number }
  | { type: 'PUSH_VLAN' | 'PUSH_MPLS' | 'PUSH_PBB' | 'POP_MPLS'; ethertype: number }
  | { type: 'SET_QUEUE'; queueId: number }
  | { type: 'GROUP'; groupId: number }
  /** One field (1.5 allows a mask); 1.0/1.1 encode the fields they have as their SET_* actions. */
  | { type: 'SET_FIELD'; field: Match }
  /** 1.5. srcOxm/dstOxm are OXM headers (e.g. 0x80000604 for eth_dst... with hasmask 0 and the field's length). */
  | { type: 'COPY_FIELD'; nBits: number; srcOffset: number; dstOffset: number; srcOxm: number; dstOxm: number }
  | { type: 'METER'; meterId: number }
  /** VENDOR in 1.0. `data` follows the experimenter id. */
  | { type: 'EXPERIMENTER'; experimenter: number; data: Buffer }
  /** A type this version does not define, or a known one with an unexpected length: kept as bytes. */
  | { type: 'UNKNOWN'; actionType: number; data: Buffer }
);
export type ActionType = Action['type'];

const EXPERIMENTER = 0xffff;

// Layouts after the 4-byte type/len header.
const PAD4: Item[] = [['pad', 4]];
const L: Record<string, Item[]> = {
  OUTPUT10: [['port', 'u16'], ['maxLen', 'u16']],
  OUTPUT: [['port', 'u32'], ['maxLen', 'u16'], ['pad', 6]],
  ENQUEUE: [['port', 'u16'], ['pad', 6], ['queueId', 'u32']],
  SET_VLAN_VID: [['vlanVid', 'u16'], ['pad', 2]],
  SET_VLAN_PCP: [['vlanPcp', 'u8'], ['pad', 3]],
  STRIP_VLAN: PAD4,
  SET_DL_SRC: [['mac', 'mac'], ['pad', 6]],
  SET_DL_DST: [['mac', 'mac'], ['pad', 6]],
  SET_NW_SRC: [['ipv4', 'ipv4']],
  SET_NW_DST: [['ipv4', 'ipv4']],
  SET_NW_TOS: [['tos', 'u8'], ['pad', 3]],
  SET_NW_ECN: [['ecn', 'u8'], ['pad', 3]],
  SET_TP_SRC: [['tpPort', 'u16'], ['pad', 2]],
  SET_TP_DST: [['tpPort', 'u16'], ['pad', 2]],
  COPY_TTL_OUT: PAD4, COPY_TTL_IN: PAD4, DEC_MPLS_TTL: PAD4, POP_VLAN: PAD4, DEC_NW_TTL: PAD4, POP_PBB: PAD4,
  SET_MPLS_LABEL: [['mplsLabel', 'u32']],
  SET_MPLS_TC: [['mplsTc', 'u8'], ['pad', 3]],
  SET_MPLS_TTL: [['ttl', 'u8'], ['pad', 3]],
  SET_NW_TTL: [['ttl', 'u8'], ['pad', 3]],
  PUSH_VLAN: [['ethertype', 'u16'], ['pad', 2]],
  PUSH_MPLS: [['ethertype', 'u16'], ['pad', 2]],
  PUSH_PBB: [['ethertype', 'u16'], ['pad', 2]],
  POP_MPLS: [['ethertype', 'u16'], ['pad', 2]],
  SET_QUEUE: [['queueId', 'u32']],
  GROUP: [['groupId', 'u32']],
  COPY_FIELD: [['nBits', 'u16'], ['srcOffset', 'u16'], ['dstOffset', 'u16'], ['pad', 2], ['srcOxm', 'u32'], ['dstOxm', 'u32'], ['pad', 4]],
  METER: [['meterId', 'u32']],
};

const V10 = ['OUTPUT', 'SET_VLAN_VID', 'SET_VLAN_PCP', 'STRIP_VLAN', 'SET_DL_SRC', 'SET_DL_DST', 'SET_NW_SRC',
  'SET_NW_DST', 'SET_NW_TOS', 'SET_TP_SRC', 'SET_TP_DST', 'ENQUEUE'];
const V11 = ['OUTPUT', 'SET_VLAN_VID', 'SET_VLAN_PCP', 'SET_DL_SRC', 'SET_DL_DST', 'SET_NW_SRC', 'SET_NW_DST',
  'SET_NW_TOS', 'SET_NW_ECN', 'SET_TP_SRC', 'SET_TP_DST', 'COPY_TTL_OUT', 'COPY_TTL_IN', 'SET_MPLS_LABEL',
  'SET_MPLS_TC', 'SET_MPLS_TTL', 'DEC_MPLS_TTL', 'PUSH_VLAN', 'POP_VLAN', 'PUSH_MPLS', 'POP_MPLS', 'SET_QUEUE',
  'GROUP', 'SET_NW_TTL', 'DEC_NW_TTL'];
// 1.2 dropped the SET_* actions for SET_FIELD but kept the numbers of the others.
const V12 = V11.map((n, i) => (i >= 1 && i <= 10) || i === 13 || i === 14 ? undefined : n);
const V13 = [...V12, 'SET_FIELD', 'PUSH_PBB', 'POP_PBB'];
const V15 = [...V13, 'COPY_FIELD', 'METER'];
const NAMES: readonly (readonly (string | undefined)[])[] = [[], V10, V11, [...V12, 'SET_FIELD'], V13, V13, V15];
const CODES: readonly ReadonlyMap<string, number>[] = NAMES.map((names) =>
  new Map(names.flatMap((n, i) => (n === undefined ? [] : [[n, i] as [string, number]]))));

function layoutOf(name: string, version: number): Item[] | undefined {
  return name === 'OUTPUT' && version === OFP10 ? L.OUTPUT10 : L[name];
}

function badAction(message: string, version: number): OfpError {
  return new OfpError('BAD_ACTION', message, 'BAD_ACTION', 'BAD_LEN', version);
}

export function unsupportedAction(name: string, version: number): OfpError {
  return new OfpError('UNSUPPORTED_ACTION', `OpenFlow ${versionName(version)} has no action ${name}`);
}

/** Decodes the action list in buf[offset, offset + length). Throws OfpError BAD_ACTION for a bad length. */
export function decodeActions(version: number, buf: Buffer, offset: number, length: number): Action[] {
  const end = offset + length;
  if (end > buf.length) throw badAction('action list runs past the message', version);
  const out: Action[] = [];
  let pos = offset;
  while (pos < end) {
    if (pos + 4 > end) throw badAction(`${end - pos} bytes cannot hold an action header`, version);
    const code = buf.readUInt16BE(pos);
    const len = buf.readUInt16BE(pos + 2);
    if (len < 4 || pos + len > end) throw badAction(`action length ${len} at ${pos - offset} does not fit`, version);
    out.push(decodeAction(version, buf, pos, code, len));
    pos += len;
  }
  return out;
}

function decodeAction(version: number, buf: Buffer, pos: number, code: number, len: number): Action {
  const name = code === EXPERIMENTER ? 'EXPERIMENTER' : NAMES[version]?.[code];
  if (name === 'EXPERIMENTER' && len >= 8) {
    return { type: 'EXPERIMENTER', experimenter: buf.readUInt32BE(pos + 4), data: buf.subarray(pos + 8, pos + len) };
  }
  if (name === 'SET_FIELD') {
    const a = decodeSetField(version, buf, pos, len);
    if (a) return a;
  } else if (name !== undefined && name !== 'EXPERIMENTER') {
    const items = layoutOf(name, version)!;
    if (itemsLength(items) === len) {
      const a: Record<string, unknown> = { type: name };
      readItems(items, buf, pos, a);
      return a as unknown as Action;
    }
  }
  return { type: 'UNKNOWN', actionType: code, data: buf.subarray(pos + 4, pos + len) };
}

/** A SET_FIELD whose one TLV fills it up to the next multiple of 8, or undefined (kept UNKNOWN). */
function decodeSetField(version: number, buf: Buffer, pos: number, len: number): Action | undefined {
  if (len < 8) return undefined;
  const tlvLen = buf[pos + 7]!;
  if (8 + tlvLen > len || roundUp8(8 + tlvLen) !== len) return undefined;
  const field = decodeOxmFields(version, buf, pos + 4, pos + 8 + tlvLen, {});
  const a: Action = { type: 'SET_FIELD', field };
  const pad = buf.subarray(pos + 8 + tlvLen, pos + len);
  if (pad.some((x) => x !== 0)) a.padding = pad;
  return a;
}

/** Translates a version-neutral action into the form `version` has, or throws UNSUPPORTED_ACTION. */
function translate(a: Action, version: number): Action {
  const t = a.type;
  if (version <= OFP11 && t === 'SET_FIELD') return legacySetField(a, version);
  if (version >= OFP12 && LEGACY_TO_FIELD[t]) return { type: 'SET_FIELD', field: LEGACY_TO_FIELD[t](a) };
  if (t === 'POP_VLAN' && version === OFP10) return { type: 'STRIP_VLAN', ...(a.padding ? { padding: a.padding } : {}) };
  if (t === 'STRIP_VLAN' && version >= OFP11) return { type: 'POP_VLAN', ...(a.padding ? { padding: a.padding } : {}) };
  if (t === 'OUTPUT' && version === OFP10) return { ...a, port: port10(a.port, 'output port') };
  if (t === 'ENQUEUE' && version === OFP10) return { ...a, port: port10(a.port, 'enqueue port') };
  return a;
}

type Legacy = Record<string, (a: Action) => Match>;
const LEGACY_TO_FIELD: Legacy = {
  SET_DL_SRC: (a) => ({ ethSrc: (a as { mac: string }).mac }),
  SET_DL_DST: (a) => ({ ethDst: (a as { mac: string }).mac }),
  SET_NW_SRC: (a) => ({ ipv4Src: (a as { ipv4: string }).ipv4 }),
  SET_NW_DST: (a) => ({ ipv4Dst: (a as { ipv4: string }).ipv4 }),
  SET_VLAN_VID: (a) => ({ vlanVid: 0x1000 | (a as { vlanVid: number }).vlanVid }),
  SET_VLAN_PCP: (a) => ({ vlanPcp: (a as { vlanPcp: number }).vlanPcp }),
  SET_NW_TOS: (a) => ({ ipDscp: (a as { tos: number }).tos >> 2 }),
  SET_NW_ECN: (a) => ({ ipEcn: (a as { ecn: number }).ecn }),
  SET_TP_SRC: (a) => ({ tcpSrc: (a as { tpPort: number }).tpPort }),
  SET_TP_DST: (a) => ({ tcpDst: (a as { tpPort: number }).tpPort }),
  SET_MPLS_LABEL: (a) => ({ mplsLabel: (a as { mplsLabel: number }).mplsLabel }),
  SET_MPLS_TC: (a) => ({ mplsTc: (a as { mplsTc: number }).mplsTc }),
};

function legacySetField(a: Extract<Action, { type: 'SET_FIELD' }>, version: number): Action {
  const keys = Object.keys(a.field).filter((k) => (a.field as Record<string, unknown>)[k] !== undefined);
  if (keys.length !== 1) throw unencodable(`SET_FIELD sets exactly one field, got ${keys.length}`);
  const key = keys[0]!;
  const v = (a.field as Record<string, unknown>)[key];
  const no = (): OfpError => unsupportedAction(`SET_FIELD ${key}`, version);
  if (typeof v === 'object') throw no();
  switch (key) {
    case 'ethSrc': return { type: 'SET_DL_SRC', mac: v as string };
    case 'ethDst': return { type: 'SET_DL_DST', mac: v as string };
    case 'ipv4Src': return { type: 'SET_NW_SRC', ipv4: v as string };
    case 'ipv4Dst': return { type: 'SET_NW_DST', ipv4: v as string };
    case 'vlanVid': return { type: 'SET_VLAN_VID', vlanVid: (v as number) & 0xfff };
    case 'vlanPcp': return { type: 'SET_VLAN_PCP', vlanPcp: v as number };
    case 'ipDscp': return { type: 'SET_NW_TOS', tos: ((v as number) << 2) & 0xff };
    case 'tcpSrc': case 'udpSrc': case 'sctpSrc': return { type: 'SET_TP_SRC', tpPort: v as number };
    case 'tcpDst': case 'udpDst': case 'sctpDst': return { type: 'SET_TP_DST', tpPort: v as number };
  }
  if (version === OFP11) {
    if (key === 'ipEcn') return { type: 'SET_NW_ECN', ecn: v as number };
    if (key === 'mplsLabel') return { type: 'SET_MPLS_LABEL', mplsLabel: v as number };
    if (key === 'mplsTc') return { type: 'SET_MPLS_TC', mplsTc: v as number };
  }
  throw no();
}

/** One action ready to write: its code, its length and how to write its body. */
interface Prepared {
  a: Action;
  code: number;
  len: number;
  tlvs?: ReturnType<typeof encodeOxmFields>;
}

function prepare(version: number, given: Action): Prepared {
  if (given === null || typeof given !== 'object') throw unencodable(`not an action: ${String(given)}`);
  const a = translate(given, version);
  const t = a.type;
  if (t === 'EXPERIMENTER') return { a, code: EXPERIMENTER, len: 8 + bufferOf(a.data, 'EXPERIMENTER data').length };
  if (t === 'UNKNOWN') return { a, code: a.actionType, len: 4 + bufferOf(a.data, 'UNKNOWN action data').length };
  const code = CODES[version]?.get(t);
  if (code === undefined) throw unsupportedAction(t, version);
  if (t === 'SET_FIELD') {
    const tlvs = encodeOxmFields(version, a.field);
    if (tlvs.length !== 1) throw unencodable(`SET_FIELD sets exactly one field, got ${tlvs.length}`);
    return { a, code, len: roundUp8(4 + tlvsLength(tlvs)), tlvs };
  }
  return { a, code, len: itemsLength(layoutOf(t, version)!) };
}

function bufferOf(b: unknown, what: string): Buffer {
  if (!Buffer.isBuffer(b)) throw unencodable(`${what} must be a Buffer`);
  return b;
}

function writePrepared(version: number, p: Prepared, out: Buffer, pos: number): void {
  if (p.len > 0xffff) throw unencodable(`action of ${p.len} bytes is over 65535`);
  out.writeUInt16BE(p.code, pos);
  out.writeUInt16BE(p.len, pos + 2);
  const a = p.a;
  if (a.type === 'EXPERIMENTER') {
    out.writeUInt32BE(a.experimenter >>> 0, pos + 4);
    a.data.copy(out, pos + 8);
  } else if (a.type === 'UNKNOWN') {
    a.data.copy(out, pos + 4);
  } else if (p.tlvs) {
    const end = writeTlvs(p.tlvs, out, pos + 4);
    const padLen = pos + p.len - end;
    if (a.padding && a.padding.length !== padLen) throw unencodable(`SET_FIELD padding must be ${padLen} bytes`);
    if (a.padding) a.padding.copy(out, end);
    else out.fill(0, end, pos + p.len);
  } else {
    const v = a.type === 'OUTPUT' && a.maxLen === undefined
      ? { ...a, maxLen: a.port === 0xfffffffd || (version === OFP10 && a.port === 0xfffd) ? 0xffff : 0 }
      : a;
    writeItems(layoutOf(a.type, version)!, v as unknown as Record<string, unknown>, out, pos, a.type);
  }
}

/** The wire bytes of an action list. A Buffer is taken as already-encoded actions. */
export function encodeActions(version: number, actions: readonly Action[] | Buffer): Buffer {
  if (Buffer.isBuffer(actions)) return actions;
  if (!Array.isArray(actions)) throw unencodable('actions must be an array');
  const prepared = actions.map((a) => prepare(version, a));
  let len = 0;
  for (const p of prepared) len += p.len;
  const out = Buffer.allocUnsafe(len);
  let pos = 0;
  for (const p of prepared) {
    writePrepared(version, p, out, pos);
    pos += p.len;
  }
  return out;
}

/** Whether `version` has the action (after translation), without encoding it. */
export function hasAction(version: number, type: ActionType): boolean {
  return type === 'EXPERIMENTER' || type === 'UNKNOWN' || CODES[version]?.has(type) === true
    || (version >= OFP12 && type in LEGACY_TO_FIELD) || (type === 'POP_VLAN' && version === OFP10)
    || (type === 'STRIP_VLAN' && version >= OFP11) || (type === 'SET_FIELD' && version <= OFP11);
}

