// Imported rather than the global, which Node serves through a getter on every use (~9 ns).
import { Buffer } from 'node:buffer';
import {
  Framer, OfpError, Runs, decodeAt, encode, errorReplyFor, makeHello, versionName, type OfpMessage,
} from '../ofp/index.js';
import { openStream } from '../stream/index.js';
import type { KeepaliveResult, Stream, TlsOptions } from '../stream/types.js';
import { VconnError } from '../errors.js';
import { signalOption, tlsOption } from '../validate.js';
import { helloRefusal, judgeHello, normalizeVersions, type PeerOffer } from './negotiate.js';
import { MESSAGE_COST, ReadShare } from './fair-read.js';
import { WriteBuffer } from './write-buffer.js';
import { ERROR_REPLY_BURST, ERROR_REPLY_RATE, ReplyRate } from './reply-rate.js';
import type { VconnLike, VconnSink } from './types.js';

export interface VconnOptions {
  /** OpenFlow versions we accept (1 = 1.0 ... 6 = 1.5). @default [1, 2, 3, 4, 5, 6] */
  versions?: readonly number[];
  /** Cancels the HELLO exchange (and the connect, for {@link Vconn.open}). */
  signal?: AbortSignal;
  /** TLS settings for `ssl:` targets. */
  tls?: TlsOptions;
}

// Types 0-3 (HELLO, ERROR, ECHO_REQUEST, ECHO_REPLY) are numbered alike in every version and may
// legitimately carry another version (OVS accepts them too), so they skip the version check.
const VERSION_AGNOSTIC_MAX_TYPE = 3;
// How long a closing connection waits for the peer's FIN before it is destroyed.
const CLOSE_GRACE_MS = 100;
const OFPT_ECHO_REQUEST = 2;
// ofp_error_type HELLO_FAILED: 0 in every version.
const OFPET_HELLO_FAILED = 0;
const NO_BYTES = Buffer.alloc(0);
// One turn's batch that says "full" by itself. The socket's own buffer says "full" at its
// high-water mark; this turn's batch does not count towards that, since the kernel usually takes
// it whole when it leaves: an owner that stopped at 16 KiB of replies would hold back the rest of
// a burst for no reason (the rconn's send budget bounds both anyway).
const WRITE_TURN_MAX = 256 * 1024;
// Node reads a socket into 64 KiB buffers: a chunk this large says the socket had more.
const FULL_READ = 64 * 1024;
// The replies a vconn lets wait for the end of its turn (or its next fair share) at most.
const DEFER_MAX = 32 * 1024;

/**
 * How handlePending() runs: NORMAL, within this turn's fair share and while nothing asks to wait;
 * ENDING, the peer closed: no fair share (nothing more will come), still respecting the pauses;
 * AFTER_CLOSE, start() on a vconn the peer's bytes already ended: every good message, then the close.
 */
const NORMAL = 0;
const ENDING = 1;
const AFTER_CLOSE = 2;
type HandleMode = typeof NORMAL | typeof ENDING | typeof AFTER_CLOSE;

/**
 * An OpenFlow connection over a stream (docs/DESIGN.md, "Version negotiation"): sends HELLO at once, negotiates the version, then
 * frames and decodes messages. `Vconn.open()` / `Vconn.accept()` resolve once the HELLO exchange is
 * done; `start(sink)` begins delivery.
 */
