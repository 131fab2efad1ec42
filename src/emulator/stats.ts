/**
 * Multipart (stats) answers, from the emulator's real state, as the codec's typed bodies: desc,
 * flow (with the request's filters), aggregate, table, port stats, port desc, table features (one
 * valid entry per table), queue / group / meter (empty but valid). What a version cannot be answered with is reported by
 * `answers()` so FEATURES_REPLY claims exactly what is answered.
 */
import {
  OFP10, OFP13, OFP14, OFP15, OFPP, portStatsEntry, type FlowStats, type OfpProperty, type StatsReplyBody, type TableFeatures,
  type TableStats,
} from '../ofp/index.js';
import { portLength, writePort } from '../ofp/port-msgs.js';
import { actionsOf, type FlowEntry, type FlowTable } from './flow-table.js';
import { durationWords, type EmulatedPort } from './ports.js';

export const MP = {
  DESC: 0, FLOW: 1, AGGREGATE: 2, TABLE: 3, PORT_STATS: 4, QUEUE: 5, GROUP: 6, GROUP_DESC: 7, GROUP_FEATURES: 8,
  METER: 9, METER_CONFIG: 10, METER_FEATURES: 11, TABLE_FEATURES: 12, PORT_DESC: 13, FLOW_STATS_15: 17,
} as const;

/** What stats need to see of the datapath. */
export interface StatsSource {
  tables: readonly FlowTable[];
  ports: readonly EmulatedPort[];
  now: number;
  description: string;
  datapathId: bigint;
}

/** Whether `version` gets a real answer to multipart type `type` (else BAD_STAT / BAD_MULTIPART). */
export function answers(version: number, type: number): boolean {
  // PORT_DESC in 1.0-1.2 is the Open vSwitch extension (same number) that ovs-ofctl uses.
  if (type === MP.PORT_DESC) return true;
  if (version === OFP10) return type <= MP.QUEUE;
  if (type === MP.TABLE) return version >= OFP13;
  if (type >= MP.METER && type <= MP.TABLE_FEATURES) return version >= OFP13;
  return type <= MP.GROUP_FEATURES;
}

/** OFPC_ capabilities of FEATURES_REPLY: the stats this emulator answers in `version`. */
export function capabilities(version: number): number {
  const FLOW = 1, TABLE = 2, PORT = 4, GROUP = 8, ARP_MATCH_IP = 128;
  if (version === OFP10) return FLOW | TABLE | PORT | ARP_MATCH_IP;
  return FLOW | (answers(version, MP.TABLE) ? TABLE : 0) | PORT | GROUP;
}

export function descBody(src: StatsSource): StatsReplyBody {
  return {
    stats: 'DESC', mfrDesc: 'openflow-rconn', hwDesc: 'emulated', swDesc: src.description.slice(0, 255), serialNum: 'none',
    dpDesc: `${src.description.slice(0, 200)} ${src.datapathId.toString(16).padStart(16, '0')}`,
  };
}

/** One flow stats entry (1.5: the counters and both durations go out as OXS statistics). */
export function flowStatsEntry(version: number, e: FlowEntry, now: number): FlowStats {
  const [durationSec, durationNsec] = durationWords(now - e.installedAt);
  const s: FlowStats = {
    tableId: e.tableId, durationSec, durationNsec, priority: e.priority, idleTimeout: e.idleTimeout, hardTimeout: e.hardTimeout,
    cookie: e.cookie, packetCount: e.packetCount, byteCount: e.byteCount, match: e.match,
  };
  if (version === OFP10) s.actions = actionsOf(e);
  else s.instructions = e.instructions;
  if (version >= OFP13) s.flags = e.flags;
  if (version >= OFP14) s.importance = e.importance;
  if (version >= OFP15) [s.idleSec, s.idleNsec] = durationWords(now - e.lastUsedAt);
  return s;
}

export function aggregateBody(entries: readonly FlowEntry[]): StatsReplyBody {
  let packetCount = 0n;
  let byteCount = 0n;
  for (const e of entries) { packetCount += e.packetCount; byteCount += e.byteCount; }
  return { stats: 'AGGREGATE', packetCount, byteCount, flowCount: entries.length };
}

export function tableStatsEntries(version: number, tables: readonly FlowTable[]): TableStats[] {
  return tables.map((t) => {
    const counts = { tableId: t.tableId, activeCount: t.size, lookupCount: t.lookupCount, matchedCount: t.matchedCount };
    // OFPFW_ALL: every field may be wildcarded
    return version === OFP10 ? { ...counts, name: `table${t.tableId}`, wildcards: 0x3fffff, maxEntries: t.maxEntries } : counts;
  });
}

