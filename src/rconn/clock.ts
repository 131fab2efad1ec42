import { CoarseTimer, CoarseTimers } from './coarse-timers.js';

/**
 * Time and timers as one injectable object, so every timing rule of the rconn can be tested
 * deterministically (the `clock` option; docs/DESIGN.md, "The state machine"). Times are milliseconds on a monotonic scale.
 */
export interface Clock {
  now(): number;
  /**
   * Runs `fn` once, `ms` from now. `slackMs`, when given, says the timer may also fire up to that
   * much later, so a clock may batch it with others (the system clock does for a slack of at least
   * {@link COARSE_GRID_MS}); never sooner. A clock may ignore it.
   */
  setTimer(fn: () => void, ms: number, slackMs?: number): unknown;
  clearTimer(handle: unknown): void;
  /**
   * Runs `fn` after the I/O that is already pending has been read (Node: setImmediate, which runs
   * after the poll phase). This is what makes the receive-attempted guard work: a timer that fires
   * late after a stalled event loop must not time out a peer whose data is waiting in the socket.
   */
  defer(fn: () => void): unknown;
  cancelDefer(handle: unknown): void;
}

/**
 * The system clock's grid for timers with slack: one event-loop wakeup per step serves every
 * timer due in it (coarse-timers.ts says why).
 */
export const COARSE_GRID_MS = 250;

// Wall-clock anchored but monotonic: stats read as timestamps, and a clock step cannot fire timers.
const origin = performance.timeOrigin;
const now = (): number => origin + performance.now();
const coarse = new CoarseTimers(COARSE_GRID_MS, now);

export const systemClock: Clock = {
  now,
  setTimer: (fn, ms, slackMs) => (slackMs !== undefined && slackMs >= COARSE_GRID_MS ? coarse.add(fn, ms) : setTimeout(fn, ms)),
  clearTimer: (h) => {
    if (h instanceof CoarseTimer) coarse.cancel(h);
    else clearTimeout(h as NodeJS.Timeout);
  },
  defer: (fn) => setImmediate(fn),
  cancelDefer: (h) => clearImmediate(h as NodeJS.Immediate),
};
