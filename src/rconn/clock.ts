/**
 * Time and timers as one injectable object, so every timing rule of the rconn can be tested
 * deterministically (the `clock` option; docs/DESIGN.md, "The state machine"). Times are milliseconds on a monotonic scale.
 */
export interface Clock {
  now(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
  /**
   * Runs `fn` after the I/O that is already pending has been read (Node: setImmediate, which runs
   * after the poll phase). This is what makes the receive-attempted guard work: a timer that fires
   * late after a stalled event loop must not time out a peer whose data is waiting in the socket.
   */
  defer(fn: () => void): unknown;
  cancelDefer(handle: unknown): void;
}

// Wall-clock anchored but monotonic: stats read as timestamps, and a clock step cannot fire timers.
const origin = performance.timeOrigin;

export const systemClock: Clock = {
  now: () => origin + performance.now(),
  setTimer: (fn, ms) => setTimeout(fn, ms),
  clearTimer: (h) => clearTimeout(h as NodeJS.Timeout),
  defer: (fn) => setImmediate(fn),
  cancelDefer: (h) => clearImmediate(h as NodeJS.Immediate),
};
