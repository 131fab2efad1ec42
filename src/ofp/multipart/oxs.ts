/**
 * OpenFlow 1.5 ofp_stats: the OXS TLV list (class 0x8002) that replaced the fixed counters of flow
 * stats and aggregate replies. Its fields are lifted onto the entry (durationSec, packetCount...);
 * when the list is not the one our encoder would write from those fields (other order, unknown or
 * experimenter TLVs, non-zero padding), `oxsBytes` keeps it whole and is written back instead.
 */
import { Buffer } from 'node:buffer';
import { badLength } from '../ofp-error.js';
import { roundUp8, unencodable } from '../wire.js';

type Fields = Record<string, unknown>;

const OXS_BASIC = 0x8002;
const DURATION = 0;
const IDLE_TIME = 1;
const FLOW_COUNT = 3;
const PACKET_COUNT = 4;
const BYTE_COUNT = 5;

/** The fields a stats list carries, in the order Open vSwitch writes them (flow count last), as we do. */
const FIELDS: readonly (readonly [field: number, len: number, keys: readonly string[]])[] = [
  [DURATION, 8, ['durationSec', 'durationNsec']],
  [IDLE_TIME, 8, ['idleSec', 'idleNsec']],
  [PACKET_COUNT, 8, ['packetCount']],
  [BYTE_COUNT, 8, ['byteCount']],
  [FLOW_COUNT, 4, ['flowCount']],
];

/** Size of the ofp_stats at `pos` (with its padding), checked to fit before `end`. */
export function oxsSizeAt(buf: Buffer, pos: number, end: number): number {
  if (pos + 4 > end) throw badLength('ofp_stats runs past its entry');
  const len = buf.readUInt16BE(pos + 2);
  if (len < 4 || pos + roundUp8(len) > end) throw badLength(`ofp_stats length ${len} does not fit`);
  return roundUp8(len);
}

/** Lifts the OXS fields of the ofp_stats at `[pos, pos+size)` into `into`. */
export function readOxs(buf: Buffer, pos: number, size: number, into: Fields): void {
  const len = buf.readUInt16BE(pos + 2);
  for (let at = pos + 4; at + 4 <= pos + len;) {
    const cls = buf.readUInt16BE(at);
    const field = buf[at + 2]! >>> 1;
    const flen = buf[at + 3]!;
    if (at + 4 + flen > pos + len) break;
    const spec = cls === OXS_BASIC ? FIELDS.find(([f, l]) => f === field && l === flen) : undefined;
    if (spec && into[spec[2][0]!] === undefined) {
      if (flen === 4) into[spec[2][0]!] = buf.readUInt32BE(at + 4);
      else if (spec[2].length === 2) {
        into[spec[2][0]!] = buf.readUInt32BE(at + 4);
        into[spec[2][1]!] = buf.readUInt32BE(at + 8);
      } else into[spec[2][0]!] = buf.readBigUInt64BE(at + 4);
    }
    at += 4 + flen;
  }
  const wire = buf.subarray(pos, pos + size);
  const again = Buffer.alloc(oxsLength(into));
  writeOxs(into, again, 0);
  if (!again.equals(wire)) into.oxsBytes = wire;
}

export function oxsLength(e: Fields): number {
  const raw = e.oxsBytes as Buffer | undefined;
  if (raw) return raw.length;
  let n = 4;
  for (const [, len, keys] of FIELDS) if (e[keys[0]!] !== undefined) n += 4 + len;
  return roundUp8(n);
}

export function writeOxs(e: Fields, out: Buffer, pos: number): number {
  const raw = e.oxsBytes as Buffer | undefined;
  if (raw) {
    if (raw.length < 8 || raw.length % 8 !== 0) throw unencodable('oxsBytes must be a whole ofp_stats, padded to 8');
    raw.copy(out, pos);
    return raw.length;
  }
  let at = pos + 4;
  for (const [field, len, keys] of FIELDS) {
    const v = e[keys[0]!];
    if (v === undefined) continue;
    out.writeUInt16BE(OXS_BASIC, at);
    out[at + 2] = field << 1;
    out[at + 3] = len;
    if (keys.length === 2) {
      out.writeUInt32BE(Number(v) >>> 0, at + 4);
      out.writeUInt32BE(Number(e[keys[1]!] ?? 0) >>> 0, at + 8);
    } else if (len === 4) out.writeUInt32BE(Number(v) >>> 0, at + 4);
    else out.writeBigUInt64BE(BigInt.asUintN(64, BigInt(v as bigint)), at + 4);
    at += 4 + len;
  }
  out.writeUInt16BE(0, pos);
  out.writeUInt16BE(at - pos, pos + 2);
  const end = pos + roundUp8(at - pos);
  out.fill(0, at, end);
  return end - pos;
}
