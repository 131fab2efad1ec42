/**
 * Hands accepted streams to `accept()` iterators. A stream is buffered only when nobody is waiting
 * and nobody listens to 'stream' events, so a listener used only through events never piles up.
 */
import type { Stream } from './types.js';

export class AcceptQueue {
  private readonly buffered: Stream[] = [];
  private readonly waiters: Array<(r: IteratorResult<Stream>) => void> = [];
  private ended = false;
  // While buffered, a socket error must not go unhandled (it destroys the stream instead).
  private readonly guards = new Map<Stream, (err: Error) => void>();

  /** Offers a stream; `eventsTakeIt` tells whether a 'stream' listener already received it. */
  offer(stream: Stream, eventsTakeIt: boolean): void {
    const waiter = this.waiters.shift();
    if (waiter) return waiter({ value: stream, done: false });
    if (eventsTakeIt || this.ended) return;
    const guard = (): void => stream.destroy();
    this.guards.set(stream, guard);
    stream.duplex.on('error', guard);
    this.buffered.push(stream);
  }

  /**
   * No more streams: waiting iterators finish. Buffered streams nobody took are destroyed, since
   * nobody could take them any more without leaking them.
   */
  end(): void {
    this.ended = true;
    for (const waiter of this.waiters.splice(0)) waiter({ value: undefined, done: true });
    for (const stream of this.buffered.splice(0)) stream.destroy();
    this.guards.clear();
  }

  iterator(): AsyncIterableIterator<Stream> {
    let finished = false;
    const next = (): Promise<IteratorResult<Stream>> => {
      if (finished) return Promise.resolve({ value: undefined, done: true });
      const stream = this.buffered.shift();
      if (stream) {
        const guard = this.guards.get(stream);
        if (guard) stream.duplex.off('error', guard);
        this.guards.delete(stream);
        return Promise.resolve({ value: stream, done: false });
      }
      if (this.ended) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => this.waiters.push(resolve));
    };
    const it: AsyncIterableIterator<Stream> = {
      next,
      // Leaving a for-await loop stops this iterator only; the listener keeps listening.
      return: () => {
        finished = true;
        return Promise.resolve({ value: undefined, done: true });
      },
      [Symbol.asyncIterator]: () => it,
    };
    return it;
  }
}
