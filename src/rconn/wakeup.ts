import type { Clock } from './clock.js';

/**
 * The rconn's single timer: armed for the state machine's next deadline only (none when there is
 * none), plus the deferred "read what is waiting first" step of the receive-attempted guard.
 */
export class Wakeup {
  private timer: unknown = null;
  private timerAt = Infinity;
  private deferred: unknown = null;

  constructor(
    private readonly clock: Clock,
    /** The deadline passed; `now` is never before the deadline the timer was armed for. */
    private readonly onTimer: (now: number) => void,
    /** The I/O that was waiting has been read. */
    private readonly onDeferred: (now: number) => void,
  ) {}

  /** A timer or deferred step is pending (what close() must leave at false). */
  get armed(): boolean {
    return this.timer !== null || this.deferred !== null;
  }

  /**
   * Arms for `deadline` (absolute ms; Infinity = none). `guardWaiting`: a probe or timeout is due
   * but the machine waits until we have tried to read. Let the I/O that is already waiting be read
   * first (the deferred step runs after the poll phase), so a timer that fires late after a stalled
   * event loop never calls a peer silent whose data sits unread in the socket. `slackMs`: the
   * deadline may be met that much late (Clock.setTimer), so the clock can batch it with others.
   */
  arm(now: number, deadline: number, guardWaiting: boolean, slackMs = 0): void {
    if (guardWaiting) {
      this.clearTimer();
      if (this.deferred === null) this.deferred = this.clock.defer(this.fireDeferred);
      return;
    }
    if (deadline === this.timerAt && this.timer !== null) return;
    this.clearTimer();
    this.timerAt = deadline;
    if (!Number.isFinite(deadline)) return;
    this.timer = this.clock.setTimer(this.fireTimer, Math.max(0, Math.ceil(deadline - now)), slackMs);
  }

  cancel(): void {
    this.clearTimer();
    if (this.deferred !== null) this.clock.cancelDefer(this.deferred);
    this.deferred = null;
  }

  private readonly fireTimer = (): void => {
    // libuv fires timers on its millisecond loop clock, which may run a little behind
    // performance.now(): the deadline this timer was armed for has been reached, whatever now() says.
    const now = Math.max(this.clock.now(), this.timerAt);
    this.timer = null;
    this.timerAt = Infinity;
    this.onTimer(now);
  };

  private readonly fireDeferred = (): void => {
    this.deferred = null;
    this.onDeferred(this.clock.now());
  };

  private clearTimer(): void {
    if (this.timer !== null) this.clock.clearTimer(this.timer);
    this.timer = null;
    this.timerAt = Infinity;
  }
}
