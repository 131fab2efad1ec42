import { EventEmitter } from 'node:events';
import { Pvconn } from '../vconn/pvconn.js';
import type { BoundAddress } from '../stream/index.js';
import { Rconn } from './rconn.js';
import type { RconnOptions } from './options.js';
import { AsyncQueue } from '../async-queue.js';

export interface ListenOptions extends RconnOptions {
  /** Milliseconds an accepted peer has to finish the HELLO exchange. @default 5000 */
  helloTimeout?: number;
}

interface RconnListenerEvents {
  rconn: [Rconn];
  /** A peer that failed TLS or the HELLO exchange; the listener keeps accepting. */
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
    pvconn.on('vconn', (vconn) => {
      const rconn = new Rconn({ ...this.options, helloTimeout: undefined, name: this.options.name ? `${this.options.name} ${vconn.name}` : vconn.name });
      rconn.adopt(vconn);
      this.rconns.add(rconn);
      rconn.once('close', () => this.rconns.delete(rconn));
      // Release it once it is over, after the application has seen the state change.
      rconn.on('state', (s) => { if (s === 'DISCONNECTED') setImmediate(() => void rconn.close()); });
      this.emit('rconn', rconn);
    });
    pvconn.on('error', (err) => { if (this.listenerCount('error') > 0) this.emit('error', err); });
  }

  static async listen(target: string, options: ListenOptions = {}): Promise<RconnListener> {
    const ms = options.helloTimeout === undefined ? undefined : options.helloTimeout * 1000;
    const pvconn = await Pvconn.listen(target, { versions: options.versions, tls: options.tls, helloTimeout: ms });
    return new RconnListener(pvconn, options);
  }

  /** The bound address; for `ptcp:0` the port the kernel chose. A method, as on `net.Server`. */
  address(): BoundAddress {
    return this.pvconn.address();
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
