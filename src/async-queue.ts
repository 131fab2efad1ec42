/**
 * A FIFO feeding an async iterator. Crossing the high-water mark calls `onHigh` (the rconn pauses
 * the socket) and draining below half calls `onLow`; nothing is dropped. Used for
 * `Rconn.messages()` (one queue per iterator) and the accept loops of `Pvconn` and `RconnListener`.
 */
export class AsyncQueue<T> {
  private items: T[] = [];
  private head = 0;
  /** next() calls waiting for an item, oldest first. */
  private waiters: Array<(r: IteratorResult<T>) => void> = [];
  /** next() calls of a batch iterator waiting, oldest first. */
  private batchWaiters: Array<(r: IteratorResult<T[]>) => void> = [];
  private batchScheduled = false;
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
    return this.waiters.length > 0;
  }

  /** Above the high-water mark and not yet drained below half of it. */
  get isHigh(): boolean {
    return this.high;
  }

  push(item: T): void {
    if (this.ended) return;
    if (this.batchWaiters.length > 0) {
      // The rest of this turn's messages (a chunk's worth) join the batch before it is handed over.
      this.items.push(item);
      if (!this.batchScheduled) {
        this.batchScheduled = true;
        queueMicrotask(this.handBatch);
      }
      return;
    }
    const w = this.waiters.shift();
    if (w) {
      w({ done: false, value: item });
      return;
    }
    this.items.push(item);
    if (!this.high && this.length >= this.highWater) {
      this.high = true;
      this.onHigh();
    }
  }

  /** No more items: waiting and later next() calls finish once the queued items are taken. */
  end(): void {
    this.ended = true;
    for (const w of this.waiters.splice(0)) w({ done: true, value: undefined });
    if (this.length === 0) for (const w of this.batchWaiters.splice(0)) w({ done: true, value: undefined });
  }

  /**
   * Like {@link iterate}, but each `next()` yields everything queued at once: one promise per
   * batch (a chunk's messages) instead of one per message.
   */
  iterateBatches(onRelease?: () => void): AsyncIterableIterator<T[]> {
    const items = this.iterate(onRelease);
    const iterator: AsyncIterableIterator<T[]> = {
      next: () => {
        if (this.length > 0) return Promise.resolve({ done: false, value: this.takeAll() });
        if (this.ended) return Promise.resolve({ done: true, value: undefined });
        return new Promise<IteratorResult<T[]>>((resolve) => { this.batchWaiters.push(resolve); });
      },
      return: async () => { await items.return!(); return { done: true, value: undefined }; },
      throw: (err?: unknown) => items.throw!(err) as Promise<IteratorResult<T[]>>,
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  private readonly handBatch = (): void => {
    this.batchScheduled = false;
    while (this.batchWaiters.length > 0 && this.length > 0) this.batchWaiters.shift()!({ done: false, value: this.takeAll() });
    if (this.ended) for (const w of this.batchWaiters.splice(0)) w({ done: true, value: undefined });
  };

  private takeAll(): T[] {
    const all = this.head === 0 ? this.items : this.items.slice(this.head);
    this.items = [];
    this.head = 0;
    if (this.high) {
      this.high = false;
      this.onLow();
    }
    return all;
  }

  /**
   * The consumer's iterator. With `onRelease`, the iterator owns the queue: `return()` (a `break`
   * out of `for await`) or `throw()` ends it, frees what it holds and calls `onRelease` once.
   */
  iterate(onRelease?: () => void): AsyncIterableIterator<T> {
    let released = false;
    const release = (): void => {
      if (released || !onRelease) return;
      released = true;
      this.end();
      this.items = [];
      this.head = 0;
      if (this.high) {
        this.high = false;
        this.onLow();
      }
      onRelease();
    };
    const done: IteratorResult<T> = { done: true, value: undefined };
    const iterator: AsyncIterableIterator<T> = {
      next: () => {
        if (this.length > 0) return Promise.resolve({ done: false, value: this.take() });
        if (this.ended) return Promise.resolve(done);
        return new Promise<IteratorResult<T>>((resolve) => { this.waiters.push(resolve); });
      },
      return: () => {
        release();
        return Promise.resolve(done);
      },
      throw: (err?: unknown) => {
        release();
        return Promise.reject(err);
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  private take(): T {
    const item = this.items[this.head++]!;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    if (this.high && this.length <= this.highWater / 2) {
      this.high = false;
      this.onLow();
    }
    return item;
  }
}
