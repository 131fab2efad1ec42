/**
 * Sans-I/O reconnect state machine (docs/DESIGN.md, "The state machine"): the semantics of Open vSwitch `lib/reconnect.c`
 * (backoff, passive mode, max tries, backoff-free tries, the receive-attempted guard) plus the
 * 2011 transport-probing patch (app probe vs. TCP keepalive, CHECK_IDLE) and a hybrid end-to-end
 * echo that may run alongside transport probing.
 *
 * Nothing here touches a clock, a timer or a socket: every input that depends on time takes
 * `now` (milliseconds, any monotonic origin), so the machine is deterministic and scriptable
 * (see test/reconnect/scenarios/*.txt).
 *
 * The owner's loop: call `run(now)` repeatedly until it returns null, acting on each action;
 * then sleep `timeout(now)` ms (or until I/O) and repeat. 'connect' and 'disconnect' keep being
 * returned until the owner reports the resulting change (connecting/connected/connectFailed,
 * disconnected); the periodic actions ('probe', 'checkIdle') are never returned twice for the
 * same `now`.
 *
 * Differences from Open vSwitch, all deliberate:
 * - DISCONNECTED: where OVS drops to VOID because no retry is allowed after a connection or an
 *   attempt (max tries exhausted), this machine enters DISCONNECTED, so the owner can tell
 *   "never enabled / disabled" (VOID) from "gave up" (DISCONNECTED). It is terminal until
 *   enable(), which behaves as from VOID (and so still needs tries left).
 * - setBackoff() caps the backoff of a machine in BACKOFF with the effective maximum (after the
 *   1000 ms floor and the raise to min); OVS caps it with the raw argument.
 * - "never happened" timestamps are null rather than LLONG_MAX; unlimited max tries is Infinity.
 * - Backoff jitter (opt-in) shortens the BACKOFF wait only; `stats().backoff` is un-jittered.
 *
 * Not a difference: activity() moves only IDLE to ACTIVE, as OVS's reconnect_activity() has done
 * since 2019 (a message received while CONNECTING is not a connection).
 */
import { RconnError } from '../errors.js';
import { nextBackoff } from './backoff.js';
import type { ReconnectAction, ReconnectOptions, ReconnectState, ReconnectStats } from './types.js';

export type { ReconnectAction, ReconnectOptions, ReconnectState, ReconnectStats } from './types.js';

const DEFAULT_MIN_BACKOFF = 1000;
const DEFAULT_MAX_BACKOFF = 8000;
const DEFAULT_PROBE_INTERVAL = 5000;
/** Transport probing re-asks the transport no more than once per this many ms, as Open vSwitch's 2011 patch did. */
const TRANSPORT_IDLE_RECHECK = 1000;

function isConnectedState(state: ReconnectState): boolean {
  return state === 'ACTIVE' || state === 'IDLE';
}

function invalid(message: string): RconnError {
  return new RconnError('EINVAL', message);
}

function checkJitter(jitter: number): number {
  if (!(jitter >= 0 && jitter <= 1)) throw invalid(`reconnect jitter must be in [0, 1], got ${jitter}`);
  return jitter;
}

export class Reconnect {
  /* Configuration. */
  readonly name: string;
  private minBackoff = DEFAULT_MIN_BACKOFF;
  private maxBackoff = DEFAULT_MAX_BACKOFF;
  private probeInterval = DEFAULT_PROBE_INTERVAL;
  private passive = false;
  private appProbe = true;
  /** Transport probing: whether timeout() includes the checkIdle deadline (see setTransportWatch). */
  private transportWatch = true;
  private echoInterval = 0;
  /** Fixed CONNECTING timeout, or null for OVS's max(1000, backoff). */
  private connectTimeout: number | null = null;
  private jitter = 0;
  private random: () => number = Math.random;

  /* State. */
  private _state: ReconnectState = 'VOID';
  private stateEntered: number;
  private backoff = 0;
  /** The BACKOFF wait actually used: `backoff` minus jitter, fixed when BACKOFF is entered. */
  private backoffWait = 0;
  private lastActivity: number;
  private lastConnected: number | null = null;
  private lastDisconnected: number | null = null;
  private lastReceiveAttempt: number;
  private maxTries = Infinity;
  private backoffFreeTries = 0;
  /** Transport probing: earliest time to return 'checkIdle' again (at most once a second). */
  private nextTransportIdleUpdate = -Infinity;
  /** Hybrid echo: when the outstanding echo was requested, null if none is outstanding. */
  private echoSentAt: number | null = null;

