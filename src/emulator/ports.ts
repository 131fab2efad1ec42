/**
 * The emulated ports: their descriptions and counters (the codec writes both in each version's
 * layout).
 */
import type { OfpPort, PortStats } from '../ofp/index.js';

// OFPPF_10GB_FD: the same bit in every version 1.0-1.5 (the media bits differ).
const PORT_FEATURES = 1 << 6;
const OFPPS_LINK_DOWN = 1;

/** A duration in ms as OpenFlow's duration_sec and duration_nsec. */
export function durationWords(ms: number): [number, number] {
  const t = Math.max(0, ms);
  return [Math.floor(t / 1000), Math.floor((t % 1000) * 1e6)];
}

/** The counters of PORT_STATS this emulator keeps (the error counters stay 0). */
export type PortCounters = Pick<PortStats, 'rxPackets' | 'txPackets' | 'rxBytes' | 'txBytes' | 'rxDropped' | 'txDropped'>;

export interface EmulatedPort {
  desc: OfpPort;
  counters: PortCounters;
  /** Clock time the port was created, for duration fields. */
  since: number;
}

export function makePort(n: number, now: number): EmulatedPort {
  return {
    desc: {
      portNo: n, hwAddr: `02:00:00:00:00:${n.toString(16).padStart(2, '0')}`, name: `eth${n}`, config: 0, state: 0,
      curr: PORT_FEATURES, advertised: PORT_FEATURES, supported: PORT_FEATURES, peer: 0,
      currSpeed: 10_000_000, maxSpeed: 10_000_000,
    },
    counters: { rxPackets: 0n, txPackets: 0n, rxBytes: 0n, txBytes: 0n, rxDropped: 0n, txDropped: 0n },
    since: now,
  };
}

export function isUp(p: EmulatedPort): boolean {
  return (p.desc.state & OFPPS_LINK_DOWN) === 0;
}

export function setLinkDown(p: EmulatedPort, down: boolean): void {
  p.desc = { ...p.desc, state: down ? p.desc.state | OFPPS_LINK_DOWN : p.desc.state & ~OFPPS_LINK_DOWN };
}
