import { sockoptUnavailableReason } from '../stream/index.js';
import { ProbeUnsupportedError } from '../errors.js';
import type { Reconnect } from '../reconnect/index.js';
import type { VconnLike } from '../vconn/types.js';
import type { ProbeMode, ResolvedOptions } from './options.js';
import type { ProbeInForce } from './status.js';

// Our probe xids live in their own range so they never collide with the application's requests.
export const PROBE_XID_BASE = 0x7f000000;
// A probe whose reply never comes must not pin memory; only the newest few can still matter.
const MAX_OUTSTANDING_PROBES = 8;
// TCP_KEEPINTVL as the stream sets it: an unanswered probe shows as tcpi_probes > 0 within this.
export const KEEPALIVE_ANSWER_MS = 1000;

/**
 * When to look at a quiet transport-probed connection again (ms from now), given the kernel's next
 * keepalive probe in `nextProbeInMs` and its period (TCP_KEEPIDLE) in `probePeriodMs`: once a probe
 * has had its answer window (1 s), so one look sees either the answer or the probe outstanding.
 * Before then nothing new can be seen, which is also what a look on demand needs to know.
 *
 * `watching` (watchIdle): only every other probe is looked at. The kernel ends a dead connection
 * by itself (2 x the period after the last segment received); a look only serves to report IDLE
 * early, and looking at each probe cost a wakeup per period per connection (docs/DESIGN.md,
 * "Transport probing"). The exception is a probe due within the answer window: this look came on
 * its eve (the first look of a quiet period, timed from the last message, lands there), and it is
 * looked at, so a peer that went away with its last message still shows IDLE a second after the
 * first probe.
 */
export function transportRecheckMs(nextProbeInMs: number, probePeriodMs: number, watching = true): number {
  return nextProbeInMs < KEEPALIVE_ANSWER_MS || !watching
    ? nextProbeInMs + KEEPALIVE_ANSWER_MS
    : nextProbeInMs + probePeriodMs + KEEPALIVE_ANSWER_MS;
}

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

/**
 * The rconn's probing: which mechanism is in force on the current connection, the echo probes it
 * sends, and the looks at the transport's keepalive state (docs/DESIGN.md, "Transport probing").
 * The state machine decides when; this does it.
 */
export class Prober {
  /** Seconds, after clamping; 0 = off. */
  interval: number;
  mode: ProbeInForce = 'off';
  /** Why transport probing is not in force although it was wanted. */
  keepaliveError: string | null = null;
  readonly echoes = new EchoProbes();
  /** The deadline the last transport look set for the next one (the rconn's timer may be late for it). */
  lookAgainAt = NaN;

  constructor(
    private readonly opts: ResolvedOptions,
    private readonly fsm: Reconnect,
  ) {
    this.interval = opts.probeInterval;
  }

  /** Applies transport or echo probing to `conn`; returns the refusal when it cannot be honoured. */
  select(conn: VconnLike): Error | null {
    const choice = chooseProbe(conn, this.interval, this.opts.probe);
    this.mode = choice.mode;
    this.keepaliveError = choice.keepaliveError;
    this.fsm.setProbeInterval(this.interval * 1000);
    this.fsm.setAppProbe(choice.mode !== 'transport');
    this.fsm.setTransportWatch(this.opts.watchIdle);
    this.fsm.setEchoInterval(choice.mode === 'transport' ? this.opts.echoInterval * 1000 : 0);
    return choice.refused;
  }

  /** Without watchIdle no timer looks at a transport-probed connection: whoever asks for the state does. */
  get looksOnDemand(): boolean {
    return this.mode === 'transport' && !this.opts.watchIdle;
  }

  /** Seconds since the probe that went unanswered (the newest one), for the timeout's text. */
  silentFor(now: number): number {
    // Not since the state began: in the hybrid mode the state stays ACTIVE for the whole connection.
    const probedAt = this.echoes.newestSentAt() ?? now - this.fsm.stats(now).stateElapsed;
    return Math.round((now - probedAt) / 1000);
  }

  /**
   * The machine's 'checkIdle': reads the transport's keepalive state into it. Returns the change
   * it made: a keepalive probe seen outstanding (ACTIVE -> IDLE) or answered (IDLE -> ACTIVE).
   */
  look(now: number, conn: VconnLike): 'idle' | 'recovered' | null {
    const before = this.fsm.state;
    const check = conn.keepaliveCheck?.();
    if (check) {
      // The kernel's period is TCP_KEEPIDLE, the probe interval in whole seconds.
      const recheck = check.nextProbeInMs === undefined
        ? undefined : transportRecheckMs(check.nextProbeInMs, Math.ceil(this.interval) * 1000, this.opts.watchIdle);
      this.fsm.setTransportIdle(now, check.idle, recheck);
    } else {
      this.fsm.setTransportIdle(now, conn.isIdle());
    }
    // With a hybrid echo the next deadline may be the echo's, which must not come late.
    this.lookAgainAt = this.opts.echoInterval === 0 ? this.fsm.deadline(now) : NaN;
    const after = this.fsm.state;
    if (before === 'ACTIVE' && after === 'IDLE') return 'idle';
    if (before === 'IDLE' && after === 'ACTIVE') return 'recovered';
    return null;
  }
}
