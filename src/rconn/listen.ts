import { EventEmitter } from 'node:events';
import { Pvconn } from '../vconn/pvconn.js';
import { Rconn } from '../rconn.js';
import type { RconnOptions } from './options.js';

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

  get address(): { host?: string; port?: number; path?: string } {
    return this.pvconn.address;
  }

  /** The accepted connections that are still open. */
  get connections(): ReadonlySet<Rconn> {
    return this.rconns;
  }

  /** Accepted rconns in arrival order, until close(). */
  async *[Symbol.asyncIterator](): AsyncIterableIterator<Rconn> {
    const queue: Rconn[] = [];
    let wake: (() => void) | null = null;
    let done = false;
    const onRconn = (r: Rconn): void => { queue.push(r); wake?.(); };
    const onClose = (): void => { done = true; wake?.(); };
    this.on('rconn', onRconn);
    this.closing.push(onClose);
    try {
      for (;;) {
        const next = queue.shift();
        if (next) { yield next; continue; }
        if (done) return;
        await new Promise<void>((r) => { wake = r; });
        wake = null;
      }
    } finally {
      this.off('rconn', onRconn);
    }
  }

  private readonly closing: Array<() => void> = [];

  /** Stops accepting. With `closeConnections` (default true) also closes every accepted rconn. */
  async close(closeConnections = true): Promise<void> {
    await this.pvconn.close();
    for (const f of this.closing.splice(0)) f();
    if (closeConnections) await Promise.all([...this.rconns].map((r) => r.close()));
  }
}

/** Shorthand for {@link RconnListener.listen}. */
export function listen(target: string, options?: ListenOptions): Promise<RconnListener> {
  return RconnListener.listen(target, options);
}
