/**
 * Fixed-layout structures described as data: the many cold OpenFlow structs (stats entries, port
 * and table mods, config messages...) are field lists, decoded and encoded by one pair of loops
 * instead of a hand-written reader and writer each, so that a layout is written once and cannot
 * disagree with itself. Pad bytes are kept (all pad runs of a struct concatenated, in order) as
 * `padding` only when not all zero, as everywhere in the codec.
 */
import { Buffer } from 'node:buffer';
import { badLength } from './ofp-error.js';
import { macString, writeMac } from './mac.js';
import { get16, get32, put32, roundUp8, unencodable } from './wire.js';

/** A field: its name in the decoded object, and its wire form. `pad` fields have no name. */
export type FieldKind = 'u8' | 'u16' | 'u32' | 'u64' | 'mac' | { pad: number } | { str: number };
export type Layout = readonly (readonly [name: string, kind: FieldKind])[];

export interface Struct {
  readonly size: number;
  /**
   * Reads the fields at `pos` into `into`; the caller has checked that `size` bytes are there (so
   * the reads skip Buffer's argument checks).
   */
  read(buf: Buffer, pos: number, into: Record<string, unknown>): void;
  write(obj: Record<string, unknown>, out: Buffer, pos: number): void;
}

export const PAD = (n: number): FieldKind => ({ pad: n });
export const STR = (n: number): FieldKind => ({ str: n });

function kindSize(k: FieldKind): number {
  if (typeof k === 'object') return 'pad' in k ? k.pad : k.str;
  return k === 'u8' ? 1 : k === 'u16' ? 2 : k === 'u32' ? 4 : k === 'u64' ? 8 : 6;
}

export function struct(layout: Layout): Struct {
  const size = layout.reduce((n, [, k]) => n + kindSize(k), 0);
  const padLen = layout.reduce((n, [, k]) => n + (typeof k === 'object' && 'pad' in k ? k.pad : 0), 0);
  return {
    size,
    read(buf, pos, into) {
      let at = pos;
      let pads: Buffer[] | undefined;
      for (const [name, k] of layout) {
        if (typeof k === 'object') {
          if ('pad' in k) {
            for (let i = at; i < at + k.pad; i++) {
              if (buf[i] !== 0) { pads = []; break; }
            }
            at += k.pad;
          } else {
            readString(buf, at, k.str, name, into);
            at += k.str;
          }
          continue;
        }
        switch (k) {
          case 'u8': into[name] = buf[at]; at += 1; break;
          case 'u16': into[name] = get16(buf, at); at += 2; break;
          case 'u32': into[name] = get32(buf, at); at += 4; break;
          case 'u64': into[name] = buf.readBigUInt64BE(at); at += 8; break;
          default: into[name] = macString(get16(buf, at), get32(buf, at + 2)); at += 6;
        }
      }
      if (pads) {
        // A second walk only in the rare case of non-zero padding.
        at = pos;
        for (const [, k] of layout) {
          if (typeof k === 'object' && 'pad' in k) pads.push(buf.subarray(at, at + k.pad));
          at += kindSize(k);
        }
        into['padding'] = pads.length === 1 ? pads[0] : Buffer.concat(pads);
      }
    },
    write(obj, out, pos) {
      const padding = obj['padding'] as Buffer | undefined;
      if (padding !== undefined && padding.length !== padLen) {
        throw unencodable(`padding must be ${padLen} bytes, got ${padding.length}`);
      }
      let at = pos;
      let padAt = 0;
      for (const [name, k] of layout) {
        if (typeof k === 'object') {
          if ('pad' in k) {
            if (padding) padding.copy(out, at, padAt, padAt + k.pad);
            else out.fill(0, at, at + k.pad);
            padAt += k.pad;
            at += k.pad;
          } else {
            writeString(obj, name, k.str, out, at);
            at += k.str;
          }
          continue;
        }
        const v = obj[name];
        switch (k) {
          case 'u8': out[at] = num(v, name, 0xff); at += 1; break;
          case 'u16': out.writeUInt16BE(num(v, name, 0xffff), at); at += 2; break;
          case 'u32': put32(out, at, num(v, name, 0xffffffff)); at += 4; break;
          case 'u64': out.writeBigUInt64BE(BigInt.asUintN(64, big(v, name)), at); at += 8; break;
          default: writeMac(v as string, out, at); at += 6;
        }
      }
    },
  };
}