export class Vconn implements VconnLike {
  readonly name: string;
  readonly stream: Stream;
  readonly allowedVersions: readonly number[];
  /** The known versions (1.0..1.5) the peer's HELLO offered. */
  peerVersions: number[] = [];
  /** The peer's whole offer in bounded form: known versions as a bitmask, the rest summarized. */
  peerOffer: PeerOffer = { mask: 0, otherCount: 0, otherHighest: 0 };
  private negotiated = 0;
  private readonly framer = new Framer();
  private sink: VconnSink | null = null;
  /**
   * Framed but not handled yet: behind the peer's HELLO before start(), while the owner pauses,
   * while our error replies wait for the socket, or beyond this turn's fair share. The one queue
   * of the receive side: reading from the socket stops while anything waits in it. It holds runs
   * of each chunk's messages, not a view per message.
   */
  private readonly pending = new Runs();
  /** handlePending() is on the stack: a resume() from inside a handler lets that loop go on. */
  private handling = false;
  /** Something was sent while handling: handlePending() writes it when it is done. */
  private flushAfterHandling = false;
  /** The chunk being handled filled the read buffer: another read likely follows in this loop turn. */
  private moreToRead = false;
  /** A flush waits for this turn's check phase (see handlePending). */
  private flushScheduled = false;
  private closed = false;
  /**
   * Outgoing messages, written together on the next tick; while the socket is full they stay here,
   * in order, until it drains: the only send queue between the application and the socket.
   */
  private readonly out = new WriteBuffer();
  /** send() returned false: the sink must hear drain() once there is room. */
  private owesDrain = false;
  /** Bytes accepted by send()/sendAs() and our own replies since we opened. */
  private sent = 0;
  /** Bytes accepted by send() that a failed connection never handed to the socket. */
  private discarded = 0;
  /** requestDrain(): the sink hears drain() once the socket has taken everything. */
  private owesEmpty = false;
  /** The socket's buffer reached its high-water mark at our last write; cleared by 'drain'. */
  private socketFull = false;
  private ownerPaused = false;
  private repliesBlocked = false;
  private readPaused = false;
  private closeError: Error | null = null;
  private settleHello: { resolve: () => void; reject: (e: Error) => void } | null = null;
  private readonly socketClosed: Promise<void>;
  private readonly share = new ReadShare();
  /** Waiting for a turn with a share left (see fair-read.ts). */
  private fairParked = false;
  private readonly replyRate = new ReplyRate();
  /** Unacked bytes when the connection ended (undefined: unknown, or still open). */
  private unackedAtClose: number | undefined;

  /**
   * Connects to an active target (`tcp:`, `ssl:`, `unix:`) and negotiates. Bad options reject with
   * ConfigError before any socket is opened.
   */
  static async open(target: string, options: VconnOptions = {}): Promise<Vconn> {
    checkVconnOptions(options);
    const stream = await openStream(target, { tls: options.tls, signal: options.signal });
    return Vconn.accept(stream, options);
  }

  /** Negotiates over an already connected stream (an accepted one, or one you opened yourself). */
  static async accept(stream: Stream, options: VconnOptions = {}): Promise<Vconn> {
    let vconn: Vconn;
    try {
      checkVconnOptions(options);
      vconn = new Vconn(stream, options.versions);
    } catch (err) {
      // The stream is ours now: a refused option must not leave a connected socket behind.
      stream.destroy();
      throw err;
    }
    await vconn.hello(options.signal);
    return vconn;
  }

  private constructor(stream: Stream, versions: readonly number[] | undefined) {
    this.stream = stream;
    this.name = stream.name;
    this.allowedVersions = normalizeVersions(versions);
    stream.duplex.on('data', this.onData);
    stream.duplex.on('end', this.onEnd);
    stream.duplex.on('error', this.onError);
    stream.duplex.on('close', this.onClose);
    stream.duplex.on('drain', this.onDrain);
    this.socketClosed = new Promise((resolve) => {
      const done = (): void => resolve();
      if (stream.socket.destroyed && stream.duplex.destroyed) done();
      else stream.duplex.once('close', done);
    });
  }

  get version(): number {
    return this.negotiated;
  }

  /** Our highest allowed version: what we speak before (or without) a negotiated one. */
  private get highestVersion(): number {
    return this.allowedVersions[this.allowedVersions.length - 1]!;
  }

