// Imported rather than the global, which Node serves through a getter on every use (~9 ns).
import { Buffer } from 'node:buffer';
import { OFP_MAX_MESSAGE_LEN, encode, versionName, type OfpMessage } from '../ofp/index.js';
import type { VconnLike } from '../vconn/types.js';
import { ConfigError, NotConnectedError, QueueFullError } from '../errors.js';
import type { Monitors } from './monitors.js';
import type { TxCounter } from './tx-counter.js';
import { TxQueue } from './tx-queue.js';

/** What the send path needs to know of its rconn, read at the moment of each call. */
export interface SendHost {
  /** The rconn's name, for error messages (it changes when connect() sets the target). */
  name(): string;
  /** The current connection, null between connections. */
  connection(): VconnLike | null;
  isClosed(): boolean;
  /** The negotiated version of the current connection. */
  negotiated(): number;
  /** For the "not connected" message. */
  stateName(): string;
  /** The path may have become full: the host re-evaluates whether to stop reading. */
  mayBeFull(): void;
}

/** The counters of `status()` this path moves. */
export interface SendCounters {
  txPackets: number;
  txBytes: number;
  refused: number;
  dropped: number;
}

export interface SendLimits {
  txqLimit: number;
  sendBudget: number;
}

/**
 * Everything between `send()` and the vconn: the common case encoded straight into the
 * connection's write buffer, otherwise a queue behind a full socket with the message and byte
 * limits (`txqLimit`, `sendBudget`) that refuse the application's messages, never the rconn's own.
 */
export class SendPath {
  private readonly txq = new TxQueue();
  /** The socket took the last write whole: the next message may go straight through. */
  private writable = true;
  /**
   * What the connection's backlog could still grow by before it passes `sendBudget`, as of when
   * its `sentBytes` was `roomSent` (NaN: look again). Everything queued on the connection since
   * counts against it; what the socket wrote meanwhile does not (so it only errs low), and it is
   * looked at again once low or after a drain. Asking the socket for its backlog twice per message
   * cost more than a small message's encoding.
   */
  private roomAt = NaN;
  private roomSent = 0;

  constructor(
    private readonly host: SendHost,
    private readonly limits: SendLimits,
    private readonly counters: SendCounters,
    private readonly monitors: Monitors,
  ) {}

  /** Messages and bytes held back behind a full socket. */
  get queued(): number {
    return this.txq.length;
  }

  get queuedBytes(): number {
    return this.txq.bytes;
  }

  /** A new connection: nothing is in the way of its first write. */
  reset(): void {
    this.writable = true;
    this.roomAt = NaN;
  }

  /** The application's message; throws ENOTCONN, EAGAIN (over a limit) or EINVAL (wrong version). */
  send(msg: OfpMessage | Buffer, counter: TxCounter | null, limit: number): void {
    if (!this.sendDirect(msg, counter, limit)) this.enqueue(this.prepare(msg), counter, limit);
  }

  /** A message past the limits (the rconn's own, a probe or an echo reply, are never refused): written, or queued if it must wait. */
  transmit(buf: Buffer, counter: TxCounter | null = null): void {
    this.monitors.tell('tx', buf);
    if (this.writable && this.txq.length === 0) {
      this.write(buf);
      return;
    }
    this.txq.push(buf, counter);
    this.host.mayBeFull();
  }

  /**
   * Answers the request at `buf[at]` (`length` bytes) in place with the same bytes under another
   * type (an ECHO_REPLY), built in the write buffer without decoding; false when it must take the
   * general path (a monitor wants the bytes, or something is queued ahead of it).
   */
  replyInPlace(conn: VconnLike, buf: Buffer, at: number, length: number, type: number): boolean {
    if (conn.sendAs === undefined || this.monitors.size > 0 || !this.writable || this.txq.length > 0) return false;
    this.counters.txPackets++;
    this.counters.txBytes += length;
    this.writable = conn.sendAs(buf, type, at, length);
    // Never refused, like every automatic reply: reading stops before they could overshoot.
    if (!this.writable || !(this.room(conn) >= OFP_MAX_MESSAGE_LEN)) this.lookAgain();
    return true;
  }

  /**
   * The socket drained: writes what waited. Returns whether anything had waited, which is
   * activity by Open vSwitch's rule (the peer acknowledged what was ahead of it).
   */
  drained(): boolean {
    this.writable = true;
    this.roomAt = NaN;
    const hadQueue = this.txq.length > 0;
    this.flush();
    return hadQueue;
  }

  /** Bytes waiting to be sent on this connection: what `sendBudget` bounds. */
  backlog(): number {
    return this.txq.bytes + (this.host.connection()?.sendBacklog?.() ?? 0);
  }

