/** Small helpers shared by the message codecs. */
import { Buffer } from 'node:buffer';
import { OfpError, badLength } from './ofp-error.js';

/** A message codec working on whole messages (header included); `xid`/`version` come from the header. */
export interface Codec<M> {
  decode(buf: Buffer, version: number, xid: number): M;
  /** Body length (without the 8-byte header) that encodeBody will write. */
  bodyLength(m: M): number;
  encodeBody(m: M, out: Buffer): void;
}

export function requireLength(buf: Buffer, min: number, what: string): void {
  if (buf.length < min) throw badLength(`${what} needs at least ${min} bytes, got ${buf.length}`);
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

/** Big-endian u32 without Buffer's range checks: callers pass values already reduced with `>>> 0`. */
export function put32(out: Buffer, pos: number, v: number): void {
  out[pos] = v >>> 24;
  out[pos + 1] = v >>> 16;
  out[pos + 2] = v >>> 8;
  out[pos + 3] = v;
}

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
