import type { HelloElement, HelloMessage } from './messages.js';
import { OFP_HEADER_LEN } from './header.js';
import { unencodable, roundUp8, writePadding, type Codec } from './wire.js';

const VERSIONBITMAP = 1;
const ELEMENT_HEADER_LEN = 4;

/**
 * HELLO is read leniently: whatever does not parse as a well-formed element becomes `trailing`, so
 * a peer's odd HELLO still negotiates (docs/DESIGN.md, "Version negotiation") and still re-encodes to the same bytes.
 */
export const helloCodec: Codec<HelloMessage> = {
  decode(buf, version, xid) {
    const elements: HelloElement[] = [];
    const end = buf.length;
    let pos = OFP_HEADER_LEN;
    while (end - pos >= ELEMENT_HEADER_LEN) {
      const type = buf.readUInt16BE(pos);
      const len = buf.readUInt16BE(pos + 2);
      if (len < ELEMENT_HEADER_LEN || pos + len > end) break;
      const padEnd = Math.min(pos + roundUp8(len), end);
      const element: HelloElement =
        type === VERSIONBITMAP && len % 4 === 0
          ? { type: 'VERSIONBITMAP', bitmaps: readWords(buf, pos + ELEMENT_HEADER_LEN, pos + len) }
          : { type, data: buf.subarray(pos + ELEMENT_HEADER_LEN, pos + len) };
      const pad = buf.subarray(pos + len, padEnd);
      if (padEnd - pos !== roundUp8(len) || pad.some((b) => b !== 0)) element.padding = pad;
      elements.push(element);
      pos = padEnd;
    }
    const msg: HelloMessage = { type: 'HELLO', version, xid, elements };
    if (pos < end) msg.trailing = buf.subarray(pos);
    return msg;
  },

  bodyLength(m) {
    let n = m.trailing?.length ?? 0;
    for (const e of m.elements) n += elementLength(e) + paddingLength(e);
    return n;
  },

  encodeBody(m, out) {
    let pos = OFP_HEADER_LEN;
    for (const e of m.elements) {
      const len = elementLength(e);
      if (len > 0xffff) throw unencodable('hello element longer than 65535 bytes');
      out.writeUInt16BE(e.type === 'VERSIONBITMAP' ? VERSIONBITMAP : e.type, pos);
      out.writeUInt16BE(len, pos + 2);
      if (e.type === 'VERSIONBITMAP') {
        e.bitmaps.forEach((w, i) => out.writeUInt32BE(w >>> 0, pos + ELEMENT_HEADER_LEN + 4 * i));
      } else {
        e.data.copy(out, pos + ELEMENT_HEADER_LEN);
      }
      const padLen = paddingLength(e);
      writePadding(out, pos + len, padLen, e.padding);
      pos += len + padLen;
    }
    m.trailing?.copy(out, pos);
  },
};

function readWords(buf: Buffer, start: number, end: number): number[] {
  const words: number[] = [];
  for (let p = start; p < end; p += 4) words.push(buf.readUInt32BE(p));
  return words;
}

function elementLength(e: HelloElement): number {
  return ELEMENT_HEADER_LEN + (e.type === 'VERSIONBITMAP' ? 4 * e.bitmaps.length : e.data.length);
}

function paddingLength(e: HelloElement): number {
  const len = elementLength(e);
  return e.padding ? e.padding.length : roundUp8(len) - len;
}

/**
 * Our HELLO: header version = highest allowed; a VERSIONBITMAP only when the set is not the
 * contiguous range 1..max, because that is exactly what the header alone already says (and what
 * Open vSwitch does, so peers that mishandle bitmaps keep working).
 */
export function makeHello(allowed: readonly number[], xid = 0): HelloMessage {
  const versions = [...new Set(allowed)].sort((a, b) => a - b);
  if (versions.length === 0 || versions[0]! < 1 || versions.some((v) => !Number.isInteger(v) || v > 0xff)) {
    throw unencodable(`bad set of versions for HELLO: ${JSON.stringify(allowed)}`);
  }
  const max = versions[versions.length - 1]!;
  const msg: HelloMessage = { type: 'HELLO', version: max, xid, elements: [] };
  if (versions.length !== max) {
    const bitmaps = new Array<number>((max >> 5) + 1).fill(0);
    for (const v of versions) bitmaps[v >> 5] = (bitmaps[v >> 5]! | (1 << (v & 31))) >>> 0;
    msg.elements.push({ type: 'VERSIONBITMAP', bitmaps });
  }
  return msg;
}

/** Versions announced by the first VERSIONBITMAP element, or undefined when there is none. */
export function helloVersions(msg: HelloMessage): number[] | undefined {
  for (const e of msg.elements) {
    if (e.type !== 'VERSIONBITMAP') continue;
    const versions: number[] = [];
    e.bitmaps.forEach((w, i) => {
      for (let bit = 0; bit < 32; bit++) if ((w >>> bit) & 1) versions.push(32 * i + bit);
    });
    // Bit 0 would be version 0, which does not exist.
    return versions.filter((v) => v !== 0);
  }
  return undefined;
}
