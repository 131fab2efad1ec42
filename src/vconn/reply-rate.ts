/**
 * The vconn answers a bad message with an OFPT_ERROR of its own. A peer that provokes those
 * answers as fast as it can is not a confused switch but an attack on our send path: past a
 * documented rate the connection ends with VconnError EFLOOD.
 */

/** Error replies per second a peer may provoke on average. */
export const ERROR_REPLY_RATE = 100;
/** Error replies a peer may provoke in a burst before the rate applies. */
export const ERROR_REPLY_BURST = 200;

/** A token bucket over the monotonic clock. */
export class ReplyRate {
  private tokens = ERROR_REPLY_BURST;
  private last = performance.now();

  /** Takes one token; false when the peer is over the rate. */
  take(now = performance.now()): boolean {
    this.tokens = Math.min(ERROR_REPLY_BURST, this.tokens + ((now - this.last) * ERROR_REPLY_RATE) / 1000);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
