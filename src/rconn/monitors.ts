// Imported rather than the global, which Node serves through a getter on every use (~9 ns).
import { Buffer } from 'node:buffer';
import { RconnError } from '../errors.js';
import { invalidOption } from '../validate.js';

/** A monitor gets a copy of every message sent and received (up to {@link MAX_MONITORS}). */
export type Monitor = (direction: 'rx' | 'tx', raw: Buffer) => void;
export const MAX_MONITORS = 8;

/**
 * Rethrows an application callback's exception on its own, where it surfaces as an uncaught
 * exception exactly as a throwing listener of a socket event would, and never as an unhandled
 * rejection or in the middle of the rconn's own bookkeeping.
 */
export function surface(err: unknown): void {
  process.nextTick(rethrow, err);
}

function rethrow(err: unknown): never {
  throw err;
}

/** The monitors of one rconn. */
export class Monitors {
  private readonly list: Monitor[] = [];

  get size(): number {
    return this.list.length;
  }

  /** Adds `monitor`; returns its (idempotent) remover. `owner` names the rconn in errors. */
  add(monitor: Monitor, owner: string): () => void {
    if (typeof monitor !== 'function') invalidOption('Rconn.addMonitor', 'monitor', monitor, 'a function');
    if (this.list.length >= MAX_MONITORS) throw new RconnError('EMLINK', `${owner}: at most ${MAX_MONITORS} monitors`);
    this.list.push(monitor);
    return () => {
      const i = this.list.indexOf(monitor);
      if (i >= 0) this.list.splice(i, 1);
    };
  }

  /**
   * The message at `raw[at]`, `length` bytes (by default all of `raw`). Each monitor gets its own
   * copy, of exactly the message's size: the live buffer would pin the whole read chunk and be
   * mutable under the rconn, and a pooled copy would pin a pool slab.
   */
  tell(direction: 'rx' | 'tx', raw: Buffer, at = 0, length = raw.length - at): void {
    for (const m of this.list) {
      const copy = Buffer.allocUnsafeSlow(length);
      raw.copy(copy, 0, at, at + length);
      try {
        m(direction, copy);
      } catch (err) {
        surface(err);
      }
    }
  }
}
