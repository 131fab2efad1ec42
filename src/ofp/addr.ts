/**
 * Addresses in match fields and set-field actions as people write them: IPv4 '10.0.0.0/8' or
 * '10.0.0.1/255.0.0.0', MAC 'aa:bb:cc:dd:ee:ff' with an optional '/ff:ff:ff:00:00:00', IPv6
 * '2001:db8::1' with an optional '/64' or '/ffff:ffff::'. Decoding gives one canonical spelling
 * (lower case, IPv6 compressed as RFC 5952 says, a mask as a prefix length whenever it is one), so
 * that encoding the decoded string gives back the same bytes: the value bits outside the mask are
 * kept as they were on the wire.
 */
import { Buffer } from 'node:buffer';
import { formatMac, writeMac } from './mac.js';
import { unencodable } from './wire.js';

/** An address and its optional mask as wire bytes. */
export interface AddrBytes {
  value: Buffer;
  mask?: Buffer;
}

export type AddrKind = 'ipv4' | 'ipv6' | 'mac';

export const ADDR_LEN: Readonly<Record<AddrKind, number>> = { ipv4: 4, ipv6: 16, mac: 6 };

/** Parses an address with an optional '/mask' or '/prefix' into wire bytes; OfpError UNENCODABLE if it is none. */
export function parseAddr(kind: AddrKind, s: unknown): AddrBytes {
  if (typeof s !== 'string') throw unencodable(`not an ${kind} address: ${String(s)}`);
  const slash = s.indexOf('/');
  const addr = slash < 0 ? s : s.slice(0, slash);
  const value = parseOne(kind, addr, s);
  if (slash < 0) return { value };
  const m = s.slice(slash + 1);
  const mask = kind !== 'mac' && /^\d{1,3}$/.test(m) ? prefixMask(ADDR_LEN[kind], Number(m), s) : parseOne(kind, m, s);
  return { value, mask };
}

/** The canonical string of an address (and mask) read from the wire. */
export function formatAddr(kind: AddrKind, value: Buffer, mask?: Buffer): string {
  const a = formatOne(kind, value);
  if (!mask) return a;
  if (kind !== 'mac') {
    const p = prefixLength(mask);
    if (p >= 0) return `${a}/${p}`;
  }
  return `${a}/${formatOne(kind, mask)}`;
}

function parseOne(kind: AddrKind, a: string, whole: string): Buffer {
  if (kind === 'mac') {
    const b = Buffer.alloc(6);
    writeMac(a, b, 0);
    return b;
  }
  const b = kind === 'ipv4' ? parseIpv4(a) : parseIpv6(a);
  if (!b) throw unencodable(`not an ${kind === 'ipv4' ? 'IPv4' : 'IPv6'} address: ${JSON.stringify(whole)}`);
  return b;
}

function formatOne(kind: AddrKind, b: Buffer): string {
  if (kind === 'mac') return formatMac(b);
  if (kind === 'ipv4') return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
  return formatIpv6(b);
}

/** Dotted quad, one to three digits a byte, by hand: builders call it for every IPv4 field they encode. */
function parseIpv4(s: string): Buffer | undefined {
  const b = Buffer.allocUnsafe(4);
  let i = 0;
  for (let part = 0; part < 4; part++) {
    if (part > 0 && s.charCodeAt(i++) !== 0x2e) return undefined;
    let n = 0;
    let digits = 0;
    for (let c = s.charCodeAt(i); c >= 0x30 && c <= 0x39 && digits < 3; c = s.charCodeAt(++i)) {
      n = n * 10 + c - 0x30;
      digits++;
    }
    if (digits === 0 || n > 255) return undefined;
    b[part] = n;
  }
  return i === s.length ? b : undefined;
}

function parseIpv6(s: string): Buffer | undefined {
  let text = s;
  // An embedded IPv4 tail ('::ffff:10.0.0.1') stands for the last two groups.
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    const v4 = parseIpv4(text.slice(lastColon + 1));
    if (!v4) return undefined;
    text = `${text.slice(0, lastColon + 1)}${v4.readUInt16BE(0).toString(16)}:${v4.readUInt16BE(2).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return undefined;
  const zeros = 8 - head.length - tail.length;
  if (halves.length === 2 ? zeros < 1 : zeros !== 0) return undefined;
  const b = Buffer.alloc(16);
  [...head, ...new Array<number>(zeros).fill(0), ...tail].forEach((g, i) => b.writeUInt16BE(g, 2 * i));
  return b;
}

function groups(h: string): number[] | undefined {
  if (h === '') return [];
  const out: number[] = [];
  for (const g of h.split(':')) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    out.push(parseInt(g, 16));
  }
  return out;
}

/** RFC 5952: lower case, no leading zeros, the longest run (>= 2) of zero groups as '::'. */
function formatIpv6(b: Buffer): string {
  const g = Array.from({ length: 8 }, (_, i) => b.readUInt16BE(2 * i));
  let bestAt = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) { bestAt = i; bestLen = j - i; }
    i = j;
  }
  const hex = (xs: number[]): string => xs.map((x) => x.toString(16)).join(':');
  if (bestAt < 0) return hex(g);
  return `${hex(g.slice(0, bestAt))}::${hex(g.slice(bestAt + bestLen))}`;
}

function prefixMask(len: number, bits: number, whole: string): Buffer {
  if (bits > len * 8) throw unencodable(`prefix /${bits} is longer than the address: ${JSON.stringify(whole)}`);
  const b = Buffer.alloc(len);
  for (let i = 0; i < len; i++) {
    const n = Math.min(8, Math.max(0, bits - 8 * i));
    b[i] = (0xff00 >> n) & 0xff;
  }
  return b;
}

/** Number of leading one bits when the mask is a prefix, else -1. */
export function prefixLength(mask: Buffer): number {
  let bits = 0;
  let i = 0;
  while (i < mask.length && mask[i] === 0xff) { bits += 8; i++; }
  if (i === mask.length) return bits;
  const m = mask[i]!;
  const ones = [0, 0x80, 0xc0, 0xe0, 0xf0, 0xf8, 0xfc, 0xfe].indexOf(m);
  if (ones < 0) return -1;
  for (let j = i + 1; j < mask.length; j++) if (mask[j] !== 0) return -1;
  return bits + ones;
}
