// Imported rather than the global, which Node serves through a getter on every use (~9 ns).
import { Buffer } from 'node:buffer';
import { EventEmitter } from 'node:events';
import { encode, echoRequest, versionName, type ControllerRole, type OfpMessage } from '../ofp/index.js';
import { parseTarget } from '../stream/index.js';
import { Vconn } from '../vconn/vconn.js';
import type { VconnLike, VconnSink } from '../vconn/types.js';
import { Reconnect, type ReconnectState } from '../reconnect/index.js';
import {
  ConfigError, RconnError, TimeoutError, errorCode,
} from '../errors.js';
import { systemClock, type Clock } from './clock.js';
import { checkInterval, resolveOptions, type RconnOptions, type ResolvedOptions } from './options.js';
import { MessageIterators } from './message-iterators.js';
import { isPermanent } from './permanent.js';
import { Wakeup } from './wakeup.js';
import { PROBE_XID_BASE, Prober } from './probes.js';
import { Monitors, surface, type Monitor } from './monitors.js';
import { addRttSample, emptyRtt, type RttStats } from './rtt.js';
import type { RconnStatus } from './status.js';
import type { RconnEventMap } from './events.js';
import type { TxCounter } from './tx-counter.js';
import { SendPath } from './send-path.js';
import { requestRole, type RoleReply, type RoleRequestOptions } from './role.js';
import type { SwitchFeatures } from './handshake.js';
import { LISTENERS_CHANGED, ListenerList, watchListenerChanges } from './listeners.js';

/** Disconnect codes that mean the peer's input made us drop it (counted as status.inputFaults). */
const INPUT_FAULTS = new Set(['EINTERNAL', 'EFLOOD']);

/** " (3 queued messages dropped; 1200 bytes possibly lost)" or '' when nothing is known lost. */
function describeLoss(dropped: number, unackedBytes: number | null): string {
  const parts: string[] = [];
  if (dropped) parts.push(`${dropped} queued messages dropped`);
  if (unackedBytes) parts.push(`${unackedBytes} bytes sent but never acknowledged: possibly lost`);
  return parts.length ? ` (${parts.join('; ')})` : '';
}

const OFPT_ECHO_REQUEST = 2;
const OFPT_ECHO_REPLY = 3;
/** rxNow outside a chunk (no clock reads -Infinity). */
const OUTSIDE_CHUNK = -Infinity;
// How late a look that a transport look scheduled may come, so the clock batches the looks of
// many rconns into one wakeup (Clock.setTimer). Well inside the answer window before it and the
// probe period after it, so the look still lands after one probe's answer and before the next.
const TRANSPORT_LOOK_SLACK_MS = 250;
// Runs of the state machine per wakeup; each run() returns one action and the actions of one
// instant are few (connect, checkIdle + echo), so this only guards against a logic error spinning.
const MAX_ACTIONS_PER_WAKEUP = 8;

/**
 * A reliable OpenFlow connection (docs/DESIGN.md, "The path of a message"): connects (or adopts an accepted vconn), negotiates,
 * keeps the connection verifiably alive with transport keepalive or OFPT_ECHO, reconnects with
 * backoff, and hands every other message to the application.
 *
 * All timing decisions are made by the sans-I/O {@link Reconnect} machine; this class only turns
 * its actions into socket operations and keeps exactly one timer armed for its next deadline.
 */
export class Rconn extends EventEmitter<RconnEventMap> {
  private readonly opts: ResolvedOptions;
  private readonly clock: Clock;
  private readonly fsm: Reconnect;
  private target = '';
  private reliable = true;
  private vconn: VconnLike | null = null;
  private attempt: AbortController | null = null;
  private closed = false;
  private closing: Promise<void> | null = null;
  /** Sockets of earlier connections still in their graceful close: close() waits for them too. */
  private readonly lingering = new Set<Promise<void>>();
  private polling = false;
  private lastState: ReconnectState;
  private readonly wakeup: Wakeup;
  private readonly prober: Prober;
  private nextAppXid = 1;