  start(sink: VconnSink): void {
    if (this.sink) throw new Error(`${this.name}: vconn already started`);
    this.sink = sink;
    if (this.closed) {
      // The peer's bytes ended the connection before anyone started us (a bad length right behind
      // good messages in one chunk): the good messages still come first, then the close.
      this.guardedHandle(AFTER_CLOSE);
      sink.close(this.closeError);
      return;
    }
    // A failure while delivering has told the sink already (fail() closes a started vconn's sink).
    this.guardedHandle(NORMAL);
  }

  /**
   * Queues a message. Everything sent in one turn of the event loop leaves in a single write (one
   * system call for a burst of replies, no added latency), encoded straight into one write buffer.
   * Returns false when the socket's buffer is at its high-water mark: the message is held, in
   * order with every later one, until the socket drains; the sink hears drain() once the held
   * messages are handed to the socket. Holding never refuses: the owner bounds it (the rconn's
   * limits). close() still writes what is held; a failed connection discards it (discardedBytes()).
   */
  send(msg: OfpMessage | Buffer): boolean {
    if (this.closed) return false;
    const before = this.out.fill;
    if (Buffer.isBuffer(msg)) this.out.append(msg);
    else this.out.encode(msg);
    return this.queued(before);
  }

  /** sendAs() for the messages back to back in `buf[at, at + length)`: one copy, each header patched. */
  sendRunAs(buf: Buffer, type: number, at: number, length: number): boolean {
    if (this.closed) return false;
    const before = this.out.fill;
    this.out.appendRunAs(buf, at, length, this.negotiated, type);
    return this.queued(before);
  }

  /**
   * Queues a copy of the message at `buf[at]` (`length` bytes; by default all of `buf`) as a reply
   * of type `type` in the negotiated version (same xid and payload): an automatic reply built in
   * the write buffer, with no buffer of its own.
   */
  sendAs(buf: Buffer, type: number, at = 0, length = buf.length - at): boolean {
    if (this.closed) return false;
    const before = this.out.fill;
    this.out.appendAs(buf, at, length, this.negotiated, type);
    return this.queued(before);
  }

  /** After appending to a write buffer that held `before` bytes: schedules the write; false when the message is held. */
  private queued(before: number): boolean {
    this.sent += this.out.fill - before;
    // The socket's length only grows by our flushes within a turn: its state from the last one holds.
    if (this.socketFull) {
      this.owesDrain = true;
      return false;
    }
    // Sent while we handle received messages (a reply, or a handler's send): the handling loop
    // writes when it is done, which saves scheduling a tick per batch.
    if (before === 0) {
      if (this.handling) this.flushAfterHandling = true;
      else process.nextTick(this.flush);
    }
    if (this.out.fill >= WRITE_TURN_MAX) this.flush();
    return true;
  }

  private readonly deferredFlush = (): void => {
    this.flushScheduled = false;
    if (this.handling || !this.flushAfterHandling) return;
    this.flushAfterHandling = false;
    this.flush();
  };

  // A full socket keeps what it has in Node's buffer; ours waits here for 'drain' rather than pile
  // up behind it, so a disconnect can count what never left and the owner's limits see one queue.
  private readonly flush = (): void => {
    if (this.closed || this.out.fill === 0 || this.socketFull) return;
    // A write with a callback costs Node a tick and an object: asked for only while one is owed.
    const accepted = this.out.writeTo(this.stream.duplex, this.owesEmpty ? this.checkEmpty : undefined);
    this.socketFull = !accepted;
    // What was held is with the socket now, even if that filled it again: the sink counts it sent.
    if (this.owesDrain) {
      this.owesDrain = false;
      this.sink?.drain();
    }
    if (accepted) this.unblockReplies();
  };

  setKeepalive(maxIdleSeconds: number): KeepaliveResult {
    return this.stream.setKeepalive(maxIdleSeconds);
  }

  isIdle(): boolean {
    return this.stream.isIdle();
  }

