/**
 * The bytes a connection sends in one turn of the event loop, encoded back to back into one buffer
 * and handed to the socket in one write (docs/DESIGN.md, "The path of a message"): no buffer per
 * message and no concatenation. The buffer is small at first (Node's pool serves it), doubles as a
 * turn needs, and is kept for the next turn only while the kernel takes each turn's bytes at once
 * (and, past the first size, while the turns fill it), so a request/reply connection reuses
 * one small buffer, a connection that never sends holds none, and a busy one allocates none.
 */
// Imported rather than the global, which Node serves through a getter on every use (~9 ns).
import { Buffer } from 'node:buffer';
import type { Duplex } from 'node:stream';
import { encode, encodeInto, messageLengthAt, type OfpMessage } from '../ofp/index.js';

const FIRST_SIZE = 1024;
const KEEP_MAX = 64 * 1024;
const NO_BYTES = Buffer.alloc(0);
// Up to this many bytes a copy by hand is cheaper than Buffer#copy's call.
const SMALL_COPY = 64;

export class WriteBuffer {
  private buf: Buffer = NO_BYTES;
  // The view of `viewOf` last written (see writeTo()).
  private view: Buffer = NO_BYTES;
  private viewOf: Buffer = NO_BYTES;
  /** Bytes queued for this turn. */
  fill = 0;

  /** Appends a message, encoded in place (a message that does not fit is encoded alone, then copied). */
  encode(msg: OfpMessage): void {
    const n = encodeInto(msg, this.buf, this.fill);
    if (n >= 0) this.fill += n;
    else this.append(encode(msg));
  }

  append(bytes: Buffer): void {
    bytes.copy(this.room(bytes.length), this.fill);
    this.fill += bytes.length;
  }

  /**
   * Appends a copy of the message of `n` bytes at `src[from]` with its version and type bytes
   * replaced: a reply built in place.
   */
  appendAs(src: Buffer, from: number, n: number, version: number, type: number): void {
    const at = this.copyIn(src, from, n);
    this.buf[at] = version;
    this.buf[at + 1] = type;
  }

  /** appendAs() for the messages back to back in `src[from, from + n)`: one copy, then each header patched. */
  appendRunAs(src: Buffer, from: number, n: number, version: number, type: number): void {
    const at = this.copyIn(src, from, n);
    // After copyIn(): it may have moved to a larger buffer.
    const buf = this.buf;
    for (let p = at, end = at + n; p < end; p += messageLengthAt(buf, p)) {
      buf[p] = version;
      buf[p + 1] = type;
    }
  }

  /** Appends the `n` bytes at `src[from]`; returns where they start. */
  private copyIn(src: Buffer, from: number, n: number): number {
    const at = this.fill;
    const buf = this.room(n);
    // By hand up to SMALL_COPY bytes (an echo is 8): Buffer#copy spends ~50 ns on argument checks
    // and TypedArray#set wants a view of the source, which costs as much to make.
    if (n <= SMALL_COPY) {
      for (let i = 0; i < n; i++) buf[at + i] = src[from + i]!;
    } else {
      src.copy(buf, at, from, from + n);
    }
    this.fill = at + n;
    return at;
  }

  /** Writes this turn's bytes to `duplex` (`written` once it has them); returns write()'s answer. Call only with fill > 0. */
  writeTo(duplex: Duplex, written?: () => void): boolean {
    const buf = this.buf;
    const fill = this.fill;
    this.fill = 0;
    // A request/reply connection writes the same number of bytes from the same buffer turn after
    // turn: its view is made once. Reusing it is safe because the buffer is kept only when the
    // kernel took the last write whole, so the socket holds no reference to the old view.
    let view = this.view;
    if (view.length !== fill || this.viewOf !== buf) {
      view = this.view = buf.subarray(0, fill);
      this.viewOf = buf;
    }
    const accepted = duplex.write(view, written);
    // Nothing left in the socket's buffer: the kernel took our bytes during write(), so the buffer
    // is free again. Otherwise the socket holds it and the next turn starts a new one. A large one
    // is kept only while the turns fill it; the first size always (a request/reply connection
    // would otherwise take a new one from the pool per message).
    if (!(duplex.writableLength === 0 && buf.length <= KEEP_MAX && (buf.length <= FIRST_SIZE || fill * 4 >= buf.length))) this.release();
    return accepted;
  }

  private release(): void {
    this.buf = NO_BYTES;
    this.view = NO_BYTES;
    this.viewOf = NO_BYTES;
  }

  /** This turn's bytes (null when none); the buffer is given up for good. */
  take(): Buffer | null {
    if (this.fill === 0) return null;
    const bytes = this.buf.subarray(0, this.fill);
    this.release();
    this.fill = 0;
    return bytes;
  }

  /** The buffer, with room for `n` more bytes. */
  private room(n: number): Buffer {
    const need = this.fill + n;
    if (need <= this.buf.length) return this.buf;
    const grown = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2, FIRST_SIZE));
    this.buf.copy(grown, 0, 0, this.fill);
    this.buf = grown;
    return grown;
  }
}
