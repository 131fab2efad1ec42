/** Small helpers shared by the message codecs. */
import { Buffer } from 'node:buffer';
import { OfpError, badLength } from './ofp-error.js';

/** A message codec working on whole messages (header included); `xid`/`version` come from the header. */
export interface Codec<M> {
  decode(buf: Buffer, version: number, xid: number): M;
  /**
   * The same for a message lying in `buf` from `at` to `end` (a read chunk holding many), without a
   * view of it. Optional: the types a busy connection receives have it (decodeAt() in codec.ts
   * makes a view for the others).
   */
  decodeAt?(buf: Buffer, at: number, end: number, version: number, xid: number): M;
  /** Body length (without the 8-byte header) that encodeBody will write. */
  bodyLength(m: M): number;
  /** Writes the body into `out`, which holds exactly this message (header at 0, body from 8). */
  encodeBody(m: M, out: Buffer): void;
  /**
   * The same, for a message whose header starts at `out[at]` (a connection's write buffer holding
   * several). Optional: the types a busy connection sends have it, so that encodeInto makes no view
   * of the buffer per message; for the others encodeInto hands encodeBody a view.
   */
  encodeBodyAt?(m: M, out: Buffer, at: number): void;
}

/**
 * A codec written for any offset: its encodeBody is encodeBodyAt at 0, and given decodeAt rather
 * than decode, its decode is decodeAt over the whole buffer.
 */
export function codecAt<M>(
  c: Pick<Codec<M>, 'bodyLength'> & Required<Pick<Codec<M>, 'encodeBodyAt'>>
    & ({ decode: Codec<M>['decode']; decodeAt?: undefined } | { decode?: undefined; decodeAt: Required<Codec<M>>['decodeAt'] }),
): Codec<M> {
  const { decodeAt } = c;
  const decode = decodeAt === undefined ? c.decode! : (buf: Buffer, version: number, xid: number): M => decodeAt(buf, 0, buf.length, version, xid);
  return {
    decode, decodeAt, bodyLength: c.bodyLength, encodeBody: (m, out) => c.encodeBodyAt(m, out, 0), encodeBodyAt: c.encodeBodyAt,
  };
}

export function requireLength(buf: Buffer, min: number, what: string): void {
  if (buf.length < min) throw badLength(`${what} needs at least ${min} bytes, got ${buf.length}`);
}

/** requireLength() for a message lying from `at` to `end` of a larger buffer. */
export function requireSpan(at: number, end: number, min: number, what: string): void {
  if (end - at < min) throw badLength(`${what} needs at least ${min} bytes, got ${end - at}`);
}

/** The bytes, or undefined when they are all zero (the form builders use). */
export function nonZero(bytes: Buffer): Buffer | undefined {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== 0) return bytes;
  return undefined;
}

/**
 * Shared by every decoded empty payload: a zero-length Buffer has nothing to mutate, and a
 * subarray per message costs more than decoding an echo.
 */
export const EMPTY: Buffer = Buffer.alloc(0);

/** Rest of `buf` from `pos` (aliasing it), or EMPTY. */
export function rest(buf: Buffer, pos: number): Buffer {
  return pos < buf.length ? buf.subarray(pos) : EMPTY;
}

/** `buf` from `pos` to `end` (aliasing it), or EMPTY. */
export function restTo(buf: Buffer, pos: number, end: number): Buffer {
  return pos < end ? buf.subarray(pos, end) : EMPTY;
}

/** Rest of `buf` from `pos`, or undefined when nothing is left. */
export function restOrUndefined(buf: Buffer, pos: number): Buffer | undefined {
  return pos < buf.length ? buf.subarray(pos) : undefined;
}

/**
 * Writes `padding` (must be `len` bytes), or zeros: encode allocates uninitialised memory, so every
 * codec writes every byte of its body.
 */
export function writePadding(out: Buffer, pos: number, len: number, padding: Buffer | undefined): void {
  if (padding === undefined) {
    for (let i = pos; i < pos + len; i++) out[i] = 0;
    return;
  }
  if (padding.length !== len) throw unencodable(`padding must be ${len} bytes, got ${padding.length}`);
  padding.copy(out, pos);
}

/** Big-endian u16 without Buffer's range checks: callers pass values already checked to fit. */
export function put16(out: Buffer, pos: number, v: number): void {
  out[pos] = v >>> 8;
  out[pos + 1] = v;
}

/** Big-endian u32 without Buffer's range checks: callers pass values already reduced with `>>> 0`. */
export function put32(out: Buffer, pos: number, v: number): void {
  out[pos] = v >>> 24;
  out[pos + 1] = v >>> 16;
  out[pos + 2] = v >>> 8;
  out[pos + 3] = v;
}

/** Big-endian u32 read without Buffer's argument checks: callers have checked the length. */
export function get32(buf: Buffer, pos: number): number {
  return ((buf[pos]! << 24) | (buf[pos + 1]! << 16) | (buf[pos + 2]! << 8) | buf[pos + 3]!) >>> 0;
}

/** Big-endian u16, likewise. */
export function get16(buf: Buffer, pos: number): number {
  return (buf[pos]! << 8) | buf[pos + 1]!;
}

/**
 * `src.copy(out, at)` for the hot encoders; returns the bytes written. Buffer.copy's argument
 * checks cost more than copying a few bytes (an 8-byte action list, an empty payload: what
 * PACKET_OUTs carry); TypedArray set() does the same copy for a whole Buffer without them, and an
 * empty one costs nothing. Anything but a Buffer still goes through `src.copy`, so a wrong type
 * fails as it always did.
 */
export function copyBytes(src: Buffer, out: Buffer, at: number): number {
  if (!Buffer.isBuffer(src)) return (src as Buffer).copy(out, at);
  const n = src.length;
  // A few bytes (an action list of one output) are copied faster by hand than by set()'s call.
  if (n <= SMALL_COPY) {
    for (let i = 0; i < n; i++) out[at + i] = src[i]!;
  } else {
    out.set(src, at);
  }
  return n;
}

const SMALL_COPY = 16;

export function unencodable(message: string): OfpError {
  return new OfpError('UNENCODABLE', message);
}

export function roundUp8(n: number): number {
  return (n + 7) & ~7;
}

/** A match Buffer given to an encoder must carry its own padding. */
export function checkPaddedMatch(match: Buffer): void {
  if (match.length < 8 || match.length !== roundUp8(match.readUInt16BE(2))) {
    throw unencodable('match must be an ofp_match including its padding to a multiple of 8 bytes');
  }
}