  keepaliveCheck(): { idle: boolean; nextProbeInMs?: number } | undefined {
    return this.stream.keepaliveCheck?.();
  }

  /** Closes the socket; resolves when it is closed. */
  close(): Promise<void> {
    this.fail(null);
    return this.socketClosed;
  }

  /** Bytes accepted by send()/sendAs() (and our own error replies) since the vconn opened. */
  get sentBytes(): number {
    return this.sent;
  }

  /** Bytes accepted by send() that are not yet with the kernel: this turn's batch plus the socket's buffer. */
  sendBacklog(): number {
    return this.closed ? 0 : this.out.fill + this.stream.duplex.writableLength;
  }

  requestDrain(): void {
    if (this.closed || this.owesEmpty) return;
    this.owesEmpty = true;
    if (this.out.fill > 0) return; // the flush passes checkEmpty
    const duplex = this.stream.duplex;
    if (duplex.writableLength === 0) process.nextTick(this.checkEmpty);
    // Our last write, still in progress, went without a callback: an empty one completes after it.
    else if (!this.socketFull) duplex.write(NO_BYTES, this.checkEmpty);
  }

  // Called when a write made while owed completes, and on 'drain': a socket whose write returned
  // true but went on writing in the background emits no 'drain' when it empties.
  private readonly checkEmpty = (): void => {
    if (!this.owesEmpty || this.closed || this.out.fill > 0 || this.stream.duplex.writableLength > 0) return;
    this.owesEmpty = false;
    this.sink?.drain();
  };

  /** Bytes accepted by send() that never reached the socket: 0 while open and after close(), which writes them. */
  discardedBytes(): number {
    return this.discarded;
  }

  /**
   * Bytes we sent that the peer's TCP has not acknowledged ("possibly lost"): live while open, the
   * count taken at the moment of closing afterwards. Undefined when unknown (see Stream.unackedBytes).
   */
  unackedBytes(): number | undefined {
    return this.closed ? this.unackedAtClose : this.stream.unackedBytes?.();
  }

  /** Stops reading (backpressure towards the peer) until resume(). */
  pause(): void {
    this.ownerPaused = true;
    this.applyReadPause();
  }

  resume(): void {
    this.ownerPaused = false;
    this.resumeHandling();
  }

  // Reading stops while anything waits in `pending`: the owner paused, our own error replies wait
  // for the socket (a peer that floods us with bad messages and never reads must not grow our
  // buffers without end), this turn's share is used up, or nobody has started us yet.
  private applyReadPause(): void {
    if (this.closed) return;
    const stop = this.ownerPaused || this.repliesBlocked || this.fairParked || !this.pending.empty;
    if (stop === this.readPaused) return;
    this.readPaused = stop;
    if (stop) this.stream.duplex.pause();
    else this.stream.duplex.resume();
  }

  /** A reason to wait went away: what waits is handled (unless a loop already on the stack will). */
  private resumeHandling(): void {
    if (this.handling) return;
    this.guardedHandle(NORMAL);
  }

