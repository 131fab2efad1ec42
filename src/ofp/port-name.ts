/**
 * Port names: 16 bytes, UTF-8 up to the first NUL (OFP_MAX_PORT_NAME_LEN). Read in place from the
 * message, and checked for an exact re-encoding without encoding, because both run for every port
 * of every FEATURES_REPLY and the usual name is a few ASCII bytes followed by zeros.
 */
import { Buffer } from 'node:buffer';
import type { OfpPort } from './messages.js';

export const PORT_NAME_LEN = 16;

/**
 * Sets `port.name` from the 16 bytes at `at` (UTF-8 up to the first NUL), and `port.nameBytes` to
 * those bytes when writePortName would not give them back exactly.
 */
export function readPortName(buf: Buffer, at: number, port: OfpPort): void {
  const limit = at + PORT_NAME_LEN;
  const asciiEnd = asciiNameEnd(buf, at);
  let nul = asciiEnd;
  if (asciiEnd >= 0) {
    port.name = asciiString(buf, at, asciiEnd);
  } else {
    nul = at;
    while (nul < limit && buf[nul] !== 0) nul++;
    port.name = buf.toString('utf8', at, nul);
  }
  // A name filling all 16 bytes (no NUL), bytes after the NUL and invalid UTF-8 (decoded to U+FFFD)
  // never survive re-encoding.
  if (nul === limit || !zeroFrom(buf, nul, limit) || (asciiEnd < 0 && !reencodes(port.name, buf.subarray(at, limit)))) {
    port.nameBytes = buf.subarray(at, limit);
  }
}

function zeroFrom(buf: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (buf[i] !== 0) return false;
  return true;
}

function reencodes(name: string, bytes: Buffer): boolean {
  const b = Buffer.alloc(PORT_NAME_LEN);
  writePortName(name, b, 0);
  return b.equals(bytes);
}

/**
 * The name as UTF-8 (whole characters only, at most 15 bytes), NUL-terminated and zero-padded to
 * 16 bytes at `at`: the field is a C string, so Open vSwitch writes at most 15 characters.
 */
export function writePortName(name: string, out: Buffer, at: number): void {
  let n = 0;
  if (name.length < PORT_NAME_LEN) {
    for (; n < name.length; n++) {
      const c = name.charCodeAt(n);
      if (c > 0x7f) break;
      out[at + n] = c;
    }
  }
  if (n < name.length) n = out.write(name, at, PORT_NAME_LEN - 1, 'utf8');
  for (; n < PORT_NAME_LEN; n++) out[at + n] = 0;
}

/** Index of the name's NUL (or of its end when it has none), or -1 when a byte before it is not ASCII. */
function asciiNameEnd(buf: Buffer, at: number): number {
  const limit = at + PORT_NAME_LEN;
  for (let i = at; i < limit; i++) {
    const c = buf[i]!;
    if (c === 0) return i;
    if (c > 0x7f) return -1;
  }
  return limit;
}

const chars = String.fromCharCode;

/**
 * ASCII bytes [a, end) as a string. One String.fromCharCode call per 8 bytes makes a flat string
 * directly: about three times faster here than Buffer#toString or adding characters one by one.
 */
function asciiString(b: Buffer, a: number, end: number): string {
  switch (end - a) {
    case 0: return '';
    case 1: return chars(b[a]!);
    case 2: return chars(b[a]!, b[a + 1]!);
    case 3: return chars(b[a]!, b[a + 1]!, b[a + 2]!);
    case 4: return chars(b[a]!, b[a + 1]!, b[a + 2]!, b[a + 3]!);
    case 5: return chars(b[a]!, b[a + 1]!, b[a + 2]!, b[a + 3]!, b[a + 4]!);
    case 6: return chars(b[a]!, b[a + 1]!, b[a + 2]!, b[a + 3]!, b[a + 4]!, b[a + 5]!);
    case 7: return chars(b[a]!, b[a + 1]!, b[a + 2]!, b[a + 3]!, b[a + 4]!, b[a + 5]!, b[a + 6]!);
    case 8: return chars(b[a]!, b[a + 1]!, b[a + 2]!, b[a + 3]!, b[a + 4]!, b[a + 5]!, b[a + 6]!, b[a + 7]!);
    default: return asciiString(b, a, a + 8) + asciiString(b, a + 8, end);
  }
}
