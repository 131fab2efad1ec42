/**
 * One event-loop timer for many deadlines that may fire a little late (the transport-probing looks
 * of thousands of idle rconns). Each deadline is rounded up to the next multiple of the grid step,
 * so every deadline of one step fires from the same wakeup.
 *
 * Why: a Node timer per rconn, each due at its own millisecond, wakes the process once per
 * deadline: with 10,000 idle connections, 1,000 to 2,000 wakeups a second (bench P5). On a 250 ms
 * grid it is at most 4. Measured on a 2-core VM: 10,000 scattered Node timers cost ~37 us of CPU
 * per fire, coalesced ~3.5 us; a whole P5 look went from 15-16 us to 9-13 us (docs/DESIGN.md,
 * "Transport probing").
 */

/** A pending deadline; cancel() marks it so a slot already being fired skips it. */
export class CoarseTimer {
  constructor(public fn: (() => void) | null, readonly slot: number) {}
}

export class CoarseTimers {
  /** Grid time -> its deadlines, in arming order. */
  private readonly slots = new Map<number, Set<CoarseTimer>>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private timerSlot = Infinity;

  constructor(
    readonly gridMs: number,
    private readonly now: () => number,
  ) {}

  /** Runs `fn` at the first grid time at or after now + ms. */
  add(fn: () => void, ms: number): CoarseTimer {
    const slot = Math.ceil((this.now() + ms) / this.gridMs) * this.gridMs;
    let set = this.slots.get(slot);
    if (!set) {
      set = new Set();
      this.slots.set(slot, set);
      if (slot < this.timerSlot) this.schedule(slot);
    }
    const t = new CoarseTimer(fn, slot);
    set.add(t);
    return t;
  }

  cancel(t: CoarseTimer): void {
    if (t.fn === null) return;
    t.fn = null;
    const set = this.slots.get(t.slot);
    if (!set || !set.delete(t) || set.size > 0) return;
    this.slots.delete(t.slot);
    // No event-loop timer may outlive the last deadline: it would keep the process alive.
    if (t.slot === this.timerSlot) this.scheduleEarliest();
  }

  /** Deadlines pending (for tests). */
  get size(): number {
    let n = 0;
    for (const set of this.slots.values()) n += set.size;
    return n;
  }

  private readonly fire = (): void => {
    // Node may fire a little before now() reaches the slot (its loop clock lags): the slot the
    // timer was armed for is due whatever now() says, and so is every earlier one.
    const upTo = Math.max(this.now(), this.timerSlot);
    this.timer = null;
    // While firing, add() and cancel() leave the event-loop timer alone: it is armed once, below.
    this.timerSlot = -Infinity;
    const due = [...this.slots.keys()].filter((s) => s <= upTo).sort((a, b) => a - b);
    for (const slot of due) {
      const set = this.slots.get(slot)!;
      this.slots.delete(slot);
      for (const t of set) {
        const fn = t.fn;
        if (fn === null) continue;
        t.fn = null;
        try {
          fn();
        } catch (err) {
          // As a throwing setTimeout callback would: uncaught, but the other deadlines still run.
          process.nextTick(() => { throw err; });
        }
      }
    }
    this.scheduleEarliest();
  };

  private scheduleEarliest(): void {
    let earliest = Infinity;
    for (const slot of this.slots.keys()) if (slot < earliest) earliest = slot;
    if (earliest === Infinity) {
      if (this.timer !== null) clearTimeout(this.timer);
      this.timer = null;
      this.timerSlot = Infinity;
      return;
    }
    this.schedule(earliest);
  }

  private schedule(slot: number): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timerSlot = slot;
    this.timer = setTimeout(this.fire, Math.max(0, Math.ceil(slot - this.now())));
  }
}
