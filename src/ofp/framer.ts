import { Buffer } from 'node:buffer';
import { OFP_HEADER_LEN, messageLengthAt } from './header.js';
import { OfpError, badLength } from './ofp-error.js';

// Shared until a second run waits: most chunks make one run, and an idle queue holds no array.
const NO_LATER: Array<Buffer | number | undefined> = Object.freeze([]) as unknown as Array<Buffer | number | undefined>;

/**
 * Framed messages waiting to be handled, as runs: each run is whole messages lying back to back in
 * one buffer from a start to an end offset, read one by one through their length fields. A message
 * costs no object of its own: a connection reading 800 small messages per chunk made 800 Buffer
 * views a chunk before, a good share of its time per message (docs/DESIGN.md, "The path of a
 * message"). The oldest run lives in fields, so the usual chunk (one run) allocates nothing here
 * and a used-up run's buffer is let go at once.
 */
export class Runs {
  // The oldest run not yet used up (null: none).
  private buf: Buffer | null = null;
  private start = 0;
  private end = 0;
  // The runs after it: [buffer, start, end] each, from `laterHead` on.
  private later = NO_LATER;
  private laterHead = 0;
  private count = 0;

  get empty(): boolean {
    return this.buf === null;
  }

  /** Runs added since the last reset() (for pushRuns(): did a chunk add any). */
  get added(): number {
    return this.count;
  }

  add(buf: Buffer, start: number, end: number): void {
    this.count++;
    if (this.buf === null) {
      this.buf = buf;
      this.start = start;
      this.end = end;
      return;
    }
    if (this.later === NO_LATER) this.later = [];
    this.later.push(buf, start, end);
  }

  /** The buffer of the oldest run (where countSame() counted). Call only when not empty. */
  get headBuffer(): Buffer {
    return this.buf!;
  }

  /**
   * Takes the oldest message: returns its run's buffer, with the message's offset in `at` and its
   * length in `length` (read them before the next call). Call only when not empty.
   */
  next(): Buffer {
    const buf = this.buf!;
    this.at = this.start;
    this.length = messageLengthAt(buf, this.start);
    this.skip(this.length);
    return buf;
  }

  /** The offset of the message next() returned last. */
  at = 0;
  /** The length of the message next() returned last. */
  length = 0;

  /**
   * How many messages of `type` in `version` lie back to back at the head of the oldest run, within
   * `maxBytes` (the first counts whatever its size); sets `at` to where they start and `length` to
   * their bytes together, for skip(). Call only when not empty.
   */
  countSame(version: number, type: number, maxBytes: number): number {
    const buf = this.buf!;
    const start = this.start;
    const end = this.end;
    let pos = start;
    let n = 0;
    while (pos < end && buf[pos] === version && buf[pos + 1] === type) {
      const len = messageLengthAt(buf, pos);
      if (n > 0 && pos + len - start > maxBytes) break;
      pos += len;
      n++;
    }
    this.at = start;
    this.length = pos - start;
    return n;
  }

  /** Takes `bytes` of whole messages from the head of the oldest run (what countSame() measured). */
  skip(bytes: number): void {
    const next = this.start + bytes;
    if (next < this.end) {
      this.start = next;
      return;
    }
    const later = this.later;
    const h = this.laterHead;
    if (h >= later.length) {
      this.buf = null;
      return;
    }
    this.buf = later[h] as Buffer;
    this.start = later[h + 1] as number;
    this.end = later[h + 2] as number;
    later[h] = undefined;
    this.laterHead = h + 3;
  }

  /** Call when empty: starts counting added runs afresh and lets go of the array of later runs. */
  reset(): void {
    this.count = 0;
    if (this.later === NO_LATER) return;
    this.later = NO_LATER;
    this.laterHead = 0;
  }
}

/**
 * Splits a byte stream into OpenFlow messages using the header's length field.
 *
 * The whole messages that lie inside one chunk are one run of that chunk (no copy); only a message
 * that spans chunks is assembled, into a buffer of exactly its length. So at most one partial
 * message (<= 65535 bytes) is held besides the chunk being processed. Version and type are not
 * checked here: that is the connection's business, and it needs the message to answer.
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
  /** For push() only (a vconn brings its own queue to pushRuns()). */
  private scratch: Runs | null = null;

  /** Bytes held for a message not yet complete. */
  get buffered(): number {
    return this.partial ? this.partialFill : this.headFill;
  }

  /** The framing error that ended this stream, if any. */
  get failed(): OfpError | undefined {
    return this.failure;
  }

  /**
   * Feeds bytes; returns the messages they complete, in order, each a view of `chunk` (or, for one
   * that spanned chunks, a buffer of its own). A bad length throws OfpError BAD_LENGTH, unless good
   * messages preceded it in the chunk: those are returned (they are valid and the peer is owed
   * their handling) and `failed` is set; every later call throws.
   */
  push(chunk: Buffer): Buffer[] {
    const runs = (this.scratch ??= new Runs());
    runs.reset();
    this.pushRuns(chunk, runs);
    const out: Buffer[] = [];
    while (!runs.empty) {
      const buf = runs.next();
      out.push(buf.subarray(runs.at, runs.at + runs.length));
    }
    runs.reset();
    return out;
  }

  /**
   * push() without a view per message: adds the messages `chunk` completes to `runs` (at most two
   * runs: an assembled message, then the chunk's own whole messages). Throws like push(), and
   * likewise adds the good messages before a bad length, sets `failed` and returns.
   */
  pushRuns(chunk: Buffer, runs: Runs): void {
    if (this.failure) throw this.failure;
    const before = runs.added;
    let pos = 0;
    let start = 0;
    try {
      pos = this.continuePartial(chunk, runs);
      start = pos;
      while (chunk.length - pos >= OFP_HEADER_LEN) {
        const len = messageLength(chunk, pos);
        if (chunk.length - pos < len) break;
        pos += len;
      }
      if (pos > start) {
        runs.add(chunk, start, pos);
        start = pos;
      }
      if (pos < chunk.length) this.startPartial(chunk, pos);
    } catch (err) {
      if (!(err instanceof OfpError)) throw err;
      this.failure = err;
      // The whole messages before the bad length still count.
      if (pos > start) runs.add(chunk, start, pos);
      if (runs.added === before) throw err;
    }
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

  // Completes a message begun in earlier chunks (a run of its own); returns how much of `chunk` it used.
  private continuePartial(chunk: Buffer, runs: Runs): number {
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
      runs.add(p, 0, p.length);
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
  const len = messageLengthAt(buf, pos);
  if (len < OFP_HEADER_LEN) {
    const err = badLength(`message length field ${len} is less than the 8-byte header`);
    // The header is all there is of the bad message; the ERROR reply carries it and its xid.
    err.offending = Buffer.from(buf.subarray(pos, pos + OFP_HEADER_LEN));
    throw err;
  }
  return len;
}
