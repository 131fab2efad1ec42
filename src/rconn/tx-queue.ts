import type { TxCounter } from './tx-counter.js';

/**
 * The messages an rconn holds back while the socket is full, in order, with the byte and
 * per-counter accounting that `status()` and `sendWithLimit()` read.
 */
export class TxQueue {
  private items: Array<{ buf: Buffer; counter: TxCounter | null }> = [];
  private head = 0;
  /** Bytes of the queued messages. */
  bytes = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(buf: Buffer, counter: TxCounter | null): void {
    this.items.push({ buf, counter });
    this.bytes += buf.length;
    if (counter) { counter.queued++; counter.queuedBytes += buf.length; }
  }

  /** The oldest message, released from its counter; undefined when empty. */
  shift(): Buffer | undefined {
    if (this.length === 0) return undefined;
    const item = this.items[this.head++]!;
    this.release(item.buf, item.counter);
    // Compact now and then rather than shift() an array per message.
    if (this.length === 0) { this.items = []; this.head = 0; }
    else if (this.head > 1024) { this.items = this.items.slice(this.head); this.head = 0; }
    return item.buf;
  }

  /** Empties the queue, counting every message as dropped on its counter; returns how many. */
  drop(): number {
    const n = this.length;
    for (let i = this.head; i < this.items.length; i++) {
      const { buf, counter } = this.items[i]!;
      this.release(buf, counter);
      if (counter) counter.dropped++;
    }
    this.items = [];
    this.head = 0;
    return n;
  }

  private release(buf: Buffer, counter: TxCounter | null): void {
    this.bytes -= buf.length;
    if (counter) { counter.queued--; counter.queuedBytes -= buf.length; }
  }
}