  private readonly out: SendPath;
  private readonly monitors = new Monitors();
  private readonly inbox: MessageIterators<OfpMessage>;
  /** Reading from the current connection is paused (see updateReadPause). */
  private readPaused = false;
  private negotiated = 0;
  /**
   * The clock reading for the chunk being delivered: OUTSIDE_CHUNK outside one, NaN until first
   * needed. Always a number, so V8 keeps it unboxed instead of allocating a box per reading.
   */
  private rxNow = OUTSIDE_CHUNK;
  private interceptor: ((msg: OfpMessage, raw: Buffer) => void) | null = null;
  /** The 'message' listeners, refreshed when LISTENERS_CHANGED says they may have changed. */
  private readonly onMessage = new ListenerList();
  /** @internal Set by any change of listeners (see listeners.ts). */
  [LISTENERS_CHANGED] = true;

  /** The switch's datapath id and ports, once the listener's `handshake` option has run; else null. */
  features: SwitchFeatures | null = null;

  private readonly counters = {
    rxPackets: 0, rxBytes: 0, txPackets: 0, txBytes: 0, refused: 0, dropped: 0, rejected: 0,
    wakeups: 0, probesSent: 0, probeReplies: 0, unackedBytes: 0, inputFaults: 0,
  };
  private lastUnackedBytes: number | null = null;
  private readonly rtt: RttStats = emptyRtt();
  private lastError: RconnStatus['lastError'] = null;

  constructor(options: RconnOptions = {}) {
    super();
    this.opts = resolveOptions(options);
    this.clock = this.opts.clock ?? systemClock;
    const now = this.clock.now();
    this.fsm = new Reconnect(now, {
      name: this.opts.name,
      minBackoff: 1000,
      maxBackoff: this.opts.maxBackoff * 1000,
      probeInterval: this.opts.probeInterval * 1000,
      maxTries: this.opts.maxTries,
      jitter: this.opts.backoffJitter,
      random: this.opts.random,
    });
    if (this.opts.helloTimeout !== undefined) this.fsm.setConnectTimeout(this.opts.helloTimeout * 1000);
    this.lastState = this.fsm.state;
    this.prober = new Prober(this.opts, this.fsm);
    this.wakeup = new Wakeup(this.clock, (at) => {
      this.counters.wakeups++;
      this.poll(at);
    }, (at) => {
      if (this.closed) return;
      this.fsm.receiveAttempted(at);
      this.poll(at);
    });
    this.inbox = new MessageIterators<OfpMessage>(this.opts.messageHighWater, () => this.updateReadPause());
    this.out = new SendPath({
      name: () => this.name,
      connection: () => this.vconn,
      isClosed: () => this.closed,
      negotiated: () => this.negotiated,
      stateName: () => this.fsm.state,
      mayBeFull: () => { if (!this.readPaused && this.out.full()) this.updateReadPause(); },
    }, this.opts, this.counters, this.monitors);
  }

  /**
   * Connects to an active target (`tcp:`, `ssl:`, `unix:`) and keeps reconnecting (reliable). The
   * target is parsed at once: a bad one throws TargetError (EBADTARGET), a passive one ConfigError.
   */
  connect(target: string): this {
    this.assertFresh();
    // A custom connector may understand names of its own; the socket connector needs a real target.
    if (!this.opts.connector || typeof target !== 'string') {
      if (!parseTarget(target).active) {
        throw new ConfigError(`connect() needs an active target, got '${target}'; accept switches with listen()`, { option: 'target', value: target });
      }
    }
    this.target = target;
    this.fsm.enable(this.clock.now());
    this.poll();
    return this;
  }

