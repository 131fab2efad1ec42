/**
 * Matching as the flow table needs it: a packet and a flow match both become a set of fields, each
 * a value and a mask as bigints over the field's OXM width. Then "does this flow match this packet",
 * "is this match at least as specific as that one" (non-strict modify/delete) and "could one packet
 * match both" (CHECK_OVERLAP) are a few bit operations per field, the same in every version.
 */
import { oxmField, type Match, type MaskedBigint, type MaskedNumber } from '../ofp/index.js';
import { parseAddr } from '../ofp/addr.js';

export interface FieldValue {
  value: bigint;
  mask: bigint;
}

/** Field key (Match key) -> value and mask; a key that is absent is wildcarded. */
export type FieldSet = Map<string, FieldValue>;

/** A Match this emulator cannot evaluate (a field kept as raw OXM, a field no packet carries). */
export class UnsupportedMatch extends Error {
  override name = 'UnsupportedMatch';
}

const fullMask = (bits: number): bigint => (1n << BigInt(bits)) - 1n;
const toBig = (b: Buffer): bigint => (b.length === 0 ? 0n : BigInt(`0x${b.toString('hex')}`));

/** The FieldSet of a flow match; values are stored already masked. */
export function fromMatch(match: Match): FieldSet {
  const out: FieldSet = new Map();
  for (const [key, raw] of Object.entries(match)) {
    if (raw === undefined) continue;
    if (key === 'oxm') {
      if ((raw as unknown[]).length > 0) throw new UnsupportedMatch('match fields outside OpenFlow basic OXM are not supported');
      continue;
    }
    const f = oxmField(key);
    if (!f) throw new UnsupportedMatch(`match field ${key} is not supported`);
    const full = fullMask(f.width * 8);
    let value: bigint;
    let mask = full;
    if (f.kind === 'ipv4' || f.kind === 'ipv6' || f.kind === 'mac') {
      const a = parseAddr(f.kind, raw);
      value = toBig(a.value);
      if (a.mask) mask = toBig(a.mask);
    } else if (typeof raw === 'object' && raw !== null && 'value' in raw) {
      const m = raw as Exclude<MaskedNumber | MaskedBigint, number | bigint>;
      value = BigInt(m.value);
      mask = BigInt(m.mask) & full;
    } else {
      value = BigInt(raw as number | bigint);
    }
    if (mask === 0n) continue;
    out.set(key, { value: value & mask, mask });
  }
  return out;
}

/** The FieldSet of a packet (exact values, full masks), from the plain values of its headers. */
export function exactFields(values: Readonly<Record<string, number | bigint | Buffer>>): FieldSet {
  const out: FieldSet = new Map();
  for (const [key, v] of Object.entries(values)) {
    const f = oxmField(key);
    if (!f) continue;
    out.set(key, { value: Buffer.isBuffer(v) ? toBig(v) : BigInt(v), mask: fullMask(f.width * 8) });
  }
  return out;
}

/** Whether a packet with fields `pkt` matches `flow`. */
export function covers(flow: FieldSet, pkt: FieldSet): boolean {
  for (const [key, f] of flow) {
    const p = pkt.get(key);
    if (!p || (p.value & f.mask) !== f.value) return false;
  }
  return true;
}

/** Whether `entry` is at least as specific as `request` (what non-strict modify/delete select). */
export function subsumedBy(entry: FieldSet, request: FieldSet): boolean {
  for (const [key, r] of request) {
    const e = entry.get(key);
    if (!e || (e.mask & r.mask) !== r.mask || (e.value & r.mask) !== r.value) return false;
  }
  return true;
}

/** Whether some packet could match both (CHECK_OVERLAP at equal priority). */
export function overlaps(a: FieldSet, b: FieldSet): boolean {
  for (const [key, x] of a) {
    const y = b.get(key);
    if (y && ((x.value ^ y.value) & x.mask & y.mask) !== 0n) return false;
  }
  return true;
}

/** Same fields, values and masks (strict modify/delete, identical add). */
export function sameFields(a: FieldSet, b: FieldSet): boolean {
  if (a.size !== b.size) return false;
  for (const [key, x] of a) {
    const y = b.get(key);
    if (!y || y.value !== x.value || y.mask !== x.mask) return false;
  }
  return true;
}