  /* Statistics only. */
  private readonly creationTime: number;
  private nAttemptedConnections = 0;
  private nSuccessfulConnections = 0;
  private totalConnectedDuration = 0;
  private seqno = 0;

  constructor(now: number, options: ReconnectOptions = {}) {
    this.name = options.name ?? 'void';
    this.stateEntered = now;
    this.lastActivity = now;
    // As in OVS: the guard is armed from creation, so an owner that never reports receive
    // attempts never gets a probe. Pass Infinity to receiveAttempted() to disable the guard.
    this.lastReceiveAttempt = now;
    this.creationTime = now;
    if (options.minBackoff !== undefined || options.maxBackoff !== undefined) {
      this.setBackoff(options.minBackoff ?? 0, options.maxBackoff ?? 0);
    }
    if (options.probeInterval !== undefined) this.setProbeInterval(options.probeInterval);
    if (options.maxTries !== undefined) this.setMaxTries(options.maxTries);
    if (options.passive) this.passive = true;
    if (options.backoffFreeTries !== undefined) this.setBackoffFreeTries(options.backoffFreeTries);
    if (options.jitter !== undefined || options.random !== undefined) {
      this.setJitter(options.jitter ?? 0, options.random);
    }
    if (options.echoInterval !== undefined) this.setEchoInterval(options.echoInterval);
    if (options.connectTimeout !== undefined) this.setConnectTimeout(options.connectTimeout);
  }

  get state(): ReconnectState {
    return this._state;
  }

  /* ---- Configuration ------------------------------------------------------------------- */

  /** Remaining connection attempts; Infinity = unlimited (the default). */
  setMaxTries(n: number): void {
    if (!(n >= 0)) throw invalid(`max tries must be >= 0, got ${n}`);
    this.maxTries = n === Infinity ? Infinity : Math.floor(n);
  }

  getMaxTries(): number {
    return this.maxTries;
  }

  /** Both are forced to >= 1000 ms; 0 for max means the default; max is raised to min. */
  setBackoff(minMs: number, maxMs: number): void {
    this.minBackoff = Math.max(minMs, 1000);
    this.maxBackoff = maxMs ? Math.max(maxMs, 1000) : DEFAULT_MAX_BACKOFF;
    if (this.minBackoff > this.maxBackoff) this.maxBackoff = this.minBackoff;
    if (this._state === 'BACKOFF' && this.backoff > this.maxBackoff) {
      this.backoff = this.maxBackoff;
      this.backoffWait = Math.min(this.backoffWait, this.maxBackoff);
    }
  }

  getMinBackoff(): number {
    return this.minBackoff;
  }

  getMaxBackoff(): number {
    return this.maxBackoff;
  }

  /** Attempts made back to back before backoff starts; 0 and 1 both mean a single attempt. */
  setBackoffFreeTries(n: number): void {
    this.backoffFreeTries = Math.max(0, Math.floor(n));
  }

  /** 0 disables probing; nonzero values are forced to >= 1000 ms as in OVS. */
  setProbeInterval(ms: number): void {
    this.probeInterval = ms ? Math.max(1000, ms) : 0;
  }

  getProbeInterval(): number {
    return this.probeInterval;
  }

  /**
   * true (default): the application probes (echo requests); an unanswered probe times the
   * connection out. false: the transport probes (TCP keepalive); run() returns 'checkIdle' and
   * the transport, not this machine, decides when the connection is dead.
   */
  setAppProbe(app: boolean): void {
    this.appProbe = app;
  }

  isAppProbe(): boolean {
    return this.appProbe;
  }

