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
  /** Messages received that were answered with an OFPT_ERROR and not delivered. */
  rejected: number;
  /** How often the rconn's single timer fired. */
  wakeups: number;
  /** Echo requests we sent as probes, and replies matched to them. */
  probesSent: number;
  probeReplies: number;
  lastError: { code: string; message: string; at: number } | null;
}
