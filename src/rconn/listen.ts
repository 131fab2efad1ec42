import { EventEmitter } from 'node:events';
import { Pvconn } from '../vconn/pvconn.js';
import type { BoundAddress } from '../stream/index.js';
import { Rconn } from './rconn.js';
import { surface } from './monitors.js';
import { resolveOptions, silentLogger, type RconnOptions } from './options.js';
import type { AcceptErrorInfo } from '../stream/types.js';
import { AsyncQueue } from '../async-queue.js';
import { ConfigError } from '../errors.js';
import { parseTarget } from '../stream/index.js';
import { DatapathRegistry, type DatapathConnections, type DatapathEvents } from './datapaths.js';
import { featuresHandshake, resolveHandshake, type HandshakeOptions } from './handshake.js';
import { systemClock } from './clock.js';

export interface ListenOptions extends RconnOptions {
  /**
   * Seconds an accepted peer has, from accept, to finish TCP accept, the TLS handshake (`pssl:`)
   * and the HELLO exchange; one deadline for all three, after which its socket is destroyed.
   * @default 5
   */
  helloTimeout?: number;
  /**
   * Do the standard handshake (FEATURES_REQUEST, SET_CONFIG, PORT_DESC in 1.3+) before handing a
   * connection out: `rconn` is emitted once the switch has answered, with `rconn.features` set; a
   * switch that fails it is closed and reported on `error` as a HandshakeError (ETIMEDOUT,
   * EHANDSHAKE). `true` uses the defaults (10 s, miss_send_len 128). @default false
   */
  handshake?: boolean | HandshakeOptions;
}

interface RconnListenerEvents extends DatapathEvents {
  rconn: [Rconn];
  /** A peer that failed TLS, the HELLO exchange or the handshake; the listener keeps accepting. */
  error: [Error];
  /**
   * Accepting failed for lack of descriptors or buffers (EMFILE, ENFILE, ENOBUFS): once per burst,
   * with one warning on the logger. Accepting resumes by itself as descriptors free up.
   */
  acceptError: [AcceptErrorInfo];
}

/**
 * Accepts connections on a passive target (`ptcp:6653`, `pssl:`, `punix:`) and hands each one out
 * as an unreliable {@link Rconn} with the given options: what a controller does with its switches.
 */
export class RconnListener extends EventEmitter<RconnListenerEvents> {
  private readonly rconns = new Set<Rconn>();
  private readonly iterators = new Set<AsyncQueue<Rconn>>();
  private readonly registry = new DatapathRegistry((event, ...args) => {
    (this.emit as (e: string, ...a: unknown[]) => boolean)(event, ...args);
  });

  private constructor(private readonly pvconn: Pvconn, private readonly options: ListenOptions) {
    super();
    const handshake = resolveHandshake(options.handshake);
    pvconn.on('vconn', (vconn) => {
      const { handshake: _h, helloTimeout: _t, ...rconnOptions } = this.options;
      let rconn: Rconn | undefined;
      try {
        rconn = new Rconn({ ...rconnOptions, name: this.options.name ? `${this.options.name} ${vconn.name}` : vconn.name });
        rconn.adopt(vconn);
      } catch (err) {
        // Refused (transport probing unavailable on this connection): adopt() closed the vconn;
        // the peer is reported like one that failed HELLO, never announced, nothing kept.
        void (rconn ? rconn.close() : vconn.close());
        this.report(err as Error);
        return;
      }
      this.rconns.add(rconn);
      this.registry.track(rconn);
      rconn.once('close', () => this.rconns.delete(rconn));
      // Release it once it is over, after the application has seen the state change.
      rconn.on('state', (s) => { if (s === 'DISCONNECTED') setImmediate(() => void rconn.close()); });
      if (!handshake) {
        this.announce(rconn);
        return;
      }
      featuresHandshake(rconn, handshake, this.options.clock ?? systemClock).then(
        (features) => {
          // The handshake took the FEATURES_REPLY the registry would have seen: tell it who this is.
          this.registry.identify(rconn, features.datapathId, features.auxiliaryId);
          this.announce(rconn);
        },
        (err: Error) => {
          void rconn.close();
          this.report(err);
        },
      );
    });
    pvconn.on('error', (err) => this.report(err));
    pvconn.on('acceptError', (info) => {
      (options.logger ?? silentLogger).warn(`${pvconn.name}: ${info.error.message}`);
      this.emit('acceptError', info);
    });
  }

  /**
   * Starts listening. The target and every option are checked at the call: TargetError or
   * ConfigError is thrown, not returned as a rejection. Binding failures (EADDRINUSE, ETLSCONFIG)
   * reject.
   */
  static listen(target: string, options: ListenOptions = {}): Promise<RconnListener> {
    const resolved = resolveOptions(options, 'listen');
    resolveHandshake(options.handshake);
    const t = parseTarget(target);
    if (resolved.probe === 'transport' && t.kind === 'unix') {
      throw new ConfigError(`listen: option probe = 'transport' is invalid on ${target}: unix sockets have no TCP keepalive; use 'auto' or 'echo'`, { option: 'probe', value: 'transport' });
    }
    const ms = resolved.helloTimeout === undefined ? undefined : resolved.helloTimeout * 1000;
    return Pvconn.listen(target, { versions: resolved.versions, tls: options.tls, helloTimeout: ms })
      .then((pvconn) => new RconnListener(pvconn, options));
  }

  /**
   * Emitted from inside the accept path (a promise reaction): an application listener that throws
   * must surface as it would on a plain event, not become an unhandled rejection there.
   */
  private announce(rconn: Rconn): void {
    try {
      this.emit('rconn', rconn);
    } catch (err) {
      surface(err);
    }
  }

  private report(err: Error): void {
    if (this.listenerCount('error') === 0) return;
    try {
      this.emit('error', err);
    } catch (thrown) {
      surface(thrown);
    }
  }

  /** The bound address; for `ptcp:0` the port the kernel chose. A method, as on `net.Server`. */
  address(): BoundAddress {
    return this.pvconn.address();
  }

  /** The accepted connections that are still open. */
  get connections(): ReadonlySet<Rconn> {
    return this.rconns;
  }

  /**
   * The connections of the switch with `datapathId`, once one of them answered a FEATURES_REQUEST
   * (sent by the application or the handshake); undefined for a switch not (or no longer) connected.
   */
  datapath(datapathId: bigint): DatapathConnections | undefined {
    return this.registry.get(datapathId);
  }

  /** Every identified switch, by datapath id. */
  datapaths(): IterableIterator<DatapathConnections> {
    return this.registry.all();
  }

  /** Accepted rconns in arrival order, until close(); each iterator sees every rconn from its start. */
  async *[Symbol.asyncIterator](): AsyncIterableIterator<Rconn> {
    const queue = new AsyncQueue<Rconn>();
    const onRconn = (r: Rconn): void => queue.push(r);
    this.on('rconn', onRconn);
    this.iterators.add(queue);
    try {
      yield* queue.iterate();
    } finally {
      this.off('rconn', onRconn);
      this.iterators.delete(queue);
    }
  }

  /** Stops accepting. With `closeConnections` (default true) also closes every accepted rconn. */
  async close(closeConnections = true): Promise<void> {
    await this.pvconn.close();
    for (const queue of this.iterators) queue.end();
    if (closeConnections) await Promise.all([...this.rconns].map((r) => r.close()));
  }
}

/** Shorthand for {@link RconnListener.listen}. */
export function listen(target: string, options?: ListenOptions): Promise<RconnListener> {
  return RconnListener.listen(target, options);
}