  /**
   * Transport probing only. true (default): 'checkIdle' falls due on the machine's own schedule
   * and timeout() counts it, so the owner wakes up to look. false: the looks are on demand; since
   * checkIdle can never end a connection (the transport does that), timeout() leaves it out and a
   * quiet healthy connection needs no wakeup at all, while run() still returns 'checkIdle' when a
   * look would be due, so an owner that runs the machine on request (a status query) gets a fresh
   * answer, at most once a second.
   */
  setTransportWatch(watch: boolean): void {
    this.transportWatch = watch;
  }

  /**
   * End-to-end echo while transport probing (ignored while app probing, where the ordinary
   * probe is already an echo): nothing received for `ms` -> 'probe'; still nothing `ms` after
   * that probe -> 'disconnect'. 0 turns it off.
   */
  setEchoInterval(ms: number): void {
    this.echoInterval = ms > 0 ? ms : 0;
  }

  getEchoInterval(): number {
    return this.echoInterval;
  }

  /**
   * How long a connection attempt (CONNECTING, e.g. TCP connect + HELLO) may take before run()
   * says 'disconnect'. null or 0 restores the OVS rule, max(1000 ms, current backoff), which
   * gives a slow peer more time as the backoff grows.
   */
  setConnectTimeout(ms: number | null): void {
    if (ms !== null && !(ms >= 0)) throw invalid(`connect timeout must be >= 0, got ${ms}`);
    this.connectTimeout = ms ? ms : null;
  }

  getConnectTimeout(): number | null {
    return this.connectTimeout;
  }

  /** Backoff jitter in [0, 1] and, optionally, its random source (tests inject a fixed one). */
  setJitter(jitter: number, random?: () => number): void {
    this.jitter = checkJitter(jitter);
    if (random) this.random = random;
  }

  isPassive(): boolean {
    return this.passive;
  }

  /** Switching modes restarts a pending attempt (or a listen) from BACKOFF, as in OVS. */
  setPassive(passive: boolean, now: number): void {
    if (this.passive === passive) return;
    this.passive = passive;
    const restart = passive
      ? this._state === 'CONNECTING' || this._state === 'RECONNECT'
      : this._state === 'LISTENING' && this.mayRetry();
    if (restart) this.enterBackoff(now, 0);
  }

  /* ---- Inputs ---------------------------------------------------------------------------- */

  isEnabled(): boolean {
    return this._state !== 'VOID' && this._state !== 'DISCONNECTED';
  }

  /** From VOID or DISCONNECTED (and with tries left): the next run() returns 'connect'. */
  enable(now: number): void {
    if ((this._state === 'VOID' || this._state === 'DISCONNECTED') && this.mayRetry()) {
      this.enterBackoff(now, 0);
    }
  }

  disable(now: number): void {
    if (this._state !== 'VOID') this.transition(now, 'VOID');
  }

  /** While connecting or connected: the next run() returns 'disconnect', then back off. */
  forceReconnect(now: number): void {
    if (this._state === 'CONNECTING' || isConnectedState(this._state)) {
      this.transition(now, 'RECONNECT');
    }
  }

  /** A connection (or listen) attempt is in progress; it times out after max(1 s, backoff). */
  connecting(now: number): void {
    if (this._state !== 'CONNECTING') this.transition(now, 'CONNECTING');
  }

  /** The client is listening (passive mode); LISTENING lasts until the client reports a change. */
  listening(now: number): void {
    if (this._state !== 'LISTENING') this.transition(now, 'LISTENING');
  }

  /** accept() failed while LISTENING: back off and listen again. */
  listenError(now: number, error: string): void {
    if (this._state === 'LISTENING') this.disconnected(now, error);
  }

  connected(now: number): void {
    if (isConnectedState(this._state)) return;
    this.connecting(now);
    this.transition(now, 'ACTIVE');
    this.lastConnected = now;
    this.echoSentAt = null;
    this.nextTransportIdleUpdate = -Infinity;
  }

  connectFailed(now: number, error: string): void {
    this.connecting(now);
    this.disconnected(now, error);
  }