/** Missing optional numbers encode as 0 (what builders leave out); anything else must fit. */
function num(v: unknown, name: string, max: number): number {
  if (v === undefined) return 0;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) {
    throw unencodable(`${name} must be an integer 0..${max}, got ${String(v)}`);
  }
  return v;
}

function big(v: unknown, name: string): bigint {
  if (v === undefined) return 0n;
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  throw unencodable(`${name} must be a bigint, got ${String(v)}`);
}

/**
 * Fixed-size NUL-padded text: UTF-8 up to the first NUL. When those bytes would not come back from
 * the string (junk after the NUL, invalid UTF-8, no NUL and a cut character), `<name>Bytes` keeps them.
 */
function readString(buf: Buffer, at: number, len: number, name: string, into: Record<string, unknown>): void {
  let nul = at;
  const end = at + len;
  while (nul < end && buf[nul] !== 0) nul++;
  const s = buf.toString('utf8', at, nul);
  into[name] = s;
  const back = Buffer.alloc(len);
  back.write(s, 0, len, 'utf8');
  if (!back.equals(buf.subarray(at, end))) into[`${name}Bytes`] = buf.subarray(at, end);
}

function writeString(obj: Record<string, unknown>, name: string, len: number, out: Buffer, at: number): void {
  const raw = obj[`${name}Bytes`] as Buffer | undefined;
  if (raw !== undefined) {
    if (raw.length !== len) throw unencodable(`${name}Bytes must be ${len} bytes`);
    raw.copy(out, at);
    return;
  }
  const s = obj[name] ?? '';
  if (typeof s !== 'string') throw unencodable(`${name} must be a string`);
  const n = out.write(s, at, len, 'utf8');
  out.fill(0, at + n, at + len);
}

// ---- TLV property lists (1.4+): type u16, length u16 (without padding), padded to 8 bytes ----

/** A property kept as bytes: `data` is what follows the 4-byte type/length header. */
export interface OfpProperty {
  type: number;
  data: Buffer;
  /** The pad bytes up to the next multiple of 8, when not all zero. */
  padding?: Buffer;
}

/** Reads properties from `pos` to `end`, each padded to 8; a property running past `end` is BAD_LENGTH. */
export function readProperties(buf: Buffer, pos: number, end: number, what: string): OfpProperty[] {
  const props: OfpProperty[] = [];
  let at = pos;
  while (at < end) {
    if (at + 4 > end) throw badLength(`${what}: ${end - at} stray bytes after its properties`);
    const len = buf.readUInt16BE(at + 2);
    const padded = roundUp8(len);
    if (len < 4 || at + padded > end) throw badLength(`${what}: property length ${len} does not fit`);
    const p: OfpProperty = { type: buf.readUInt16BE(at), data: buf.subarray(at + 4, at + len) };
    if (padded > len && buf.subarray(at + len, at + padded).some((b) => b !== 0)) p.padding = buf.subarray(at + len, at + padded);
    props.push(p);
    at += padded;
  }
  return props;
}

export function propertiesLength(props: readonly OfpProperty[] | undefined): number {
  let n = 0;
  if (props) for (const p of props) n += roundUp8(4 + p.data.length);
  return n;
}

export function writeProperties(props: readonly OfpProperty[] | undefined, out: Buffer, pos: number): number {
  let at = pos;
  if (!props) return 0;
  for (const p of props) {
    const len = 4 + p.data.length;
    const padded = roundUp8(len);
    if (len > 0xffff) throw unencodable(`property of ${len} bytes is over 65535`);
    out.writeUInt16BE(p.type, at);
    out.writeUInt16BE(len, at + 2);
    p.data.copy(out, at + 4);
    if (p.padding) {
      if (p.padding.length !== padded - len) throw unencodable(`property padding must be ${padded - len} bytes`);
      p.padding.copy(out, at + len);
    } else {
      out.fill(0, at + len, at + padded);
    }
    at += padded;
  }
  return at - pos;
}

/** `n` at most 0xffff, for the u16 length fields encoders fill in. */
export function u16Length(n: number, what: string): number {
  if (n > 0xffff) throw unencodable(`${what} would be ${n} bytes, over 65535`);
  return n;
}

/** Bytes `[pos, pos+len)` must be inside `buf`. */
export function need(buf: Buffer, pos: number, len: number, what: string): void {
  if (pos + len > buf.length) throw badLength(`${what} needs ${len} bytes at offset ${pos}, message has ${buf.length}`);
}
