import { decode, encode, type OfpMessage } from '../../src/ofp/index.js';
import type { KeepaliveResult } from '../../src/stream/types.js';
import type { VconnLike, VconnSink } from '../../src/vconn/types.js';

/** The union members whose `type` admits T (Extract fails on members typed 'A' | 'B'). */
export type MessageOf<T extends OfpMessage['type']> = OfpMessage extends infer M
  ? M extends { type: infer U } ? (T extends U ? M : never) : never
  : never;

/**
 * An in-memory connection whose keepalive support, transport idleness and socket backpressure the
 * test scripts (docs/DESIGN.md, "Testing").
 */
export class MemoryVconn implements VconnLike {
  readonly name: string;
  readonly version: number;
  keepaliveResult: KeepaliveResult = 0;
  readonly keepaliveCalls: number[] = [];
  /** What isIdle() answers: true while "the kernel has a keepalive probe outstanding". */
  idle = false;
  idleChecks = 0;
  /** What send() answers: false simulates a full socket buffer, which holds what is sent until drain(). */
  writable = true;
  /** What reached the socket, in order. */
  readonly sent: OfpMessage[] = [];
  /** What is held behind the full socket. */
  readonly held: OfpMessage[] = [];
  closed = false;
  private sink: VconnSink | null = null;

  constructor(version = 4, name = 'mem:peer') {
    this.version = version;
    this.name = name;
  }

  start(sink: VconnSink): void {
    this.sink = sink;
  }

  send(msg: OfpMessage | Buffer): boolean {
    if (this.closed) return false;
    (this.writable ? this.sent : this.held).push(Buffer.isBuffer(msg) ? decode(msg) : msg);
    return this.writable;
  }

  setKeepalive(maxIdleSeconds: number): KeepaliveResult {
    this.keepaliveCalls.push(maxIdleSeconds);
    return this.keepaliveResult;
  }

  isIdle(): boolean {
    this.idleChecks++;
    return this.idle;
  }

  /**
   * When set, keepaliveCheck() answers with it (a transport that knows when its kernel probes next,
   * e.g. test/support/keepalive-kernel.ts); null: keepaliveCheck() says it cannot tell, and the
   * rconn asks isIdle().
   */
  keepaliveModel: (() => { idle: boolean; nextProbeInMs?: number }) | null = null;

  keepaliveCheck(): { idle: boolean; nextProbeInMs?: number } | undefined {
    if (!this.keepaliveModel) return undefined;
    this.idleChecks++;
    return this.keepaliveModel();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.sink?.close(null);
  }

  // ---- the peer's side ----

  /** The peer sends `msg`. */
  receive(msg: OfpMessage): void {
    const raw = encode(msg);
    this.sink?.message(decode(raw), raw);
  }

  /** The socket fails or the peer closes. */
  fail(err: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.sink?.close(err);
  }

  /** The socket buffer emptied. */
  drain(): void {
    this.writable = true;
    this.sent.push(...this.held.splice(0));
    this.sink?.drain();
  }

  sentOfType<T extends OfpMessage['type']>(type: T): Array<MessageOf<T>> {
    return this.sent.filter((m): m is MessageOf<T> => m.type === type);
  }
}
