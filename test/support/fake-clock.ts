import type { Clock } from '../../src/rconn/clock.js';

interface Timer { id: number; at: number; fn: () => void }

/**
 * A deterministic Clock: time moves only through advance(); timers fire in deadline order, and
 * deferred callbacks (the receive-attempted step) run right after the timer that queued them.
 */
export class FakeClock implements Clock {
  t: number;
  private timers: Timer[] = [];
  private defers: Array<{ id: number; fn: () => void }> = [];
  private nextId = 1;
  /** Every setTimer call, for assertions about wakeups (slackMs as passed; this clock fires on time). */
  readonly armed: Array<{ at: number; ms: number; slackMs?: number }> = [];

  constructor(start = 1000) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  setTimer(fn: () => void, ms: number, slackMs?: number): unknown {
    const timer = { id: this.nextId++, at: this.t + ms, fn };
    this.timers.push(timer);
    this.armed.push(slackMs === undefined ? { at: timer.at, ms } : { at: timer.at, ms, slackMs });
    return timer.id;
  }

  clearTimer(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  defer(fn: () => void): unknown {
    const id = this.nextId++;
    this.defers.push({ id, fn });
    return id;
  }

  cancelDefer(handle: unknown): void {
    this.defers = this.defers.filter((d) => d.id !== handle);
  }

  /** Timers and deferred callbacks still pending. */
  get pending(): number {
    return this.timers.length + this.defers.length;
  }

  /** Milliseconds until the earliest timer, or null. */
  nextTimerIn(): number | null {
    if (this.timers.length === 0) return null;
    return Math.min(...this.timers.map((t) => t.at)) - this.t;
  }

  /**
   * Moves time forward by `ms`, firing due timers in order. Awaits the microtask queue after each
   * step so promise-based connectors settle as they would between real timer callbacks.
   */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      await settle();
      this.runDefers();
      await settle();
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.t = Math.max(this.t, due.at);
      due.fn();
    }
    this.t = end;
    await settle();
    this.runDefers();
    await settle();
  }

  private runDefers(): void {
    while (this.defers.length) this.defers.shift()!.fn();
  }
}

/** Lets pending promise callbacks run (a few rounds, for chained thens). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}