  /**
   * Takes over an accepted, negotiated connection as an unreliable rconn: probed like any other,
   * never reconnected; it ends in state DISCONNECTED. Throws ProbeUnsupportedError (EOPNOTSUPP),
   * after closing `vconn`, when `probe: 'transport'` cannot be honoured on it.
   */
  adopt(vconn: VconnLike): this {
    this.assertFresh();
    this.target = vconn.name;
    this.reliable = false;
    this.fsm.setMaxTries(0);
    // Through CONNECTING like any attempt, so a refused probe mode ends in DISCONNECTED, not VOID.
    this.fsm.connecting(this.clock.now());
    const refused = this.attach(vconn, true);
    if (refused) throw refused;
    return this;
  }

  get name(): string {
    return this.opts.name ?? this.target;
  }

  get state(): ReconnectState {
    this.lookOnDemand();
    return this.fsm.state;
  }

  /** The negotiated OpenFlow version, 0 while not connected. */
  get version(): number {
    return this.negotiated;
  }

  /** Increments on every connect and disconnect: a changed seqno means "this is a new connection". */
  get seqno(): number {
    return this.fsm.stats(this.clock.now()).seqno;
  }

  isConnected(): boolean {
    return this.vconn !== null && this.fsm.isConnected();
  }

  /** A transaction id for the application's requests (never one of the rconn's probe xids). */
  nextXid(): number {
    const xid = this.nextAppXid;
    this.nextAppXid = this.nextAppXid >= PROBE_XID_BASE - 1 ? 1 : this.nextAppXid + 1;
    return xid;
  }

  /**
   * Sends a message (encoded with the negotiated version's rules). Throws NotConnectedError
   * (ENOTCONN) when not connected and QueueFullError (EAGAIN) when `txqLimit` messages already wait
   * behind a slow socket.
   */
  send(msg: OfpMessage | Buffer): void {
    this.out.send(msg, null, Infinity);
  }

  /** Like {@link send}, but refuses (EAGAIN) once `limit` messages of `counter` are queued. */
  sendWithLimit(msg: OfpMessage | Buffer, counter: TxCounter, limit: number): void {
    this.out.send(msg, counter, limit);
  }

  /** Asks the switch for a controller role (OpenFlow 1.2+): see {@link requestRole}. */
  requestRole(role: ControllerRole, generationId?: bigint, options?: RoleRequestOptions): Promise<RoleReply> {
    return requestRole(this, this.clock, role, generationId, options);
  }

  /**
   * Received messages (other than the echoes the rconn handles), across reconnects, until close().
   * Each call is an iterator with its own queue that sees every message from its creation on; a
   * queue over `messageHighWater` pauses reading; leaving the loop frees the queue.
   */
  messages(): AsyncIterableIterator<OfpMessage> {
    return this.inbox.open();
  }

  /**
   * Like {@link messages}, but each step yields an array: every message that arrived since the
   * previous step (typically one socket read's worth), so a busy loop pays one promise per batch
   * rather than one per message. Same queue rules: `messageHighWater` messages pause reading.
   */
  messageBatches(): AsyncIterableIterator<OfpMessage[]> {
    return this.inbox.openBatches();
  }

  /**
   * Adds a monitor; returns the function that removes it. A monitor gets its own copy of each
   * message's bytes; one that throws is reported like a throwing event listener.
   */
  addMonitor(monitor: Monitor): () => void {
    return this.monitors.add(monitor, this.name);
  }

  /**
   * Changes the probe interval (seconds; 0 off; (0, 5) clamps to 5) and re-applies keepalive.
   * Anything but a finite number >= 0 throws ConfigError.
   */
  setProbeInterval(seconds: number): void {
    const clamped = checkInterval('Rconn.setProbeInterval', 'seconds', seconds === undefined ? null : seconds, 0);
    if (this.closed || clamped === this.prober.interval) return;
    this.prober.interval = clamped;
    this.fsm.setProbeInterval(clamped * 1000);
    if (this.vconn) this.prober.select(this.vconn);
    this.poll();
  }

  /** Drops the current connection (if any) and reconnects after the usual backoff. */
  forceReconnect(): void {
    if (this.closed) return;
    this.fsm.forceReconnect(this.clock.now());
    this.poll();
  }

