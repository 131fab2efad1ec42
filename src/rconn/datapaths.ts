/**
 * Datapath identity on the controller side: the listener's connections indexed by the datapath
 * id their FEATURES_REPLY names. A switch that connects again while its old main connection
 * still looks alive (it rebooted, or the old socket is half-open) replaces it: the old one is
 * closed with a ReplacedError, as a controller must, or it would keep talking to a ghost.
 * OpenFlow 1.3+ auxiliary connections (auxiliary_id > 0) are grouped under their main connection
 * and go when it is replaced.
 */
import type { OfpMessage } from '../ofp/index.js';
import { RconnError } from '../errors.js';
import type { Rconn } from './rconn.js';
import { surface } from './monitors.js';

/** The connections of one switch. */
export interface DatapathConnections {
  readonly datapathId: bigint;
  /** The main connection (auxiliary_id 0); null while only auxiliary ones are open. */
  readonly main: Rconn | null;
  /** Auxiliary connections by auxiliary_id. */
  readonly auxiliary: ReadonlyMap<number, Rconn>;
}

/** The reason a connection was closed because the same switch connected again. */
export class ReplacedError extends RconnError {
  override name = 'ReplacedError';
  declare readonly code: 'EREPLACED';
  constructor(readonly datapathId: bigint, auxiliaryId: number) {
    const which = auxiliaryId === 0 ? 'main connection' : `auxiliary connection ${auxiliaryId}`;
    super('EREPLACED', `datapath ${datapathId.toString(16).padStart(16, '0')} connected again: ${which} replaced`);
  }
}

export interface DatapathEvents {
  /** A connection identified itself (FEATURES_REPLY); auxiliaryId 0 = main connection. */
  datapath: [datapathId: bigint, rconn: Rconn, auxiliaryId: number];
  /** `previous` is being closed (ReplacedError) because `replacement` has the same identity. */
  replaced: [datapathId: bigint, previous: Rconn, replacement: Rconn, auxiliaryId: number];
}

interface Entry {
  datapathId: bigint;
  main: Rconn | null;
  auxiliary: Map<number, Rconn>;
}

type Emit = <K extends keyof DatapathEvents>(event: K, ...args: DatapathEvents[K]) => void;

export class DatapathRegistry {
  private readonly byId = new Map<bigint, Entry>();
  private readonly identity = new Map<Rconn, { datapathId: bigint; auxiliaryId: number }>();

  /** `emit` hands the events to the listener's application; an exception it throws is surfaced on its own tick. */
  constructor(private readonly emitEvent: Emit) {}

  private emit: Emit = (event, ...args) => {
    try {
      this.emitEvent(event, ...args);
    } catch (err) {
      surface(err);
    }
  };

  /** Watches `rconn` for the FEATURES_REPLY that tells who it is, until it closes. */
  track(rconn: Rconn): void {
    const onMessage = (msg: OfpMessage): void => {
      // Identified already (by the listener's handshake): nothing left to watch for.
      if (this.identity.has(rconn)) rconn.off('message', onMessage);
      if (msg.type !== 'FEATURES_REPLY') return;
      rconn.off('message', onMessage);
      this.identify(rconn, msg.datapathId, msg.auxiliaryId ?? 0);
    };
    rconn.on('message', onMessage);
    rconn.once('disconnected', () => { rconn.off('message', onMessage); this.forget(rconn); });
    rconn.once('close', () => { rconn.off('message', onMessage); this.forget(rconn); });
  }

  /** Records who `rconn` is (the FEATURES_REPLY's datapath id and auxiliary id). */
  identify(rconn: Rconn, datapathId: bigint, auxiliaryId: number): void {
    if (this.identity.has(rconn) || !rconn.isConnected()) return;
    let entry = this.byId.get(datapathId);
    if (!entry) {
      entry = { datapathId, main: null, auxiliary: new Map() };
      this.byId.set(datapathId, entry);
    }
    const previous = auxiliaryId === 0 ? entry.main : entry.auxiliary.get(auxiliaryId) ?? null;
    // A new main connection means a new incarnation of the switch: its old auxiliaries go too.
    const stale = previous === null ? [] : auxiliaryId === 0 ? [previous, ...entry.auxiliary.values()] : [previous];
    if (auxiliaryId === 0) {
      entry.main = rconn;
      if (previous) entry.auxiliary.clear();
    } else {
      entry.auxiliary.set(auxiliaryId, rconn);
    }
    this.identity.set(rconn, { datapathId, auxiliaryId });
    // Close first, announce after: nothing an event listener does can leave a ghost connection open.
    const replaced = stale.map((old) => {
      const oldAux = this.identity.get(old)!.auxiliaryId;
      this.identity.delete(old);
      void old.close(new ReplacedError(datapathId, oldAux));
      return [old, oldAux] as const;
    });
    for (const [old, oldAux] of replaced) this.emit('replaced', datapathId, old, rconn, oldAux);
    this.emit('datapath', datapathId, rconn, auxiliaryId);
  }

  get(datapathId: bigint): DatapathConnections | undefined {
    return this.byId.get(datapathId);
  }

  /** Every identified switch. */
  all(): IterableIterator<DatapathConnections> {
    return this.byId.values();
  }

  /** The identity of a connection, once its FEATURES_REPLY arrived. */
  identityOf(rconn: Rconn): { datapathId: bigint; auxiliaryId: number } | undefined {
    return this.identity.get(rconn);
  }

  private forget(rconn: Rconn): void {
    const id = this.identity.get(rconn);
    if (!id) return;
    this.identity.delete(rconn);
    const entry = this.byId.get(id.datapathId)!;
    if (id.auxiliaryId === 0) {
      if (entry.main === rconn) entry.main = null;
    } else if (entry.auxiliary.get(id.auxiliaryId) === rconn) {
      entry.auxiliary.delete(id.auxiliaryId);
    }
    if (entry.main === null && entry.auxiliary.size === 0) this.byId.delete(id.datapathId);
  }
}