  // Full once one more largest message could go past the budget: automatic replies (an echo of
  // 64 KiB) are not refused like the application's, so reading stops before they could overshoot.
  full(): boolean {
    return this.txq.length >= this.limits.txqLimit || this.backlog() + OFP_MAX_MESSAGE_LEN > this.limits.sendBudget;
  }

  /** The connection ended: what waited is dropped and counted; returns how many. */
  drop(): number {
    const n = this.txq.drop();
    this.counters.dropped += n;
    this.writable = true;
    return n;
  }

  /**
   * The common case, encoded straight into the connection's write buffer: a message object, a
   * socket with room, nothing queued, no monitor that needs the bytes, and a backlog so far under
   * the budget that no message can exceed it. False: take the general path.
   */
  private sendDirect(msg: OfpMessage | Buffer, counter: TxCounter | null, limit: number): boolean {
    const conn = this.host.connection();
    if (conn === null || this.host.isClosed() || !this.writable || this.txq.length > 0 || this.monitors.size > 0
      || Buffer.isBuffer(msg) || msg.version !== this.host.negotiated() || (counter !== null && counter.queued >= limit)) return false;
    const sent = conn.sentBytes;
    if (sent === undefined) return false;
    // One message adds at most OFP_MAX_MESSAGE_LEN: with that much room it cannot pass the budget.
    // The room only errs low: before giving up on it, measure it afresh.
    if (!(this.room(conn) >= OFP_MAX_MESSAGE_LEN)) {
      this.roomAt = NaN;
      if (!(this.room(conn) >= OFP_MAX_MESSAGE_LEN)) return false;
    }
    this.writable = conn.send(msg);
    this.counters.txPackets++;
    this.counters.txBytes += conn.sentBytes! - sent;
    // Under a largest message's room: full() is true now, and the host stops reading.
    if (!this.writable || !(this.room(conn) >= OFP_MAX_MESSAGE_LEN)) this.lookAgain();
    return true;
  }

  /** The room left under the send budget (see roomAt); NaN when the connection cannot say. */
  private room(conn: VconnLike): number {
    const sent = conn.sentBytes;
    if (sent === undefined || conn.sendBacklog === undefined) return NaN;
    if (Number.isNaN(this.roomAt)) {
      this.roomAt = this.limits.sendBudget - this.txq.bytes - conn.sendBacklog();
      this.roomSent = sent;
    }
    return this.roomAt - (sent - this.roomSent);
  }

  /** The room is low or the socket full: the host looks at full() now, and the room is measured afresh. */
  private lookAgain(): void {
    this.roomAt = NaN;
    this.host.mayBeFull();
  }

  private prepare(msg: OfpMessage | Buffer): Buffer {
    const name = this.host.name();
    if (this.host.isClosed()) throw new NotConnectedError(`${name}: rconn is closed`);
    if (!this.host.connection()) throw new NotConnectedError(`${name}: not connected (state ${this.host.stateName()})`);
    if (Buffer.isBuffer(msg)) return msg;
    const negotiated = this.host.negotiated();
    if (msg.version !== negotiated) {
      throw new ConfigError(`${name}: message has OpenFlow version ${versionName(msg.version)}, connection negotiated ${versionName(negotiated)}`);
    }
    return encode(msg);
  }

  /** The application's messages: refused, and counted, over `txqLimit` or the counter's limit. */
  private enqueue(buf: Buffer, counter: TxCounter | null, limit: number): void {
    const name = this.host.name();
    const { txqLimit, sendBudget } = this.limits;
    const full = this.txq.length >= txqLimit;
    const overBudget = this.backlog() + buf.length > sendBudget;
    if (full || overBudget || (counter !== null && counter.queued >= limit)) {
      if (counter) counter.refused++;
      this.counters.refused++;
      throw new QueueFullError(full
        ? `${name}: send queue full (${txqLimit} messages)`
        : overBudget
          ? `${name}: send budget of ${sendBudget} bytes used up (${this.backlog()} bytes waiting)`
          : `${name}: ${counter!.queued} messages of this counter queued (limit ${limit})`);
    }
    this.transmit(buf, counter);
  }

  private write(buf: Buffer): void {
    this.counters.txPackets++;
    this.counters.txBytes += buf.length;
    // Respect the socket's backpressure: stop at the first false and wait for 'drain'.
    this.writable = this.host.connection()!.send(buf);
    this.host.mayBeFull();
  }

  private flush(): void {
    while (this.writable && this.host.connection() && this.txq.length > 0) this.write(this.txq.shift()!);
  }
}
