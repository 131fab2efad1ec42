import { AsyncQueue } from '../async-queue.js';

/**
 * The queues behind `Rconn.messages()`: each iterator has its own, so two loops both see every
 * message and neither steals the other's wakeup. A queue over its high-water mark asks the rconn to
 * stop reading (backpressure: nothing is dropped); leaving the loop (`break`, `return`, `throw`)
 * frees the queue at once, so a loop the application abandoned never leaves the connection paused.
 */
export class MessageIterators<T> {
  private readonly queues = new Set<AsyncQueue<T>>();
  private highQueues = 0;
  private ended = false;

  /** `onPressure(true)` when some queue is over its high-water mark, `false` once none is. */
  constructor(private readonly highWater: number, private readonly onPressure: (full: boolean) => void) {}

  /** Some iterator's queue is full: reading should pause. */
  get full(): boolean {
    return this.highQueues > 0;
  }

  /** Open iterators. */
  get size(): number {
    return this.queues.size;
  }

  /** Messages waiting in every queue together (for status and tests). */
  get buffered(): number {
    let n = 0;
    for (const q of this.queues) n += q.length;
    return n;
  }

  open(): AsyncIterableIterator<T> {
    const queue = this.newQueue();
    return queue.iterate(this.ended ? undefined : () => this.queues.delete(queue));
  }

  /** Like open(), yielding arrays: everything that arrived since the last next(), in order. */
  openBatches(): AsyncIterableIterator<T[]> {
    const queue = this.newQueue();
    return queue.iterateBatches(this.ended ? undefined : () => this.queues.delete(queue));
  }

  private newQueue(): AsyncQueue<T> {
    const queue: AsyncQueue<T> = new AsyncQueue<T>(
      this.highWater,
      () => this.pressure(+1),
      () => this.pressure(-1),
    );
    if (this.ended) queue.end();
    else this.queues.add(queue);
    return queue;
  }

  push(item: T): void {
    for (const q of this.queues) q.push(item);
  }

  /** close(): every loop ends after the messages it already holds; later messages() end at once. */
  end(): void {
    this.ended = true;
    for (const q of this.queues) q.end();
  }

  private pressure(delta: number): void {
    const wasFull = this.highQueues > 0;
    this.highQueues += delta;
    if (wasFull !== this.highQueues > 0) this.onPressure(this.highQueues > 0);
  }
}
