/**
 * The 'message' event without EventEmitter#emit's costs per message (docs/DESIGN.md, "The path of a
 * message"): the listeners are kept as an array, refreshed only after a listener was added or
 * removed, and called directly; and the `raw` view of the message's bytes is made only when some
 * listener can read it. A listener declared with exactly one parameter (`(msg) => ...`) cannot
 * (without `arguments`), so when every listener is one of those no view is made and `raw` is
 * undefined; a listener with two parameters, rest parameters or none (a `once` wrapper) gets it.
 */
import type { Buffer } from 'node:buffer';
import { EventEmitter } from 'node:events';
import { surface } from './monitors.js';

/** The listener methods of EventEmitter; `once` and `prependOnceListener` go through two of them. */
const CHANGERS = ['addListener', 'on', 'prependListener', 'removeListener', 'off', 'removeAllListeners'] as const;

/** Set on an emitter when its listeners may have changed since the cache last looked. */
export const LISTENERS_CHANGED: unique symbol = Symbol('listenersChanged');

type Listener = (...args: unknown[]) => unknown;

/**
 * Makes every change of listeners on instances of the class with prototype `proto` set their
 * LISTENERS_CHANGED property first. Call once per class, at load.
 */
export function watchListenerChanges(proto: EventEmitter): void {
  for (const name of CHANGERS) {
    const base = EventEmitter.prototype[name] as (...args: unknown[]) => unknown;
    Object.defineProperty(proto, name, {
      value: function changed(this: { [LISTENERS_CHANGED]: boolean }, ...args: unknown[]): unknown {
        this[LISTENERS_CHANGED] = true;
        return base.apply(this, args);
      },
      writable: true,
      configurable: true,
    });
  }
}

/** One event's listeners, as emit() would call them, and whether any takes a second argument. */
export class ListenerList {
  list: Listener[] = [];
  second = false;

  /** Takes the listeners of `event` afresh (a copy: a listener removed while called still gets this message). */
  refresh(emitter: EventEmitter, event: string): void {
    this.list = emitter.rawListeners(event) as Listener[];
    this.second = this.list.some((fn) => fn.length !== 1);
  }

  /**
   * Calls the listeners with `msg` and, when one can read it, the view of `buf[at, at + length)`
   * (`buf` itself when that is all of it). As emit() would, without its argument array: in order,
   * and a throw skips the rest (and is surfaced on its own, as the rconn's events are).
   */
  call(emitter: EventEmitter, msg: unknown, buf: Buffer, at: number, length: number): void {
    const list = this.list;
    if (list.length === 0) return;
    const raw = !this.second ? undefined : at === 0 && length === buf.length ? buf : buf.subarray(at, at + length);
    try {
      for (let i = 0; i < list.length; i++) list[i]!.call(emitter, msg, raw);
    } catch (err) {
      surface(err);
    }
  }
}