  status(): RconnStatus {
    this.lookOnDemand();
    const now = this.clock.now();
    const stats = this.fsm.stats(now);
    const c = this.counters;
    // Built without object spread: spreading these two dozen fields cost ~100 times more, which
    // a reporter that asks for status() per event turned into seconds during a message burst.
    return Object.assign(stats, {
      name: this.name,
      target: this.target,
      reliable: this.reliable,
      version: this.negotiated,
      probe: this.vconn ? this.prober.mode : 'off',
      probeInterval: this.prober.interval,
      echoInterval: this.opts.echoInterval,
      keepaliveError: this.prober.keepaliveError,
      rtt: { ...this.rtt },
      rxPackets: c.rxPackets, rxBytes: c.rxBytes, txPackets: c.txPackets, txBytes: c.txBytes,
      refused: c.refused, dropped: c.dropped, rejected: c.rejected, wakeups: c.wakeups,
      probesSent: c.probesSent, probeReplies: c.probeReplies, unackedBytes: c.unackedBytes, inputFaults: c.inputFaults,
      txq: this.out.queued,
      txqBytes: this.out.queuedBytes,
      sendBacklog: this.out.backlog(),
      lastUnackedBytes: this.lastUnackedBytes,
      lastError: this.lastError,
    });
  }

  /**
   * Closes the connection and stops reconnecting. Afterwards no timer, socket or listener of this
   * rconn remains; the returned promise settles when the socket is closed. `reason`, if given, is
   * the `error` of the last 'disconnected' event (e.g. a ReplacedError from the listener).
   */
  close(reason?: Error): Promise<void> {
    this.closing ??= this.shutdown(reason ?? null);
    return this.closing;
  }

  private async shutdown(reason: Error | null): Promise<void> {
    this.closed = true;
    this.attempt?.abort();
    this.attempt = null;
    this.wakeup.cancel();
    const conn = this.vconn;
    const now = this.clock.now();
    const closing = conn ? this.detach(conn, reason) : undefined;
    this.fsm.disable(now);
    this.syncState();
    this.inbox.end();
    await Promise.all([closing, ...this.lingering]);
    this.fire('close');
  }

  /**
   * @internal While set, received messages go to `fn` instead of the application (the handshake
   * reads its replies and holds the rest); null restores delivery.
   */
  interceptDelivery(fn: ((msg: OfpMessage, raw: Buffer) => void) | null): void {
    this.interceptor = fn;
  }

  /** @internal Hands a message to the application: `message` listeners and messages(). */
  deliver(msg: OfpMessage, raw: Buffer): void {
    this.deliverAt(msg, raw, 0, raw.length);
  }

  /** deliver() for the message at `buf[at]`: `raw` is made only when a listener can read it. */
  private deliverAt(msg: OfpMessage, buf: Buffer, at: number, length: number): void {
    if (this.inbox.size > 0) this.inbox.push(msg);
    if (this[LISTENERS_CHANGED]) {
      this[LISTENERS_CHANGED] = false;
      this.onMessage.refresh(this, 'message');
    }
    this.onMessage.call(this, msg, buf, at, length);
  }

  // ---- the state machine's actions -------------------------------------------------------------

  /** Runs the state machine until it has nothing to do, then arms the timer for its next deadline. */
  private poll(now = this.clock.now()): void {
    // Handlers below report back (disconnected, connectFailed) and would poll again from inside
    // this loop; the outer loop already runs the machine to completion, so a nested call is a no-op.
    if (this.closed || this.polling) return;
    this.polling = true;
    try {
      for (let i = 0; i < MAX_ACTIONS_PER_WAKEUP; i++) {
        const action = this.fsm.run(now);
        if (action === null) break;
        if (action === 'connect') this.startConnect(now);
        else if (action === 'disconnect') this.onDeadline(now);
        else if (action === 'probe') this.sendProbe(now);
        else this.lookAtTransport(now);
        if (this.closed) return;
      }
    } finally {
      this.polling = false;
    }
    this.syncState();
    this.arm(now);
  }

