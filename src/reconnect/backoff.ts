/**
 * The backoff rule of Open vSwitch `reconnect_disconnected()`, as a pure function so the
 * machine's state transitions stay readable.
 */
export interface BackoffInput {
  /** Backoff before this failure, ms. */
  current: number;
  min: number;
  max: number;
  passive: boolean;
  /** Was the connection up (ACTIVE/IDLE), as opposed to an attempt or a listen that failed? */
  wasConnected: boolean;
  /** ms between connecting and the last message received (meaningful when wasConnected). */
  carriedDataFor: number;
}

/** The backoff after a drop or a failed attempt (backoff-free tries are handled by the caller). */
export function nextBackoff(b: BackoffInput): number {
  if (b.wasConnected && (b.carriedDataFor >= b.current || b.passive)) {
    // The connection carried data for at least the current backoff: a real success, so start
    // over (a listener has nothing to back off from).
    return b.passive ? 0 : b.min;
  }
  // A failed attempt, or a connection that proved nothing: keep growing.
  if (b.current < b.min) return b.min;
  if (b.current < b.max / 2) return b.current * 2;
  return b.max;
}
