import { Buffer } from 'node:buffer';
import { OFP_HEADER_LEN } from './header.js';
import { OfpError, badLength } from './ofp-error.js';
import { get16 } from './wire.js';

/**
 * Splits a byte stream into OpenFlow messages using the header's length field.
 *
 * A message that lies inside one chunk is returned as a subarray of that chunk (no copy); only a
 * message that spans chunks is assembled, into a buffer of exactly its length. So at most one
 * partial message (<= 65535 bytes) is held besides the chunk being processed. Version and type are
 * not checked here: that is the connection's business, and it needs the message to answer.
 */
export class Framer {
  // Header bytes of a message whose length is not yet known (fewer than 8 received).
  private readonly head = Buffer.alloc(OFP_HEADER_LEN);
  private headFill = 0;
  // The message being assembled once its length is known.
  private partial: Buffer | undefined;
  private partialFill = 0;
  // A framing error is permanent: the stream position is lost.
  private failure: OfpError | undefined;

  /** Bytes held for a message not yet complete. */
  get buffered(): number {
    return this.partial ? this.partialFill : this.headFill;
  }

  /** The framing error that ended this stream, if any. */
  get failed(): OfpError | undefined {
    return this.failure;
  }

  /**
   * Feeds bytes; returns the messages they complete, in order. A bad length throws OfpError
   * BAD_LENGTH, unless good messages preceded it in the chunk: those are returned (they are valid
   * and the peer is owed their handling) and `failed` is set; every later call throws.
   */
  push(chunk: Buffer): Buffer[] {
    if (this.failure) throw this.failure;
    const out: Buffer[] = [];
    let pos = 0;
    try {
      pos = this.continuePartial(chunk, out);
      while (chunk.length - pos >= OFP_HEADER_LEN) {
        const len = messageLength(chunk, pos);
        if (chunk.length - pos < len) break;
        out.push(chunk.subarray(pos, pos + len));
        pos += len;
      }
      if (pos < chunk.length) this.startPartial(chunk, pos);
    } catch (err) {
      if (!(err instanceof OfpError)) throw err;
      this.failure = err;
      if (out.length === 0) throw err;
    }
    return out;
  }

  /** Declares end of stream: fine between messages, OfpError TRUNCATED in the middle of one. */
  end(): void {
    if (this.failure) throw this.failure;
    const held = this.buffered;
    if (held > 0) {
      const expected = this.partial ? ` of ${this.partial.length}` : '';
      throw new OfpError('TRUNCATED', `EOF in the middle of a message (${held}${expected} bytes received)`);
    }
  }

  // Completes a message begun in earlier chunks; returns how much of `chunk` it used.
  private continuePartial(chunk: Buffer, out: Buffer[]): number {
    let pos = 0;
    if (this.headFill > 0) {
      pos = Math.min(OFP_HEADER_LEN - this.headFill, chunk.length);
      chunk.copy(this.head, this.headFill, 0, pos);
      this.headFill += pos;
      if (this.headFill < OFP_HEADER_LEN) return pos;
      const len = messageLength(this.head, 0);
      this.headFill = 0;
      this.partial = Buffer.allocUnsafe(len);
      this.head.copy(this.partial);
      this.partialFill = OFP_HEADER_LEN;
    }
    const p = this.partial;
    if (!p) return pos;
    const n = Math.min(p.length - this.partialFill, chunk.length - pos);
    chunk.copy(p, this.partialFill, pos, pos + n);
    this.partialFill += n;
    pos += n;
    if (this.partialFill === p.length) {
      out.push(p);
      this.partial = undefined;
      this.partialFill = 0;
    }
    return pos;
  }

  // Keeps the incomplete tail of `chunk`, copying it so the caller may reuse its chunk.
  private startPartial(chunk: Buffer, pos: number): void {
    const rest = chunk.length - pos;
    if (rest < OFP_HEADER_LEN) {
      chunk.copy(this.head, 0, pos);
      this.headFill = rest;
      return;
    }
    this.partial = Buffer.allocUnsafe(messageLength(chunk, pos));
    chunk.copy(this.partial, 0, pos);
    this.partialFill = rest;
  }
}

/** The length field of the header at `pos` (callers have checked that 8 bytes are there). */
function messageLength(buf: Buffer, pos: number): number {
  const len = get16(buf, pos + 2);
  if (len < OFP_HEADER_LEN) {
    const err = badLength(`message length field ${len} is less than the 8-byte header`);
    // The header is all there is of the bad message; the ERROR reply carries it and its xid.
    err.offending = Buffer.from(buf.subarray(pos, pos + OFP_HEADER_LEN));
    throw err;
  }
  return len;
}