  private startConnect(now: number): void {
    this.fsm.connecting(now);
    const ac = new AbortController();
    this.attempt = ac;
    const connector = this.opts.connector
      ?? ((target: string, signal: AbortSignal) => Vconn.open(target, { versions: this.opts.versions, tls: this.opts.tls, signal }));
    let pending: Promise<VconnLike>;
    try {
      pending = connector(this.target, ac.signal);
    } catch (err) {
      pending = Promise.reject(err);
    }
    pending.then(
      (conn) => {
        if (this.attempt !== ac) { conn.close(); return; }
        this.attempt = null;
        this.attach(conn);
      },
      (err: unknown) => {
        if (this.attempt !== ac) return;
        this.attempt = null;
        this.connectFailed(err instanceof Error ? err : new RconnError('EIO', String(err)));
      },
    );
  }

  private connectFailed(error: Error): void {
    const now = this.clock.now();
    const permanent = this.giveUpOn(error);
    this.fsm.connectFailed(now, errorCode(error));
    this.noteError(error, now);
    const stats = this.fsm.stats(now);
    const deadline = this.fsm.deadline(now);
    const retryIn = this.fsm.state === 'BACKOFF' && Number.isFinite(deadline) ? Math.max(0, deadline - now) : null;
    const then = permanent ? ', permanent: giving up' : retryIn === null ? '' : `, retrying in ${(retryIn / 1000).toFixed(1)} s`;
    this.opts.logger.warn(`${this.name}: connection attempt failed (${error.message})${then}`);
    this.syncState();
    this.fire('connectFailed', { error, retryIn, attempts: stats.nAttemptedConnections });
    if (permanent) this.reportPermanent(error);
    this.poll(now);
  }

  /**
   * A permanent error (see permanent.ts) allows no further attempt: the next failure report moves
   * the machine to DISCONNECTED. Returns whether `error` is one.
   */
  private giveUpOn(error: Error): boolean {
    if (!isPermanent(error, this.opts.stopOnIncompatible)) return false;
    this.fsm.setMaxTries(0);
    return true;
  }

  /** The one 'error' event of a stopped rconn (only when someone listens: it must never crash). */
  private reportPermanent(error: Error): void {
    this.opts.logger.error(`${this.name}: stopped: ${error.message}`);
    if (this.listenerCount('error') > 0) this.fire('error', error);
  }

  /** A deadline of the state machine passed: a HELLO that never came or a probe never answered. */
  private onDeadline(now: number): void {
    const state = this.fsm.state;
    if (state === 'CONNECTING') {
      this.attempt?.abort();
      this.attempt = null;
      const ms = Math.round(this.fsm.stats(now).stateElapsed);
      const steps = this.target.startsWith('ssl:') ? 'connect, TLS handshake and HELLO exchange' : 'connect and HELLO exchange';
      this.connectFailed(new TimeoutError(`${this.name}: ${steps} did not finish within ${ms} ms`));
      return;
    }
    const conn = this.vconn;
    if (!conn) {
      // RECONNECT with nothing to drop: forceReconnect() during an attempt, which must not live on
      // and attach later (that would jump BACKOFF -> ACTIVE and count one attempt twice).
      this.attempt?.abort();
      this.attempt = null;
      this.fsm.disconnected(now, null);
      return;
    }
    if (state === 'RECONNECT') {
      this.detach(conn, null);
      return;
    }
    const silentFor = this.prober.silentFor(now);
    this.detach(conn, new TimeoutError(`${this.name}: no response to inactivity probe after ${silentFor} s, disconnecting`));
  }