/** PORT_STATS for `portNo` (OFPP.ANY: all). */
export function portStatsBody(version: number, ports: readonly EmulatedPort[], portNo: number, now: number): StatsReplyBody {
  const entries = ports.filter((p) => portNo === OFPP.ANY || p.desc.portNo === portNo).map((p) => {
    const [durationSec, durationNsec] = durationWords(now - p.since);
    return portStatsEntry(version, { portNo: p.desc.portNo, ...p.counters, durationSec, durationNsec });
  });
  return { stats: 'PORT_STATS', entries };
}

/** PORT_DESC; before 1.3 the Open vSwitch extension's body, which the codec leaves as bytes. */
export function portDescBody(version: number, ports: readonly EmulatedPort[]): StatsReplyBody {
  if (version >= OFP13) return { stats: 'PORT_DESC', entries: ports.map((p) => p.desc) };
  const data = Buffer.alloc(ports.reduce((n, p) => n + portLength(p.desc, version), 0));
  ports.reduce((at, p) => at + writePort(p.desc, version, data, at), 0);
  return { stats: 'RAW', statsType: MP.PORT_DESC, data };
}

// Table features: what each table supports, as properties padded to 8 bytes.
const INSTRUCTION_IDS = [1, 2, 3, 4, 5]; // goto-table, write-metadata, write/apply/clear actions
const ACTION_IDS = [0, 25]; // OUTPUT, SET_FIELD
const SET_FIELDS = [3, 4]; // eth_dst, eth_src
const MATCH_FIELDS = [0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30];
const OXM_WIDTHS: Record<number, number> = { 0: 4, 2: 8, 3: 6, 4: 6, 5: 2, 6: 2, 7: 1, 8: 1, 9: 1, 10: 1, 11: 4, 12: 4, 13: 2, 14: 2, 15: 2, 16: 2, 17: 2, 18: 2, 19: 1, 20: 1, 21: 2, 22: 4, 23: 4, 24: 6, 25: 6, 26: 16, 27: 16, 28: 4, 29: 1, 30: 1 };

function ids(list: readonly number[]): Buffer {
  const b = Buffer.alloc(list.length * 4);
  list.forEach((id, i) => { b.writeUInt16BE(id, i * 4); b.writeUInt16BE(4, i * 4 + 2); });
  return b;
}

function oxmHeaders(list: readonly number[]): Buffer {
  const b = Buffer.alloc(list.length * 4);
  list.forEach((f, i) => b.writeUInt32BE(((0x8000 << 16) | (f << 9) | OXM_WIDTHS[f]!) >>> 0, i * 4));
  return b;
}

export function tableFeaturesEntries(tables: readonly FlowTable[]): TableFeatures[] {
  const n = tables.length;
  const property = (type: number, data: Buffer): OfpProperty => ({ type, data });
  return tables.map((t) => ({
    tableId: t.tableId, name: `table${t.tableId}`, metadataMatch: 0xffff_ffff_ffff_ffffn, metadataWrite: 0xffff_ffff_ffff_ffffn,
    capabilities: 0, maxEntries: t.maxEntries,
    properties: [
      property(0, ids(t.tableId + 1 < n ? INSTRUCTION_IDS : INSTRUCTION_IDS.filter((i) => i !== 1))),
      property(2, Buffer.from(Array.from({ length: n - t.tableId - 1 }, (_, i) => t.tableId + 1 + i))),
      property(4, ids(ACTION_IDS)),
      property(6, ids(ACTION_IDS)),
      property(8, oxmHeaders(MATCH_FIELDS)),
      property(10, oxmHeaders(MATCH_FIELDS)),
      property(12, oxmHeaders(SET_FIELDS)),
      property(14, oxmHeaders(SET_FIELDS)),
    ],
  }));
}

/** Group and meter features: all zero, nothing supported. */
export const GROUP_FEATURES: StatsReplyBody = {
  stats: 'GROUP_FEATURES', types: 0, capabilities: 0, maxGroups: [0, 0, 0, 0], actions: [0, 0, 0, 0],
};
export const METER_FEATURES: StatsReplyBody = { stats: 'METER_FEATURES', maxMeter: 0, bandTypes: 0, capabilities: 0, maxBands: 0, maxColor: 0 };
