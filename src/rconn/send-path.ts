// Imported rather than the global, which Node serves through a getter on every use (~9 ns).
import { Buffer } from 'node:buffer';
import { OFP_MAX_MESSAGE_LEN, encode, versionName, type OfpMessage } from '../ofp/index.js';
import type { VconnLike } from '../vconn/types.js';
import { ConfigError, NotConnectedError, QueueFullError } from '../errors.js';
import type { Monitors } from './monitors.js';
import type { TxCounter } from './tx-counter.js';
import { HeldMessages } from './held-messages.js';

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
 * Everything between `send()` and the vconn. Every message is encoded straight into the
 * connection's write buffer, which is the only queue: behind a full socket the vconn holds the
 * bytes, in order, and this path keeps their ledger, with the message and byte limits (`txqLimit`,
 * `sendBudget`) that refuse the application's messages, never the rconn's own.
 */
export class SendPath {
  private readonly held = new HeldMessages();
  /**
   * What `roomConn`'s backlog could still grow by before it passes `sendBudget`, as of when its
   * `sentBytes` was `roomSent` (NaN: measure again). Everything queued on the connection since
   * counts against it; what the socket wrote meanwhile does not, so it only errs low; it is
   * measured afresh once low, after a drain, or on another connection. Asking the socket for its
   * backlog twice per message cost more than encoding a small message.
   */
  private roomAt = NaN;
  private roomSent = 0;
  private roomConn: VconnLike | null = null;

  constructor(
    private readonly host: SendHost,
    private readonly limits: SendLimits,
    private readonly counters: SendCounters,
    private readonly monitors: Monitors,
  ) {}

  /** Messages held behind a full socket. */
  get queued(): number {
    return this.held.length;
  }

  get queuedBytes(): number {
    return this.held.bytes;
  }

  /** The application's message; throws ENOTCONN, EAGAIN (over a limit) or EINVAL (wrong version). */
  send(msg: OfpMessage | Buffer, counter: TxCounter | null, limit: number): void {
    const conn = this.host.connection();
    if (conn === null || this.host.isClosed()) this.notConnected();
    if (!Buffer.isBuffer(msg) && msg.version !== this.host.negotiated()) this.wrongVersion(msg.version);
    if (this.held.length >= this.limits.txqLimit) this.refuse(counter, `send queue full (${this.limits.txqLimit} messages)`);
    if (counter !== null && counter.queued >= limit) this.refuse(counter, `${counter.queued} messages of this counter queued (limit ${limit})`);
    // The common case, encoded in place: no monitor needs the bytes, and the backlog is so far
    // under the budget that no message can exceed it (the room only errs low: measured afresh
    // before it is given up on).
    if (!Buffer.isBuffer(msg) && this.monitors.size === 0 && (this.room(conn) >= OFP_MAX_MESSAGE_LEN || this.roomNow(conn) >= OFP_MAX_MESSAGE_LEN)) {
      const sent = sentOf(conn);
      const accepted = conn.send(msg);
      this.admitted(accepted, sentOf(conn) - sent, counter, this.room(conn) >= OFP_MAX_MESSAGE_LEN);
      return;
    }
    const budget = this.limits.sendBudget;
    const before = conn.sendBacklog?.() ?? 0;
    const buf = Buffer.isBuffer(msg) ? msg : encode(msg);
    if (before + buf.length > budget) this.refuse(counter, `send budget of ${budget} bytes used up (${before} bytes waiting)`);
    this.transmit(buf, counter);
  }

  /** A message past the limits (the rconn's own, a probe or an echo reply, are never refused). */
  transmit(buf: Buffer, counter: TxCounter | null = null): void {
    const conn = this.host.connection();
    if (conn === null) return;
    this.monitors.tell('tx', buf);
    this.admitted(conn.send(buf), buf.length, counter, false);
  }

  /**
   * Answers the request at `buf[at]` (`length` bytes) in place with the same bytes under another
   * type (an ECHO_REPLY), built in the write buffer without decoding; false when it must take the
   * general path (a monitor wants the bytes).
   */
  replyInPlace(conn: VconnLike, buf: Buffer, at: number, length: number, type: number): boolean {
    if (conn.sendAs === undefined || this.monitors.size > 0) return false;
    const accepted = conn.sendAs(buf, type, at, length);
    // Never refused, like every automatic reply: reading stops before they could overshoot.
    this.admitted(accepted, length, null, this.room(conn) >= OFP_MAX_MESSAGE_LEN);
    return true;
  }

