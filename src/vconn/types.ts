import type { OfpMessage } from '../ofp/index.js';
import type { KeepaliveResult } from '../stream/types.js';

/** Where a vconn delivers what it receives. A callback object, not an EventEmitter: one consumer. */
export interface VconnSink {
  /** A decoded message of the negotiated version (`raw` is its wire bytes, a zero-copy view). */
  message(msg: OfpMessage, raw: Buffer): void;
  /**
   * Optional, called instead of `message`: the message with its wire bytes where they lie,
   * `buf[at]` to `buf[at + length]` (the read chunk), so a sink that needs no Buffer of them makes
   * no view per message. Same rules: copy the bytes to keep them.
   */
  messageAt?(msg: OfpMessage, buf: Buffer, at: number, length: number): void;
  /**
   * A message that arrived but was not delivered (bad version, undecodable body); an OFPT_ERROR was
   * already sent back. It still proves the peer is alive.
   */
  rejected?(err: Error, raw: Buffer): void;
  /**
   * Called before decoding, with the message's type and bytes (`buf[at]` to `buf[at + length]`):
   * true means the sink handled the message from its bytes alone (it is then not decoded, nor
   * given to `message`).
   */
  peek?(type: number, buf: Buffer, at: number, length: number): boolean;
  /**
   * `count` (>= 2) ECHO_REQUESTs of the negotiated version lying back to back in `buf[at, at +
   * length)`, offered together: true means the sink answered them all from their bytes (an
   * automatic reply per request, in order); false, they come one by one through peek/message.
   */
  echoRun?(buf: Buffer, at: number, length: number, count: number): boolean;
  /**
   * The messages of one chunk read from the socket come between chunkStart() and chunkEnd(): they
   * arrived at one instant, so one clock reading serves them all.
   */
  chunkStart?(): void;
  chunkEnd?(): void;
  /**
   * Everything held since `send()` returned false has been handed to the socket (which may be full
   * again), or the socket has taken everything, as `requestDrain()` asked.
   */
  drain(): void;
  /** The connection is gone. `null` when we closed it ourselves. Called exactly once. */
  close(err: Error | null): void;
}

/**
 * The narrow interface an Rconn drives (nats.js style: the rconn depends on this, not on sockets, so
 * tests can script a connection in memory).
 */
export interface VconnLike {
  readonly name: string;
  /** The negotiated OpenFlow version. */
  readonly version: number;
  /** Starts delivery: messages that arrived together with the peer's HELLO first, then live ones. */
  start(sink: VconnSink): void;
  /**
   * Queues a message for the socket, in order. False: the socket's buffer is full, and this message
   * is held (with every later one) until `sink.drain()`, when they are handed to the socket.
   */
  send(msg: OfpMessage | Buffer): boolean;
  /**
   * Queues a copy of the message at `buf[at]` (`length` bytes; default: all of `buf`) with the
   * negotiated version and type `type` (an automatic reply); like send().
   */
  sendAs?(buf: Buffer, type: number, at?: number, length?: number): boolean;
  /** sendAs() for the messages lying back to back in `buf[at, at + length)`: each copied with the version and `type`. */
  sendRunAs?(buf: Buffer, type: number, at: number, length: number): boolean;
  setKeepalive(maxIdleSeconds: number): KeepaliveResult;
  isIdle(): boolean;
  /** Stops delivering (and reading from the socket) until resume(): backpressure towards the peer. */
  pause?(): void;
  resume?(): void;
  /** Bytes accepted by send() that the socket has not yet handed to the kernel; counts against the send budget. */
  sendBacklog?(): number;
  /** `sink.drain()` follows once the socket has handed everything sent so far to the kernel. */
  requestDrain?(): void;
  /** Bytes accepted by send() that the closed connection discarded, never handed to the socket (0 when it wrote them all). */
  discardedBytes?(): number;
  /**
   * Bytes accepted by send() and sendAs() (and the vconn's own replies) since it opened: what one
   * send added, read as a difference, without asking the socket (see SendPath).
   */
  readonly sentBytes?: number;
  /**
   * Bytes sent that the peer's TCP has not acknowledged; after close, the count taken as it
   * closed. Undefined when unknown.
   */
  unackedBytes?(): number | undefined;
  /** See Stream.keepaliveCheck: isIdle() plus the time until the next keepalive probe. */
  keepaliveCheck?(): { idle: boolean; nextProbeInMs?: number } | undefined;
  /**
   * Closes the connection; `sink.close(null)` follows if started. Idempotent. May return a promise
   * that settles once the socket is really gone (what `Rconn.close()` waits for).
   */
  close(): void | Promise<void>;
}

/** Opens a negotiated connection to `target`, or fails with a typed error. */
export type Connector = (target: string, signal: AbortSignal) => Promise<VconnLike>;
