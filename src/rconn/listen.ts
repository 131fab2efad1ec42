import { EventEmitter } from 'node:events';
import { Pvconn } from '../vconn/pvconn.js';
import { Rconn } from './rconn.js';
import type { RconnOptions } from './options.js';
import { AsyncQueue } from '../async-queue.js';
import { featuresHandshake, resolveHandshake, type HandshakeOptions } from './handshake.js';
import { systemClock } from './clock.js';

export interface ListenOptions extends RconnOptions {
  /** Milliseconds an accepted peer has to finish the HELLO exchange. @default 5000 */
  helloTimeout?: number;
  /**
   * Do the standard handshake (FEATURES_REQUEST, SET_CONFIG, PORT_DESC in 1.3+) before handing a
   * connection out: `rconn` is emitted once the switch has answered, with `rconn.features` set; a
   * switch that fails it is closed and reported on `error` as a HandshakeError (ETIMEDOUT,
   * EHANDSHAKE). `true` uses the defaults (10 s, miss_send_len 128). @default false
   */
  handshake?: boolean | HandshakeOptions;
}

interface RconnListenerEvents {
  rconn: [Rconn];
  /** A peer that failed TLS, the HELLO exchange or the handshake; the listener keeps accepting. */
  error: [Error];
}

/**
 * Accepts connections on a passive target (`ptcp:6653`, `pssl:`, `punix:`) and hands each one out
 * as an unreliable {@link Rconn} with the given options: what a controller does with its switches.
 */
export class RconnListener extends EventEmitter<RconnListenerEvents> {
  private readonly rconns = new Set<Rconn>();
  private readonly iterators = new Set<AsyncQueue<Rconn>>();

  private constructor(private readonly pvconn: Pvconn, private readonly options: ListenOptions) {
    super();
    const handshake = resolveHandshake(options.handshake);
    pvconn.on('vconn', (vconn) => {
      const { handshake: _h, helloTimeout: _t, ...rconnOptions } = this.options;
      const rconn = new Rconn({ ...rconnOptions, name: this.options.name ? `${this.options.name} ${vconn.name}` : vconn.name });
      rconn.adopt(vconn);
      this.rconns.add(rconn);
      rconn.once('close', () => this.rconns.delete(rconn));
      // Release it once it is over, after the application has seen the state change.
      rconn.on('state', (s) => { if (s === 'DISCONNECTED') setImmediate(() => void rconn.close()); });
      if (!handshake) {
        this.emit('rconn', rconn);
        return;
      }
      featuresHandshake(rconn, handshake, this.options.clock ?? systemClock).then(
        () => this.emit('rconn', rconn),
        (err: Error) => {
          void rconn.close();
          if (this.listenerCount('error') > 0) this.emit('error', err);
        },
      );
    });
    pvconn.on('error', (err) => { if (this.listenerCount('error') > 0) this.emit('error', err); });
  }

  static async listen(target: string, options: ListenOptions = {}): Promise<RconnListener> {
    resolveHandshake(options.handshake);
    const ms = options.helloTimeout === undefined ? undefined : options.helloTimeout * 1000;
    const pvconn = await Pvconn.listen(target, { versions: options.versions, tls: options.tls, helloTimeout: ms });
    return new RconnListener(pvconn, options);
  }

  get address(): { host?: string; port?: number; path?: string } {
    return this.pvconn.address;
  }

  /** The accepted connections that are still open. */
  get connections(): ReadonlySet<Rconn> {
    return this.rconns;
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
