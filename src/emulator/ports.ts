/**
 * The emulated ports: their descriptions (written by the codec in each version's layout), their
 * counters, and the PORT_STATS entries of each version.
 */
import { OFP10, OFP13, OFP14, type OfpPort } from '../ofp/index.js';

// OFPPF_10GB_FD: the same bit in every version 1.0-1.5 (the media bits differ).
const PORT_FEATURES = 1 << 6;
const OFPPS_LINK_DOWN = 1;
const OFPPDPT_ETHERNET = 0;

/** A duration in ms as OpenFlow's duration_sec and duration_nsec. */
export function durationWords(ms: number): [number, number] {
  const t = Math.max(0, ms);
  return [Math.floor(t / 1000), Math.floor((t % 1000) * 1e6)];
}

export interface PortCounters {
  rxPackets: bigint;
  txPackets: bigint;
  rxBytes: bigint;
  txBytes: bigint;
  rxDropped: bigint;
  txDropped: bigint;
}

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

/** One PORT_STATS entry of `version`. */
export function portStatsEntry(version: number, p: EmulatedPort, now: number): Buffer {
  const c = p.counters;
  const [sec, nsec] = durationWords(now - p.since);
  // rx/tx packets, bytes, dropped, then errors, frame, overrun, crc, collisions (all 0 here).
  const main = [c.rxPackets, c.txPackets, c.rxBytes, c.txBytes, c.rxDropped, c.txDropped, 0n, 0n];
  if (version >= OFP14) {
    const b = Buffer.alloc(80 + 40);
    b.writeUInt16BE(b.length, 0);
    b.writeUInt32BE(p.desc.portNo >>> 0, 4);
    b.writeUInt32BE(sec, 8);
    b.writeUInt32BE(nsec, 12);
    main.forEach((v, i) => b.writeBigUInt64BE(v, 16 + i * 8));
    b.writeUInt16BE(OFPPDPT_ETHERNET, 80);
    b.writeUInt16BE(40, 82);
    return b;
  }
  const b = Buffer.alloc(version >= OFP13 ? 112 : 104);
  if (version === OFP10) b.writeUInt16BE(p.desc.portNo, 0);
  else b.writeUInt32BE(p.desc.portNo >>> 0, 0);
  main.forEach((v, i) => b.writeBigUInt64BE(v, 8 + i * 8));
  if (version >= OFP13) {
    b.writeUInt32BE(sec, 104);
    b.writeUInt32BE(nsec, 108);
  }
  return b;
}