  private sendProbe(now: number): void {
    if (!this.vconn) return;
    const xid = this.prober.echoes.next(now);
    this.counters.probesSent++;
    this.out.transmit(encode(echoRequest(this.negotiated, xid)));
    this.opts.logger.debug(`${this.name}: idle, sent inactivity probe (xid ${xid})`);
    this.fire('probe', { kind: 'echo', phase: 'sent', xid });
  }

  private lookAtTransport(now: number): void {
    if (!this.vconn) return;
    const change = this.prober.look(now, this.vconn);
    if (change === null) return;
    this.opts.logger.debug(`${this.name}: transport keepalive ${change === 'idle' ? 'probe outstanding' : 'answered'}`);
    this.fire('probe', { kind: 'transport', phase: change });
  }

  /**
   * Without watchIdle no timer looks at a transport-probed connection; whoever asks for the state
   * gets a fresh look instead, when one is due (the machine allows one a second at most).
   */
  private lookOnDemand(): void {
    if (this.prober.looksOnDemand && this.vconn !== null) this.poll();
  }

  // ---- connection lifecycle --------------------------------------------------------------------

  /** Takes `conn` as the current connection; returns the refusal when its probe mode cannot be honoured. */
  private attach(conn: VconnLike, deferDelivery = false): Error | null {
    const now = this.clock.now();
    const refused = this.prober.select(conn);
    if (refused) {
      void conn.close();
      this.connectFailed(refused);
      return refused;
    }
    this.vconn = conn;
    this.negotiated = conn.version;
    this.readPaused = false;
    this.updateReadPause();
    this.fsm.connected(now);
    this.opts.logger.info(`${this.name}: connected (OpenFlow ${versionName(conn.version)}, probing: ${this.prober.mode})`);
    this.syncState();
    const begin = (): void => {
      if (this.vconn !== conn) return;
      this.fire('connected', { version: conn.version, versionName: versionName(conn.version), seqno: this.seqno, probe: this.prober.mode });
      // A 'connected' listener may have closed us; only a still-current connection starts reading.
      if (this.vconn !== conn) return;
      conn.start(new Rconn.Sink(this, conn));
    };
    // adopt() is called before whoever handed us the vconn could attach listeners: give them the
    // rest of this turn, or 'connected' and messages that came with the peer's HELLO are lost.
    if (deferDelivery) process.nextTick(begin);
    else begin();
    this.poll();
    return null;
  }

  /**
   * What a connection of this rconn reports to. One object with prototype methods per connection,
   * not a closure per callback: on 10,000 idle connections eight closures were ~450 bytes each
   * (P5's heap per connection). Declared in the class body so it may call the rconn's private
   * methods; a report from a connection that is no longer current is ignored.
   */
  private static readonly Sink = class ConnectionSink implements VconnSink {
    constructor(private readonly rconn: Rconn, private readonly conn: VconnLike) {}

    chunkStart(): void { this.rconn.rxNow = NaN; }

    chunkEnd(): void { this.rconn.rxNow = OUTSIDE_CHUNK; }

    peek(type: number, buf: Buffer, at: number, length: number): boolean {
      const r = this.rconn;
      // An echo request answered in place: never decoded, the reply built in the write buffer.
      if (type !== OFPT_ECHO_REQUEST || !r.opts.autoEchoReply || r.vconn !== this.conn) return false;
      if (!r.out.replyInPlace(this.conn, buf, at, length, OFPT_ECHO_REPLY)) return false;
      r.received(length);
      return true;
    }

    echoRun(buf: Buffer, at: number, length: number, count: number): boolean {
      const r = this.rconn;
      if (!r.opts.autoEchoReply || r.vconn !== this.conn) return false;
      if (!r.out.replyRunInPlace(this.conn, buf, at, length, count, OFPT_ECHO_REPLY)) return false;
      r.received(length, count);
      return true;
    }

    message(msg: OfpMessage, raw: Buffer): void { this.rconn.receivedMessage(this.conn, msg, raw, 0, raw.length); }

    messageAt(msg: OfpMessage, buf: Buffer, at: number, length: number): void { this.rconn.receivedMessage(this.conn, msg, buf, at, length); }

    rejected(err: Error, raw: Buffer): void {
      const r = this.rconn;
      if (r.vconn !== this.conn) return;
      // An undeliverable message still proves the peer is alive.
      r.received(raw.length);
      r.counters.rejected++;
      r.opts.logger.warn(`${r.name}: ${err.message}; answered with OFPT_ERROR`);
    }

    drain(): void {
      const r = this.rconn;
      if (r.vconn !== this.conn) return;
      // Open vSwitch's rule: a message handed to the transport from the queue is activity. The
      // socket took it because the peer acknowledged what was ahead of it: a slow reader is
      // alive, and our echo waiting behind its backlog must not time it out.
      if (r.out.drained()) r.activity();
      if (r.readPaused) r.updateReadPause();
    }

    close(err: Error | null): void {
      if (this.rconn.vconn !== this.conn) return;
      this.rconn.detach(this.conn, err);
    }
  };

