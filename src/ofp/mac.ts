/** Ethernet addresses as the API shows them: 'aa:bb:cc:dd:ee:ff'. Table-driven: no per-byte strings. */
import { Buffer } from 'node:buffer';
import { unencodable } from './wire.js';

const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const HEX_DIGIT = new Uint8Array(Array.from('0123456789abcdef', (c) => c.charCodeAt(0)));
const COLON = 0x3a;
const DASH = 0x2d;

/** The MAC whose top 16 and low 32 bits are `hi` and `lo`, built as one flat string in one call. */
export function macString(hi: number, lo: number): string {
  const d = HEX_DIGIT;
  return String.fromCharCode(
    d[hi >>> 12]!, d[(hi >>> 8) & 15]!, COLON, d[(hi >>> 4) & 15]!, d[hi & 15]!, COLON,
    d[lo >>> 28]!, d[(lo >>> 24) & 15]!, COLON, d[(lo >>> 20) & 15]!, d[(lo >>> 16) & 15]!, COLON,
    d[(lo >>> 12) & 15]!, d[(lo >>> 8) & 15]!, COLON, d[(lo >>> 4) & 15]!, d[lo & 15]!,
  );
}

export function formatMac(b: Buffer): string {
  let s = HEX[b[0]!]!;
  for (let i = 1; i < b.length; i++) s += `:${HEX[b[i]!]}`;
  return s;
}

/** 'aa:bb:cc:dd:ee:ff' (or with '-'; one or two hex digits a byte) as 6 bytes. */
export function parseMac(s: string): Buffer {
  const b = Buffer.alloc(6);
  writeMac(s, b, 0);
  return b;
}

/** parseMac straight into `out` at `at`; throws OfpError UNENCODABLE for anything else. */
export function writeMac(s: string, out: Buffer, at: number): void {
  let i = 0;
  for (let part = 0; part < 6; part++) {
    if (part > 0) {
      const sep = s.charCodeAt(i++);
      if (sep !== COLON && sep !== DASH) throw badMac(s);
    }
    const d1 = hexDigit(s.charCodeAt(i++));
    if (d1 < 0) throw badMac(s);
    const d2 = hexDigit(s.charCodeAt(i));
    if (d2 < 0) {
      out[at + part] = d1;
    } else {
      out[at + part] = (d1 << 4) | d2;
      i++;
    }
  }
  if (i !== s.length) throw badMac(s);
}

// NaN (read past the end of the string) is no digit either.
function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  if (l >= 0x61 && l <= 0x66) return l - 0x61 + 10;
  return -1;
}

function badMac(s: unknown): Error {
  return unencodable(`not a MAC address: ${JSON.stringify(s)}`);
}
