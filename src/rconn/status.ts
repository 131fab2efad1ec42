import type { ReconnectState, ReconnectStats } from '../reconnect/index.js';
import type { RttStats } from './rtt.js';

/** The probe mechanism in force on the current connection. */
export type ProbeInForce = 'transport' | 'echo' | 'off';

/** A snapshot of everything an rconn knows about itself (`rconn.status()`). */
export interface RconnStatus extends Omit<ReconnectStats, 'state'> {
  name: string;
  /** The target for a reliable rconn, the peer for an accepted one. */
  target: string;
  state: ReconnectState;
  /** True for `connect()`, false for an accepted (adopted) connection that never reconnects. */
  reliable: boolean;
  /** Negotiated OpenFlow version, 0 while not connected. */
  version: number;
  /** Probing in force; `transport` means TCP keepalive is doing the work (docs/DESIGN.md, "Transport probing"). */
  probe: ProbeInForce;
  /** Seconds; after clamping. 0 = off. */
  probeInterval: number;
  /** Seconds of the hybrid end-to-end echo while transport probing; 0 = off. */
  echoInterval: number;
  /** Why transport probing is not in force, when it was wanted (e.g. 'EOPNOTSUPP' on unix sockets). */
  keepaliveError: string | null;
  rtt: RttStats;
  rxPackets: number;
  rxBytes: number;
  txPackets: number;
  txBytes: number;
  /** Messages waiting in our send queue (behind socket backpressure). */
  txq: number;
  txqBytes: number;
  /** Messages refused by `send()` / `sendWithLimit()` (QueueFullError). */
  refused: number;
  /** Messages dropped from the send queue by disconnects, over the rconn's life. */
  dropped: number;
  /** Bytes waiting to be sent: the send queue plus what the socket has not handed to the kernel (see `sendBudget`). */
  sendBacklog: number;
  /** Bytes the peer never acknowledged, summed over the disconnects where it was known ("possibly lost"). */
  unackedBytes: number;
  /** The same for the last disconnect; null when unknown or before the first one. */
  lastUnackedBytes: number | null;
  /**
   * Connections dropped because handling the peer's bytes threw unexpectedly (VconnError
   * EINTERNAL) or because the peer provoked error replies too fast (EFLOOD).
   */
  inputFaults: number;
  /** Messages received that were answered with an OFPT_ERROR and not delivered. */
  rejected: number;
  /** How often the rconn's single timer fired. */
  wakeups: number;
  /** Echo requests we sent as probes, and replies matched to them. */
  probesSent: number;
  probeReplies: number;
  lastError: { code: string; message: string; at: number } | null;
}
