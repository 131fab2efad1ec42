/**
 * Fixed layouts of small TLV structures (actions, instructions) described as data: named fields
 * and pad runs after a 4-byte type/length header. One decoder and one encoder serve them all; the
 * pad bytes are kept as `padding` (all runs concatenated) only when they are not all zero.
 */
import { Buffer } from 'node:buffer';
import { formatAddr, parseAddr } from './addr.js';
import { nonZero, unencodable } from './wire.js';

export type Item = readonly [name: string, kind: 'u8' | 'u16' | 'u32' | 'u64' | 'mac' | 'ipv4'] | readonly ['pad', number];

const SIZE = { u8: 1, u16: 2, u32: 4, u64: 8, mac: 6, ipv4: 4 } as const;

export function itemsLength(items: readonly Item[]): number {
  let n = 4;
  for (const it of items) n += it[0] === 'pad' ? (it[1] as number) : SIZE[it[1] as keyof typeof SIZE];
  return n;
}

function padLength(items: readonly Item[]): number {
  let n = 0;
  for (const it of items) if (it[0] === 'pad') n += it[1] as number;
  return n;
}

/** Reads the fields at `pos + 4` onwards into `out`; adds `padding` when a pad byte is not zero. */
export function readItems(items: readonly Item[], buf: Buffer, pos: number, out: Record<string, unknown>): void {
  let at = pos + 4;
  let pads: Buffer[] | undefined;
  for (const [name, kind] of items) {
    if (name === 'pad') {
      const n = kind as number;
      (pads ??= []).push(buf.subarray(at, at + n));
      at += n;
      continue;
    }
    switch (kind) {
      case 'u8': out[name] = buf[at]; break;
      case 'u16': out[name] = buf.readUInt16BE(at); break;
      case 'u32': out[name] = buf.readUInt32BE(at); break;
      case 'u64': out[name] = buf.readBigUInt64BE(at); break;
      case 'mac': out[name] = formatAddr('mac', buf.subarray(at, at + 6)); break;
      case 'ipv4': out[name] = formatAddr('ipv4', buf.subarray(at, at + 4)); break;
    }
    at += SIZE[kind as keyof typeof SIZE];
  }
  if (pads) {
    const all = pads.length === 1 ? pads[0]! : Buffer.concat(pads);
    if (nonZero(all)) out.padding = all;
  }
}

/** Writes the fields of `v` after the header at `pos`; the header itself is the caller's. */
export function writeItems(items: readonly Item[], v: Record<string, unknown>, out: Buffer, pos: number, what: string): void {
  let at = pos + 4;
  const padding = v.padding as Buffer | undefined;
  if (padding !== undefined && (!Buffer.isBuffer(padding) || padding.length !== padLength(items))) {
    throw unencodable(`${what} padding must be ${padLength(items)} bytes`);
  }
  let padAt = 0;
  for (const [name, kind] of items) {
    if (name === 'pad') {
      const n = kind as number;
      if (padding) padding.copy(out, at, padAt, padAt + n);
      else out.fill(0, at, at + n);
      padAt += n;
      at += n;
      continue;
    }
    const x = v[name];
    switch (kind) {
      case 'u64':
        if (typeof x !== 'bigint') throw unencodable(`${what}.${name} needs a bigint, got ${String(x)}`);
        out.writeBigUInt64BE(BigInt.asUintN(64, x), at);
        break;
      case 'mac':
      case 'ipv4': {
        const a = parseAddr(kind, x);
        if (a.mask) throw unencodable(`${what}.${name} takes no mask`);
        a.value.copy(out, at);
        break;
      }
      default: {
        const bytes = SIZE[kind as 'u8' | 'u16' | 'u32'];
        if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x >= 2 ** (8 * bytes)) {
          throw unencodable(`${what}.${name} needs an integer 0..${2 ** (8 * bytes) - 1}, got ${String(x)}`);
        }
        out.writeUIntBE(x, at, bytes);
      }
    }
    at += SIZE[kind as keyof typeof SIZE];
  }
}
