import type { Buffer } from 'node:buffer';
import { messageLengthAt } from '../ofp/index.js';
import type { TxCounter } from './tx-counter.js';

// Shared empty arrays until a message is held: most connections never hold one.
const NO_SIZES: number[] = Object.freeze([]) as unknown as number[];
const NO_COUNTERS: Array<TxCounter | null> = Object.freeze([]) as unknown as Array<TxCounter | null>;

/**
 * The ledger of messages held behind a full socket. The bytes themselves wait, in order, in the
 * connection's write buffer (one queue for the rconn's messages and the application's); here are
 * only their sizes and counters, for `status()`, `txqLimit`, `sendWithLimit()` and the count of
 * what a disconnect dropped. They all leave together when the socket drains.
 */

export class HeldMessages {
  private sizes: number[] = NO_SIZES;
  private counters: Array<TxCounter | null> = NO_COUNTERS;
  /** Bytes of the held messages. */
  bytes = 0;

  get length(): number {
    return this.sizes.length;
  }

  push(size: number, counter: TxCounter | null): void {
    if (this.sizes === NO_SIZES) {
      this.sizes = [];
      this.counters = [];
    }
    this.sizes.push(size);
    this.counters.push(counter);
    this.bytes += size;
    if (counter) { counter.queued++; counter.queuedBytes += size; }
  }

  /** Each of the messages back to back in `buf[at, at + length)`, sized from its header, with no counter. */
  pushRun(buf: Buffer, at: number, length: number): void {
    for (let p = at, end = at + length; p < end;) {
      const size = messageLengthAt(buf, p);
      this.push(size, null);
      p += size;
    }
  }

  /** The socket took them all: each is released from its counter. */
  release(): void {
    this.settle(false);
  }

  /** The connection ended with them unsent: each counts as dropped on its counter; returns how many. */
  drop(): number {
    const n = this.length;
    this.settle(true);
    return n;
  }

  private settle(dropped: boolean): void {
    for (let i = 0; i < this.sizes.length; i++) {
      const counter = this.counters[i];
      if (!counter) continue;
      counter.queued--;
      counter.queuedBytes -= this.sizes[i]!;
      if (dropped) counter.dropped++;
    }
    this.sizes = NO_SIZES;
    this.counters = NO_COUNTERS;
    this.bytes = 0;
  }
}