  /** A decoded message of `conn` at `buf[at]`, `length` bytes: the rconn's own, or the application's. */
  private receivedMessage(conn: VconnLike, msg: OfpMessage, buf: Buffer, at: number, length: number): void {
    if (this.vconn !== conn) return;
    this.received(length);
    if (this.monitors.size > 0) this.monitors.tell('rx', buf, at, length);
    if (msg.type === 'ECHO_REQUEST' && this.opts.autoEchoReply) {
      // The request's bytes with another type: same xid and payload, negotiated version.
      const reply = Buffer.allocUnsafe(length);
      buf.copy(reply, 0, at, at + length);
      reply[0] = this.negotiated;
      reply[1] = OFPT_ECHO_REPLY;
      this.out.transmit(reply);
      return;
    }
    // Only our own probes' replies need the time (the chunk's, read once in received()).
    const rttMs = msg.type === 'ECHO_REPLY' && msg.xid >= PROBE_XID_BASE ? this.prober.echoes.answer(msg.xid, this.rxTime()) : null;
    if (rttMs !== null) {
      this.counters.probeReplies++;
      addRttSample(this.rtt, rttMs);
      this.fire('probe', { kind: 'echo', phase: 'reply', xid: msg.xid, rttMs });
      return;
    }
    if (this.interceptor) this.interceptor(msg, buf.subarray(at, at + length));
    else this.deliverAt(msg, buf, at, length);
  }

  /**
   * Any message from the peer, delivered or not, is liveness (`count` of them, `length` bytes
   * together). The messages of one chunk arrive at one instant: the first records the activity (and
   * reports IDLE -> ACTIVE before it is delivered); the rest would only repeat it.
   */
  private received(length: number, count = 1): void {
    this.counters.rxPackets += count;
    this.counters.rxBytes += length;
    if (this.rxNow !== OUTSIDE_CHUNK && !Number.isNaN(this.rxNow)) return;
    this.fsm.activity(this.rxTime());
    this.syncState();
  }

  /** The time of the chunk being delivered (read once per chunk), or now outside a chunk. */
  private rxTime(): number {
    const now = this.rxNow;
    if (now === OUTSIDE_CHUNK) return this.clock.now();
    if (Number.isNaN(now)) return (this.rxNow = this.clock.now());
    return now;
  }

  /** IDLE -> ACTIVE is a state change like any other: reported now, not at the next wakeup. */
  private activity(): void {
    this.fsm.activity(this.clock.now());
    this.syncState();
  }

