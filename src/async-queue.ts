/**
 * A FIFO feeding an async iterator (one consumer at a time). Crossing the high-water mark calls
 * `onHigh` (the rconn pauses the socket) and draining below half calls `onLow`; nothing is
 * dropped. Used for `Rconn.messages()` and the accept loops of `Pvconn` and `RconnListener`.
 */
export class AsyncQueue<T> {
  private items: T[] = [];
  private head = 0;
  private waiter: ((r: IteratorResult<T>) => void) | null = null;
  private ended = false;
  private high = false;

  constructor(
    private readonly highWater = Infinity,
    private readonly onHigh: () => void = () => {},
    private readonly onLow: () => void = () => {},
  ) {}

  get length(): number {
    return this.items.length - this.head;
  }

  /** An iterator is waiting for the next item. */
  get waiting(): boolean {
    return this.waiter !== null;
  }

  push(item: T): void {
    if (this.ended) return;
    const w = this.waiter;
    if (w) {
      this.waiter = null;
      w({ done: false, value: item });
      return;
    }
    this.items.push(item);
    if (!this.high && this.length >= this.highWater) {
      this.high = true;
      this.onHigh();
    }
  }

  end(): void {
    this.ended = true;
    const w = this.waiter;
    this.waiter = null;
    w?.({ done: true, value: undefined });
  }

  async *iterate(): AsyncIterableIterator<T> {
    for (;;) {
      if (this.length > 0) {
        const item = this.items[this.head++]!;
        if (this.head > 1024 && this.head * 2 > this.items.length) {
          this.items = this.items.slice(this.head);
          this.head = 0;
        }
        if (this.high && this.length <= this.highWater / 2) {
          this.high = false;
          this.onLow();
        }
        yield item;
        continue;
      }
      if (this.ended) return;
      const r = await new Promise<IteratorResult<T>>((resolve) => { this.waiter = resolve; });
      if (r.done) return;
      yield r.value;
    }
  }
}
