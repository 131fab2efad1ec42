import type { Clock } from '../../src/rconn/clock.js';

/**
 * Linux TCP keepalive as tcp_info shows it, on a test clock (docs/DESIGN.md, "Transport probing"):
 * the kernel probes `periodMs` (TCP_KEEPIDLE) after the last segment received, `lateMs` later
 * still (its timer wheel rounds a 5 s timer up by as much as 256 ms at HZ=250, so an rconn timed
 * from the same message looks on the probe's eve), and a live peer answers at once, which counts
 * as received. Once the peer is gone, the first probe after that goes
 * unanswered: tcpi_probes > 0 (idle) from then on. The test ends the connection itself where the
 * kernel would (deadAt()).
 */
export class KeepaliveKernel {
  private lastReceived: number;
  private goneAt = Infinity;

  constructor(private readonly clock: Clock, readonly periodMs: number, readonly lateMs = 0) {
    this.lastReceived = clock.now();
  }

  /** A segment from the peer (e.g. a message) arrived now. */
  received(): void {
    this.lastReceived = this.clock.now();
  }

  /** The peer stops answering from now on. */
  peerGone(): void {
    this.goneAt = this.clock.now();
  }

  /** When the kernel ends the connection: TCP_USER_TIMEOUT, 2 x the period after the last segment received. */
  deadAt(): number {
    this.advance();
    return this.lastReceived + 2 * this.periodMs;
  }

  /** What keepaliveCheckOf reads from tcp_info now. */
  readonly check = (): { idle: boolean; nextProbeInMs?: number } => {
    this.advance();
    const now = this.clock.now();
    if (this.nextProbe() <= now) return { idle: true };
    // tcp_info shows only the last segment received: the rconn reckons the next probe from it.
    return { idle: false, nextProbeInMs: Math.max(0, this.lastReceived + this.periodMs - now) };
  };

  /** Every probe due so far that the peer was there to answer. */
  private advance(): void {
    const now = this.clock.now();
    while (this.nextProbe() <= now && this.nextProbe() < this.goneAt) this.lastReceived = this.nextProbe();
  }

  private nextProbe(): number {
    return this.lastReceived + this.periodMs + this.lateMs;
  }
}