  /**
   * The connection dropped or an attempt failed. `error`: null or '' = closed by us, 'EOF' =
   * closed by the peer, else an errno name; only the owner's logs care which. Backs off, or
   * enters DISCONNECTED when no tries are left.
   */
  disconnected(now: number, error: string | null): void {
    void error;
    if (this._state === 'BACKOFF' || this._state === 'VOID' || this._state === 'DISCONNECTED') {
      return;
    }
    const wasConnected = isConnectedState(this._state);
    if (wasConnected) this.lastDisconnected = now;
    this.echoSentAt = null;

    if (!this.mayRetry()) {
      this.transition(now, 'DISCONNECTED');
      return;
    }

    if (this.backoffFreeTries > 1) {
      this.backoffFreeTries--;
      this.enterBackoff(now, 0);
      return;
    }
    this.enterBackoff(
      now,
      nextBackoff({
        current: this.backoff,
        min: this.minBackoff,
        max: this.maxBackoff,
        passive: this.passive,
        wasConnected,
        carriedDataFor: this.lastActivity - (this.lastConnected ?? now),
      }),
    );
  }

  /** Something was received: resets the probe timers and answers an outstanding probe. */
  activity(now: number): void {
    if (this._state === 'IDLE') this.transition(now, 'ACTIVE');
    this.lastActivity = now;
    this.echoSentAt = null;
  }

  /**
   * The owner tried to read at `now` (whether or not anything arrived). A probe or timeout
   * deadline only fires once a receive was attempted at or after it, so a stalled event loop
   * that wakes up late cannot mistake unread input for silence. Infinity disables the guard.
   */
  receiveAttempted(now: number): void {
    this.lastReceiveAttempt = now;
  }

  /** When the owner last said it tried to read (see receiveAttempted). */
  getLastReceiveAttempt(): number {
    return this.lastReceiveAttempt;
  }

  /**
   * Answer to 'checkIdle': is the transport currently probing an idle connection? A transport
   * that knows when it will next send a keepalive probe may say so in `recheckInMs`: until then
   * there is nothing to see, so the next check waits that long instead of every 1 s (never
   * less than 1 s). It turns a healthy idle connection's wakeups from one a second into about one
   * per probe interval.
   */
  setTransportIdle(now: number, idle: boolean, recheckInMs?: number): void {
    if (!idle && recheckInMs !== undefined && recheckInMs > TRANSPORT_IDLE_RECHECK) {
      this.nextTransportIdleUpdate = now + recheckInMs;
    }
    if (this._state === 'ACTIVE' && idle) {
      this.transition(now, 'IDLE');
    } else if (this._state === 'IDLE' && !idle) {
      this.transition(now, 'ACTIVE');
    }
  }

  /* ---- Outputs --------------------------------------------------------------------------- */

  /** The one action the owner should take now, or null. */
  run(now: number): ReconnectAction {
    switch (this._state) {
      case 'VOID':
      case 'DISCONNECTED':
      case 'LISTENING':
        return null;
      case 'BACKOFF':
        return now >= this.stateEntered + this.backoffWait ? 'connect' : null;
      case 'CONNECTING':
        return now >= this.connectingDeadline() ? 'disconnect' : null;
      case 'RECONNECT':
        return 'disconnect';
      case 'ACTIVE':
      case 'IDLE':
        return this.runConnected(now);
    }
  }

  /** Absolute time at which run() should next be called; Infinity = only after some input. */
  deadline(now: number): number {
    switch (this._state) {
      case 'VOID':
      case 'DISCONNECTED':
      case 'LISTENING':
        return Infinity;
      case 'BACKOFF':
        return this.stateEntered + this.backoffWait;
      case 'CONNECTING':
        return this.connectingDeadline();
      case 'RECONNECT':
        return this.stateEntered;
      case 'ACTIVE':
      case 'IDLE':
        if (!this.appProbe && !this.transportWatch) return this.echoDeadline(now);
        return Math.min(this.probeDeadline(now), this.echoDeadline(now));
    }
  }

  /** ms from `now` until run() should be called (0 = now); null = no timer needed. */
  timeout(now: number): number | null {
    const deadline = this.deadline(now);
    return deadline === Infinity ? null : Math.max(0, deadline - now);
  }

  isConnected(): boolean {
    return isConnectedState(this._state);
  }