  /** Ends the current connection and reports it; the one path every disconnect takes. */
  private detach(conn: VconnLike, error: Error | null): void | Promise<void> {
    this.vconn = null;
    const closing = conn.close();
    if (closing) {
      this.lingering.add(closing);
      const settled = (): void => { this.lingering.delete(closing); };
      closing.then(settled, settled);
    }
    const now = this.clock.now();
    const dropped = this.out.drop(conn);
    const unackedBytes = conn.unackedBytes?.() ?? null;
    this.lastUnackedBytes = unackedBytes;
    if (unackedBytes !== null) this.counters.unackedBytes += unackedBytes;
    if (error && INPUT_FAULTS.has(errorCode(error))) this.counters.inputFaults++;
    this.prober.echoes.clear();
    this.negotiated = 0;
    if (error) this.noteError(error, now);
    const permanent = error !== null && !this.closed && this.giveUpOn(error);
    if (!this.closed) this.fsm.disconnected(now, error ? errorCode(error) : null);
    const seqno = this.fsm.stats(now).seqno;
    const why = error ? `: ${error.message}` : '';
    const lost = describeLoss(dropped, unackedBytes);
    if (error) this.opts.logger.warn(`${this.name}: disconnected${why}${lost}`);
    else this.opts.logger.info(`${this.name}: connection closed${lost}`);
    this.syncState();
    this.fire('disconnected', { error, dropped, unackedBytes, seqno });
    if (permanent && error) this.reportPermanent(error);
    if (!this.closed) this.poll(now);
    return closing;
  }

  // ---- timer ---------------------------------------------------------------------------------

  /** Exactly one timer, armed for the state machine's next deadline only (none if there is none). */
  private arm(now: number): void {
    const deadline = this.fsm.deadline(now);
    // Only a look that a look scheduled (1 s after a probe) may come late: the first look of a
    // quiet period comes on the eve of the kernel's first probe, and late it could land inside
    // the probe's round trip and report a healthy peer IDLE.
    const slack = deadline === this.prober.lookAgainAt && this.fsm.isConnected() ? TRANSPORT_LOOK_SLACK_MS : 0;
    this.wakeup.arm(now, deadline, deadline === now + 1 && this.fsm.getLastReceiveAttempt() !== now, slack);
  }

  // ---- bookkeeping -----------------------------------------------------------------------------

  private syncState(): void {
    const state = this.fsm.state;
    if (state === this.lastState) return;
    const previous = this.lastState;
    this.lastState = state;
    this.fire('state', state, previous);
  }

  /**
   * Emits after the rconn's own state is settled. A listener that throws must not leave the rconn
   * half-updated or deaf (emits run inside socket callbacks and promise reactions, where a throw
   * would abort the delivery loop or become an unhandled rejection): the exception is rethrown on
   * its own, where it surfaces as an uncaught exception exactly as a throwing listener of a plain
   * socket event would, and the rconn carries on.
   */
  private fire<K extends keyof RconnEventMap>(event: K, ...args: RconnEventMap[K]): void {
    try {
      (this.emit as (e: K, ...a: RconnEventMap[K]) => boolean)(event, ...args);
    } catch (err) {
      surface(err);
    }
  }

  private noteError(error: Error, now: number): void {
    this.lastError = { code: errorCode(error), message: error.message, at: now };
  }

  /**
   * Stops reading from the peer while the application does not keep up with messages() or while
   * our send queue is full: our own replies (echo) must not grow the queue past txqLimit behind a
   * peer that sends but does not read (Open vSwitch's ofconn stops receiving likewise).
   */
  private updateReadPause(): void {
    const conn = this.vconn;
    if (!conn) return;
    const sendFull = this.out.full();
    // Nothing else would wake us when the socket empties without ever having said "full" (a
    // small sendBudget): ask to hear it, and look again then.
    if (sendFull) conn.requestDrain?.();
    const pause = this.inbox.full || sendFull;
    if (pause === this.readPaused) return;
    this.readPaused = pause;
    if (pause) conn.pause?.();
    else conn.resume?.();
  }

  private assertFresh(): void {
    if (this.closed) throw new ConfigError('this rconn is closed; create a new one');
    if (this.target) throw new ConfigError(`${this.name}: already connected to a target; create a new Rconn per connection`);
  }
}

// Every listener change marks the 'message' listeners for a refresh (see listeners.ts).
watchListenerChanges(Rconn.prototype);
