import { EventEmitter } from 'node:events';
import { listenStream, parseTarget, TargetError } from '../stream/index.js';
import { numberOption, tlsOption } from '../validate.js';
import { normalizeVersions } from './negotiate.js';
import type { AcceptErrorInfo, BoundAddress, PassiveStream, Stream, TlsOptions } from '../stream/types.js';
import { VconnError } from '../errors.js';
import { AsyncQueue } from '../async-queue.js';
import { Vconn } from './vconn.js';

const DEFAULT_HELLO_TIMEOUT_MS = 5000;

export interface PvconnOptions {
  /** OpenFlow versions we accept. @default [1, 2, 3, 4, 5, 6] */
  versions?: readonly number[];
  /** TLS settings for `pssl:` (cert and key required; `requestCert` for mutual TLS). */
  tls?: TlsOptions;
  /**
   * Milliseconds from accept an accepted peer has to complete TCP accept, the TLS handshake (for
   * `pssl:`) and the HELLO exchange, all under this one deadline; a peer that misses it has its socket
   * destroyed, so a silent client never holds a descriptor for longer. @default 5000
   */
  helloTimeout?: number;
}

interface PvconnEvents {
  /** A negotiated connection. */
  vconn: [Vconn];
  /** An accepted peer that failed TLS or the HELLO exchange; the listener keeps going. */
  error: [Error];
  /** Accepting failed for lack of descriptors (EMFILE...): once per burst; accepting resumes by itself. */
  acceptError: [AcceptErrorInfo];
}

/**
 * A passive OpenFlow endpoint (`ptcp:`, `pssl:`, `punix:`): accepts streams and yields them once
 * the HELLO exchange succeeded. Failed peers are reported as `error` events and never end the loop.
 */
export class Pvconn extends EventEmitter<PvconnEvents> {
  private readonly pending = new Set<Stream>();
  /** Vconns for accept(): handed to a waiting iterator, kept only while nobody takes 'vconn' events. */
  private readonly queue = new AsyncQueue<Vconn>();
  private closed = false;

  /**
   * Starts listening. The target and the options are checked at the call (TargetError,
   * ConfigError thrown); binding failures (EADDRINUSE, ETLSCONFIG) reject.
   */
  static listen(target: string, options: PvconnOptions = {}): Promise<Pvconn> {
    checkPvconnOptions(options);
    if (parseTarget(target).active) throw new TargetError(target, 'listening needs a passive target (ptcp:, pssl:, punix:)');
    return listenStream(target, { tls: options.tls, handshakeTimeoutMs: options.helloTimeout ?? DEFAULT_HELLO_TIMEOUT_MS }).then((passive) => new Pvconn(passive, options));
  }

  private constructor(private readonly passive: PassiveStream, private readonly options: PvconnOptions) {
    super();
    passive.on('stream', (s) => this.negotiate(s));
    passive.on('error', (err) => this.report(err));
    passive.on('acceptError', (info) => this.emit('acceptError', info));
  }

  get name(): string {
    return this.passive.name;
  }

  /** The bound address; for `ptcp:0` the port the kernel chose. */
  address(): BoundAddress {
    return this.passive.address();
  }

  /** Negotiated connections in arrival order; ends after close(). */
  accept(): AsyncIterableIterator<Vconn> {
    return this.queue.iterate();
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<Vconn> {
    return this.accept();
  }

  /** Stops listening and drops peers still in the HELLO exchange; negotiated vconns stay open. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.pending) s.destroy();
    this.pending.clear();
    this.queue.end();
    await this.passive.close();
  }

  private async negotiate(stream: Stream): Promise<void> {
    if (this.closed) { stream.destroy(); return; }
    this.pending.add(stream);
    const ac = new AbortController();
    const ms = this.options.helloTimeout ?? DEFAULT_HELLO_TIMEOUT_MS;
    // One deadline from accept: whatever TLS took is no longer available to the HELLO.
    const spent = stream.startedAt === undefined ? 0 : performance.now() - stream.startedAt;
    const timer = setTimeout(() => ac.abort(), Math.max(0, ms - spent));
    try {
      const vconn = await Vconn.accept(stream, { versions: this.options.versions, signal: ac.signal });
      this.pending.delete(stream);
      if (this.closed) { vconn.close(); return; }
      this.emit('vconn', vconn);
      if (this.queue.waiting || this.listenerCount('vconn') === 0) this.queue.push(vconn);
    } catch (err) {
      this.pending.delete(stream);
      const e = ac.signal.aborted && !this.closed
        ? new VconnError('ETIMEDOUT', `${stream.name}: no HELLO within ${ms} ms of accept`, { cause: err })
        : (err as Error);
      if (!this.closed) this.report(e);
    } finally {
      clearTimeout(timer);
    }
  }

  private report(err: Error): void {
    // An 'error' event with no listener would throw; a listener that cannot accept must not crash.
    if (this.listenerCount('error') > 0) this.emit('error', err);
  }
}

/** Checks what Pvconn.listen() is given (ConfigError naming the option). */
export function checkPvconnOptions(options: PvconnOptions, owner = 'Pvconn'): void {
  normalizeVersions(options.versions, owner);
  tlsOption(owner, options.tls);
  numberOption(owner, 'helloTimeout', options.helloTimeout, 5000, { min: 1 });
}