  private hello(signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => this.fail(new VconnError('ABORTED', `${this.name}: HELLO exchange aborted`));
      this.settleHello = {
        resolve: () => { signal?.removeEventListener('abort', onAbort); resolve(); },
        reject: (e) => { signal?.removeEventListener('abort', onAbort); reject(e); },
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.stream.duplex.write(encode(makeHello(this.allowedVersions)));
    });
  }

  private readonly onData = (chunk: Buffer): void => {
    if (this.closed) return;
    this.moreToRead = chunk.length >= FULL_READ;
    try {
      this.framer.pushRuns(chunk, this.pending);
    } catch (err) {
      // A length field < 8 desynchronizes the stream (framer.failed): handled once the queue is empty.
      if (!(err instanceof OfpError)) return this.internalFailure(err);
    }
    this.guardedHandle(NORMAL);
  };

  /** A new turn gave this connection a share. */
  private readonly onTurn = (): void => {
    this.fairParked = false;
    this.resumeHandling();
  };

  /**
   * Every path that runs on the peer's bytes (negotiation, decoding, automatic replies, delivery)
   * runs inside this: an unexpected throw ends this connection with VconnError EINTERNAL and never
   * leaves the socket callback, where it would take the process down.
   */
  private guardedHandle(mode: HandleMode): void {
    try {
      this.handlePending(mode);
    } catch (err) {
      this.internalFailure(err);
    }
  }

  private internalFailure(err: unknown): void {
    const text = err instanceof Error ? err.message : String(err);
    this.fail(new VconnError('EINTERNAL', `${this.name}: unexpected error while handling the peer's data (connection dropped): ${text}`, { cause: err }));
  }

  /**
   * Handles queued messages in order while nothing asks to wait, as far as this turn's fair share
   * goes (see HandleMode for the other modes). The messages handled in one call arrive at one
   * instant for the sink (chunkStart/chunkEnd).
   */
  private handlePending(mode: HandleMode): void {
    const sink = this.sink;
    const pending = this.pending;
    const afterClose = mode === AFTER_CLOSE;
    let allowance = mode === NORMAL ? -1 : Infinity;
    let spent = 0;
    this.handling = true;
    sink?.chunkStart?.();
    try {
      while (!pending.empty && (afterClose || !this.closed)) {
        if (this.negotiated === 0) {
          if (this.closed) break;
          const buf = pending.next();
          this.receiveHello(buf.subarray(pending.at, pending.at + pending.length));
          continue;
        }
        if (sink === null || (!afterClose && (this.ownerPaused || this.repliesBlocked))) break;
        if (allowance < 0) allowance = this.share.allowance();
        if (spent >= allowance) {
          this.parkForFairness();
          break;
        }
        // Echo requests back to back (a peer probing, or pipelining them), answered in one step
        // when the sink can: one copy and one accounting for the run instead of one per message.
        if (sink.echoRun !== undefined) {
          const count = pending.countSame(this.negotiated, OFPT_ECHO_REQUEST, allowance - spent);
          if (count > 1 && sink.echoRun(pending.headBuffer, pending.at, pending.length, count)) {
            spent += pending.length + count * MESSAGE_COST;
            pending.skip(pending.length);
            continue;
          }
        }
        const buf = pending.next();
        const length = pending.length;
        spent += length + MESSAGE_COST;
        this.deliver(buf, pending.at, length);
      }
    } finally {
      this.handling = false;
      if (spent > 0 && mode === NORMAL) this.share.spend(spent);
      sink?.chunkEnd?.();
      // A connection parked for its fair share writes when it resumes (within this turn's check
      // phase), with the replies to the rest of its chunk: one write per chunk rather than two
      // (a write costs as much as tens of messages), and its replies wait no longer than it does.
      // Likewise a connection whose read filled Node's buffer: more is already waiting, read in
      // this same turn (libuv reads a socket until a short read), and its replies join this batch
      // in the turn's check phase. A short read writes at once: a request/reply peer waits for it.
      // Only a small batch waits: a write of DEFER_MAX is worth its system call already, and a
      // write buffer grown further (by doubling) would hold more memory than the bytes in it.
      if (this.flushAfterHandling) {
        const wait = this.out.fill < DEFER_MAX && (this.fairParked || (this.moreToRead && mode === NORMAL));
        if (!wait) {
          this.flushAfterHandling = false;
          this.flush();
        } else if (!this.fairParked && !this.flushScheduled) {
          this.flushScheduled = true;
          setImmediate(this.deferredFlush);
        }
      }
    }
    const empty = pending.empty;
    if (empty) pending.reset();
    // The good messages before a bad length are handled first; unstarted, they wait for start(),
    // which delivers them after the close.
    if (this.framer.failed && !this.closed && (empty || this.sink === null)) this.protocolFailure(this.framer.failed);
    this.applyReadPause();
  }

  private parkForFairness(): void {
    if (this.fairParked) return;
    this.fairParked = true;
    this.share.park(this.onTurn);
  }

  private receiveHello(raw: Buffer): void {
    const verdict = judgeHello(raw, this.allowedVersions, this.highestVersion);
    if (verdict.peerVersions !== undefined) {
      this.peerVersions = verdict.peerVersions;
      this.peerOffer = verdict.offer!;
    }
    if (!verdict.ok) {
      if (verdict.reply) this.sendBestEffort(verdict.reply);
      this.fail(new VconnError(verdict.code, `${this.name}: ${verdict.text}`, verdict.cause === undefined ? undefined : { cause: verdict.cause }));
      return;
    }
    this.negotiated = verdict.version;
    const settle = this.settleHello;
    this.settleHello = null;
    settle?.resolve();
  }

  /** The message at `buf[at]`, `length` bytes: a view of it is made only where one is needed. */
  private deliver(buf: Buffer, at: number, length: number): void {
    const sink = this.sink!;
    // The header straight from the bytes (the framer guarantees 8 of them); decode reads it again.
    const version = buf[at]!;
    const type = buf[at + 1]!;
    if (version !== this.negotiated && type > VERSION_AGNOSTIC_MAX_TYPE) {
      const raw = buf.subarray(at, at + length);
      const err = new OfpError('BAD_VERSION',
        `${this.name}: received version ${versionName(version)} message on a ${versionName(this.negotiated)} connection`,
        'BAD_REQUEST', 'BAD_VERSION', this.negotiated);
      this.sendBestEffort(errorReplyFor(err, raw, this.negotiated));
      sink.rejected?.(err, raw);
      return;
    }
    // Handled from its bytes alone (an automatic echo reply): never decoded.
    if (sink.peek?.(type, buf, at, length) === true) return;
    let msg: OfpMessage;
    try {
      msg = decodeAt(buf, at, length);
    } catch (err) {
      // The codec reports bad input as OfpError; anything else is a bug, for the guard to contain.
      if (!(err instanceof OfpError)) throw err;
      const raw = buf.subarray(at, at + length);
      if (err.ofpError) this.sendBestEffort(errorReplyFor(err, raw, this.negotiated));
      sink.rejected?.(err as Error, raw);
      return;
    }
    if (msg.type === 'ERROR' && msg.errorType === OFPET_HELLO_FAILED) {
      // A peer may accept our HELLO first and refuse it right after (os-ken: "unsupported version
      // ..."), then close: its text is the reason the connection ends, not an ordinary message.
      this.fail(new VconnError('EHELLOFAILED', `${this.name}: ${helloRefusal(buf.subarray(at, at + length))}`));
      return;
    }
    if (sink.messageAt !== undefined) sink.messageAt(msg, buf, at, length);
    else sink.message(msg, buf.subarray(at, at + length));
  }

  private readonly onEnd = (): void => {
    try {
      // What waited for a fair share comes before the end of the stream.
      if (this.fairParked) {
        this.fairParked = false;
        this.share.unpark(this.onTurn);
      }
      this.handlePending(ENDING);
      if (this.closed) return;
      try {
        this.framer.end();
      } catch (err) {
        this.fail(new VconnError('ETRUNCATED', `${this.name}: connection closed in the middle of a message`, { cause: err }));
        return;
      }
      const during = this.negotiated ? '' : ' during the HELLO exchange';
      this.fail(new VconnError('EOF', `${this.name}: connection closed by peer${during}`));
    } catch (err) {
      this.internalFailure(err);
    }
  };

  private readonly onError = (err: Error): void => this.guardedFail(err);
  private readonly onClose = (): void => this.guardedFail(new VconnError('EOF', `${this.name}: connection closed`));
  // fail() tells the owner, whose handlers run inside this socket callback too.
  private guardedFail(err: Error): void {
    try {
      this.fail(err);
    } catch (e) {
      this.internalFailure(e);
    }
  }

  private readonly onDrain = (): void => {
    if (this.closed) return;
    this.socketFull = false;
    // What was held goes now.
    if (this.out.fill > 0) this.flush();
    else this.unblockReplies();
    this.checkEmpty();
  };

  /** The socket has room: our own error replies may flow again, and so may reading. */
  private unblockReplies(): void {
    if (!this.repliesBlocked) return;
    this.repliesBlocked = false;
    this.resumeHandling();
  }

  private protocolFailure(err: Error): void {
    if (err instanceof OfpError && err.ofpError) {
      this.sendBestEffort(errorReplyFor(err, err.offending ?? NO_BYTES, this.negotiated || this.highestVersion));
    }
    this.fail(new VconnError('EPROTO', `${this.name}: ${err.message}`, { cause: err }));
  }

  /**
   * Sends a reply of our own (an OFPT_ERROR); a full socket stops reading until it drains, and a
   * peer that provokes replies faster than ERROR_REPLY_RATE is disconnected (EFLOOD).
   */
  private sendBestEffort(msg: OfpMessage): void {
    if (!this.replyRate.take()) {
      this.fail(new VconnError('EFLOOD', `${this.name}: peer provoked error replies faster than ${ERROR_REPLY_RATE}/s (burst ${ERROR_REPLY_BURST})`));
      return;
    }
    if (!this.send(msg) && !this.repliesBlocked) {
      this.repliesBlocked = true;
      this.applyReadPause();
    }
  }

  private gracefulEnd(duplex: Stream['duplex']): void {
    const out = this.out.take();
    if (out !== null) duplex.write(out);
    duplex.end();
    const t = setTimeout(() => this.stream.destroy(), CLOSE_GRACE_MS);
    t.unref();
    duplex.once('close', () => clearTimeout(t));
  }

  /** Single exit path: records the first error, tears the stream down, tells whoever waits. */
  private fail(err: Error | null): void {
    if (this.closed) return;
    // Before we tear anything down; a socket the kernel already closed kept its last count.
    const streamUnacked = this.stream.unackedBytes?.();
    this.unackedAtClose = streamUnacked === undefined ? undefined : streamUnacked + this.out.fill;
    this.closed = true;
    this.closeError = err;
    if (this.fairParked) this.share.unpark(this.onTurn);
    const duplex = this.stream.duplex;
    duplex.off('data', this.onData);
    duplex.off('end', this.onEnd);
    duplex.off('close', this.onClose);
    duplex.off('drain', this.onDrain);
    // Keep a no-op error listener: a late socket error must not become an uncaught exception.
    duplex.off('error', this.onError);
    duplex.on('error', () => {});
    // Write what this turn queued and end() rather than destroy: what we sent last (a reply, the
    // HELLO_FAILED text) still reaches the peer. A peer that does not close in turn is cut off soon.
    // Cancelled by our side (AbortSignal, the owner's close() during HELLO): nothing is owed to the
    // peer, and the owner expects the socket gone at once.
    if (duplex.destroyed || (err instanceof VconnError && err.code === 'ABORTED')) {
      this.discarded = this.out.take()?.length ?? 0;
      this.stream.destroy();
    } else {
      this.gracefulEnd(duplex);
    }
    const settle = this.settleHello;
    this.settleHello = null;
    if (settle) settle.reject(err ?? new VconnError('ABORTED', `${this.name}: closed during the HELLO exchange`));
    else this.sink?.close(err);
  }
}

function checkVconnOptions(options: VconnOptions): void {
  normalizeVersions(options.versions, 'Vconn');
  tlsOption('Vconn', options.tls);
  signalOption('Vconn', options.signal);
}