  stats(now: number): ReconnectStats {
    const connected = this.isConnected();
    const msecSinceConnect = this.lastConnected === null ? null : now - this.lastConnected;
    return {
      state: this._state,
      stateElapsed: now - this.stateEntered,
      backoff: this.backoff,
      creationTime: this.creationTime,
      lastActivity: this.lastActivity,
      lastConnected: this.lastConnected,
      lastDisconnected: this.lastDisconnected,
      lastReceiveAttempt: this.lastReceiveAttempt,
      nAttemptedConnections: this.nAttemptedConnections,
      nSuccessfulConnections: this.nSuccessfulConnections,
      seqno: this.seqno,
      isConnected: connected,
      msecSinceConnect,
      msecSinceDisconnect: this.lastDisconnected === null ? null : now - this.lastDisconnected,
      totalConnectedDuration:
        this.totalConnectedDuration + (connected && msecSinceConnect !== null ? msecSinceConnect : 0),
    };
  }

  /* ---- Internals ------------------------------------------------------------------------- */

  private runConnected(now: number): ReconnectAction {
    // The echo is checked first: when both are due, the end-to-end check is the one that can
    // end the connection, and checkIdle is only a query that will still be due next call.
    if (now >= this.echoDeadline(now)) {
      if (this.echoSentAt !== null) return 'disconnect';
      this.echoSentAt = now;
      return 'probe';
    }
    if (now < this.probeDeadline(now)) return null;
    if (!this.appProbe) {
      this.nextTransportIdleUpdate = now + TRANSPORT_IDLE_RECHECK;
      return 'checkIdle';
    }
    if (this._state === 'ACTIVE') {
      this.transition(now, 'IDLE');
      return 'probe';
    }
    return 'disconnect';
  }

  private connectingDeadline(): number {
    return this.stateEntered + (this.connectTimeout ?? Math.max(1000, this.backoff));
  }

  /** Deadline of the keepalive probe (app or transport) in ACTIVE/IDLE. */
  private probeDeadline(now: number): number {
    if (!this.probeInterval) return Infinity;
    if (!this.appProbe) {
      // Transport probing: no guard, since checkIdle only asks and never times anything out.
      if (this._state === 'IDLE') return this.nextTransportIdleUpdate;
      const base = Math.max(this.lastActivity, this.stateEntered);
      return Math.max(base + this.probeInterval, this.nextTransportIdleUpdate);
    }
    const expiration =
      this._state === 'ACTIVE'
        ? Math.max(this.lastActivity, this.stateEntered) + this.probeInterval
        : this.stateEntered + this.probeInterval;
    return this.guarded(expiration, now);
  }

  /** Deadline of the hybrid echo (probe, or disconnect when one is outstanding). */
  private echoDeadline(now: number): number {
    if (this.appProbe || !this.echoInterval) return Infinity;
    const base =
      this.echoSentAt ?? Math.max(this.lastActivity, this.lastConnected ?? this.stateEntered);
    return this.guarded(base + this.echoInterval, now);
  }

  /**
   * OVS's receive-attempted guard: an expired deadline counts only if the owner attempted a
   * receive at or after it; until then ask to be woken at once (now + 1) so it gets the chance.
   */
  private guarded(expiration: number, now: number): number {
    if (now < expiration || this.lastReceiveAttempt >= expiration) return expiration;
    return now + 1;
  }

  private enterBackoff(now: number, backoff: number): void {
    this.transition(now, 'BACKOFF');
    this.backoff = backoff;
    // Jitter only shortens the wait, so the documented backoff stays an upper bound.
    this.backoffWait = this.jitter ? backoff * (1 - this.jitter * this.random()) : backoff;
  }

  /** Consumes one try if any are left. */
  private mayRetry(): boolean {
    if (this.maxTries <= 0) return false;
    if (this.maxTries !== Infinity) this.maxTries--;
    return true;
  }

  private transition(now: number, state: ReconnectState): void {
    if (this._state === 'CONNECTING') {
      this.nAttemptedConnections++;
      if (state === 'ACTIVE') this.nSuccessfulConnections++;
    }
    const wasConnected = isConnectedState(this._state);
    if (wasConnected !== isConnectedState(state)) {
      if (wasConnected && this.lastConnected !== null) {
        this.totalConnectedDuration += now - this.lastConnected;
      }
      this.seqno++;
    }
    this._state = state;
    this.stateEntered = now;
  }
}
