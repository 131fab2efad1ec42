import { sockoptUnavailableReason } from '../stream/index.js';
import { ProbeUnsupportedError } from '../errors.js';
import type { VconnLike } from '../vconn/types.js';
import type { ProbeMode } from './options.js';
import type { ProbeInForce } from './status.js';

// Our probe xids live in their own range so they never collide with the application's requests.
export const PROBE_XID_BASE = 0x7f000000;
// A probe whose reply never comes must not pin memory; only the newest few can still matter.
const MAX_OUTSTANDING_PROBES = 8;

/** The rconn's echo probes in flight: their xids and when they left, for RTT and timeout texts. */
export class EchoProbes {
  private readonly outstanding = new Map<number, number>();
  private nextXid = PROBE_XID_BASE;

  /** Registers a probe sent at `now`; returns its xid. */
  next(now: number): number {
    const xid = this.nextXid;
    this.nextXid = this.nextXid >= 0x7fffffff ? PROBE_XID_BASE : this.nextXid + 1;
    this.outstanding.set(xid, now);
    if (this.outstanding.size > MAX_OUTSTANDING_PROBES) this.outstanding.delete(this.outstanding.keys().next().value!);
    return xid;
  }

  /** The round trip of our probe `xid` answered at `now`, or null when it is not one of ours. */
  answer(xid: number, now: number): number | null {
    const sentAt = this.outstanding.get(xid);
    if (sentAt === undefined) return null;
    this.outstanding.delete(xid);
    return now - sentAt;
  }

  /** When the newest unanswered probe left, or null. */
  newestSentAt(): number | null {
    let newest: number | null = null;
    for (const sentAt of this.outstanding.values()) newest = sentAt;
    return newest;
  }

  clear(): void {
    this.outstanding.clear();
  }
}

export interface ProbeChoice {
  mode: ProbeInForce;
  /** Why transport probing is not in force although it was wanted (status().keepaliveError). */
  keepaliveError: string | null;
  /** Set when `probe: 'transport'` cannot be honoured on this connection. */
  refused: Error | null;
}

/**
 * Transport or echo probing for `conn` (echo only where the transport cannot probe), with the
 * keepalive applied to the connection. `probeInterval` is in seconds, 0 = off.
 */
export function chooseProbe(conn: VconnLike, probeInterval: number, wanted: ProbeMode): ProbeChoice {
  if (probeInterval === 0) {
    conn.setKeepalive(0);
    return { mode: 'off', keepaliveError: null, refused: null };
  }
  if (wanted === 'echo') return { mode: 'echo', keepaliveError: null, refused: null };
  const result = conn.setKeepalive(probeInterval);
  if (result === 0) return { mode: 'transport', keepaliveError: null, refused: null };
  const keepaliveError = keepaliveWhyNot(conn.name, result);
  const refused = wanted === 'transport'
    ? new ProbeUnsupportedError(`${conn.name}: transport probing requested but unavailable (${keepaliveError})`)
    : null;
  return { mode: 'echo', keepaliveError, refused };
}

/** The code, and the reason where the library knows it. */
function keepaliveWhyNot(name: string, result: string | number): string {
  if (result !== 'EOPNOTSUPP') return String(result);
  if (name.startsWith('unix:')) return 'EOPNOTSUPP: unix sockets have no TCP keepalive';
  const reason = sockoptUnavailableReason();
  return reason ? `EOPNOTSUPP: ${reason}` : 'EOPNOTSUPP';
}