  /**
   * replyInPlace() for `count` requests back to back in `buf[at, at + length)`; false also when the
   * send budget has no room for them all (one by one, reading would pause in between).
   */
  replyRunInPlace(conn: VconnLike, buf: Buffer, at: number, length: number, count: number, type: number): boolean {
    if (conn.sendRunAs === undefined || this.monitors.size > 0 || this.room(conn) < length + OFP_MAX_MESSAGE_LEN) return false;
    const accepted = conn.sendRunAs(buf, type, at, length);
    // Behind a full socket: held, each on its own in the ledger.
    if (!accepted) this.held.pushRun(buf, at, length);
    this.counted(accepted, count, length, this.room(conn) >= OFP_MAX_MESSAGE_LEN);
    return true;
  }

  /**
   * The socket drained and took what was held. Returns whether anything had been held, which is
   * activity by Open vSwitch's rule (the peer acknowledged what was ahead of it).
   */
  drained(): boolean {
    this.roomAt = NaN;
    const n = this.held.length;
    if (n === 0) return false;
    this.counters.txPackets += n;
    this.counters.txBytes += this.held.bytes;
    this.held.release();
    return true;
  }

  /** Bytes waiting to be sent on this connection (held or in the socket's buffer): what `sendBudget` bounds. */
  backlog(): number {
    return this.host.connection()?.sendBacklog?.() ?? 0;
  }

  // Full once one more largest message could go past the budget: automatic replies (an echo of
  // 64 KiB) are not refused like the application's, so reading stops before they could overshoot.
  full(): boolean {
    return this.held.length >= this.limits.txqLimit || this.backlog() + OFP_MAX_MESSAGE_LEN > this.limits.sendBudget;
  }

  /**
   * `conn` ended. What it held was written as it closed (our close) or discarded with it (a failed
   * socket); the discarded messages are counted dropped. Returns how many.
   */
  drop(conn: VconnLike): number {
    if (this.held.length > 0 && conn.discardedBytes?.() === 0) {
      this.drained();
      return 0;
    }
    const n = this.held.drop();
    this.counters.dropped += n;
    return n;
  }

  private notConnected(): never {
    const name = this.host.name();
    if (this.host.isClosed()) throw new NotConnectedError(`${name}: rconn is closed`);
    throw new NotConnectedError(`${name}: not connected (state ${this.host.stateName()})`);
  }

  private wrongVersion(version: number): never {
    throw new ConfigError(`${this.host.name()}: message has OpenFlow version ${versionName(version)}, connection negotiated ${versionName(this.host.negotiated())}`);
  }

  private refuse(counter: TxCounter | null, why: string): never {
    if (counter) counter.refused++;
    this.counters.refused++;
    throw new QueueFullError(`${this.host.name()}: ${why}`);
  }

  /**
   * One message went into the connection's write buffer; not `accepted`, it is held there behind
   * the full socket until it drains. `roomLeft`: the caller knows the budget cannot be reached yet
   * (another largest message fits under it).
   */
  private admitted(accepted: boolean, bytes: number, counter: TxCounter | null, roomLeft: boolean): void {
    if (!accepted) this.held.push(bytes, counter);
    this.counted(accepted, 1, bytes, roomLeft);
  }

  /** `count` messages of `bytes` together went into the write buffer (held already in the ledger when not `accepted`). */
  private counted(accepted: boolean, count: number, bytes: number, roomLeft: boolean): void {
    // Counted as sent (txPackets) once the socket has them: a held message may yet be dropped.
    if (accepted) {
      this.counters.txPackets += count;
      this.counters.txBytes += bytes;
    }
    if (!accepted || !roomLeft) {
      this.roomAt = NaN;
      this.host.mayBeFull();
    }
  }

  /** The room left under the send budget on `conn` (see roomAt); measured each time when it has no `sentBytes`. */
  private room(conn: VconnLike): number {
    const sent = conn.sentBytes;
    if (sent === undefined) return this.limits.sendBudget - (conn.sendBacklog?.() ?? 0);
    if (Number.isNaN(this.roomAt) || conn !== this.roomConn) {
      this.roomAt = this.limits.sendBudget - (conn.sendBacklog?.() ?? 0);
      this.roomSent = sent;
      this.roomConn = conn;
    }
    return this.roomAt - (sent - this.roomSent);
  }

  /** room(), measured afresh. */
  private roomNow(conn: VconnLike): number {
    this.roomAt = NaN;
    return this.room(conn);
  }
}

/** A count that grows by exactly what a send() queues: `sentBytes`, or else the backlog. */
function sentOf(conn: VconnLike): number {
  return conn.sentBytes ?? conn.sendBacklog?.() ?? 0;
}
