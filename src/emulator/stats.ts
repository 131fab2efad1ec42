/**
 * Multipart (stats) answers, from the emulator's real state: desc, flow (with the request's
 * filters), aggregate, table, port stats, port desc, table features (one valid entry per table),
 * queue / group / meter (empty but valid). What a version cannot be answered with is reported by
 * `answers()` so FEATURES_REPLY claims exactly what is answered.
 */
import {
  OFP10, OFP13, OFP14, OFP15, OFPP, encodeActions, encodeInstructions, encodeMatch, type Instruction,
} from '../ofp/index.js';
import { actionsOf, type FlowEntry, type FlowTable } from './flow-table.js';
import { durationWords, portStatsEntry, type EmulatedPort } from './ports.js';
import { portLength, writePort } from '../ofp/port-msgs.js';

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

const DESC_LEN = 1056;

// OXS (1.5 flow statistics): class OPENFLOW_BASIC 0x8002, field << 9, payload length.
const oxsHeader = (field: number, len: number): number => ((0x8002 << 16) | (field << 9) | len) >>> 0;
const OXS = { DURATION: 0, IDLE_TIME: 1, FLOW_COUNT: 3, PACKET_COUNT: 4, BYTE_COUNT: 5 } as const;

/** ofp_oxs_stat: reserved, length, then the fields, padded to 8 bytes. */
function oxsStats(fields: Array<[number, bigint, 4 | 8]>): Buffer {
  const len = 4 + fields.reduce((n, [, , w]) => n + 4 + w, 0);
  const b = Buffer.alloc((len + 7) & ~7);
  b.writeUInt16BE(len, 2);
  let at = 4;
  for (const [field, value, w] of fields) {
    b.writeUInt32BE(oxsHeader(field, w), at);
    if (w === 8) b.writeBigUInt64BE(value, at + 4);
    else b.writeUInt32BE(Number(value), at + 4);
    at += 4 + w;
  }
  return b;
}

/** A duration as OXS writes it: seconds in the high 32 bits, nanoseconds in the low. */
function fixedPoint(ms: number): bigint {
  const [sec, nsec] = durationWords(ms);
  return (BigInt(sec) << 32n) | BigInt(nsec);
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

export function descBody(src: StatsSource): Buffer {
  // ofp_desc: mfr 256, hw 256, sw 256, serial 32, dp 256 bytes of NUL-padded text.
  const out = Buffer.alloc(DESC_LEN);
  out.write('openflow-rconn', 0);
  out.write('emulated', 256);
  out.write(src.description.slice(0, 255), 512);
  out.write('none', 768);
  out.write(`${src.description.slice(0, 200)} ${src.datapathId.toString(16).padStart(16, '0')}`, 800);
  return out;
}


/** 1.5 ofp_flow_desc: 24 fixed bytes, the match, OXS statistics, the instructions. */
function flowDesc15(e: FlowEntry, now: number): Buffer {
  const match = encodeMatch(OFP15, e.match);
  const stats = oxsStats([
    [OXS.DURATION, fixedPoint(now - e.installedAt), 8], [OXS.IDLE_TIME, fixedPoint(now - e.lastUsedAt), 8],
    [OXS.PACKET_COUNT, e.packetCount, 8], [OXS.BYTE_COUNT, e.byteCount, 8],
  ]);
  const instructions = encodeInstructions(OFP15, e.instructions as Instruction[]);
  const b = Buffer.alloc(24 + match.length + stats.length + instructions.length);
  b.writeUInt16BE(b.length, 0);
  b[4] = e.tableId;
  b.writeUInt16BE(e.priority, 6);
  b.writeUInt16BE(e.idleTimeout, 8);
  b.writeUInt16BE(e.hardTimeout, 10);
  b.writeUInt16BE(e.flags, 12);
  b.writeUInt16BE(e.importance, 14);
  b.writeBigUInt64BE(e.cookie, 16);
  match.copy(b, 24);
  stats.copy(b, 24 + match.length);
  instructions.copy(b, 24 + match.length + stats.length);
  return b;
}

/** One flow stats entry in the version's layout. */
export function flowStatsEntry(version: number, e: FlowEntry, now: number): Buffer {
  if (version >= OFP15) return flowDesc15(e, now);
  const [sec, nsec] = durationWords(now - e.installedAt);
  if (version === OFP10) {
    const actions = encodeActions(version, actionsOf(e));
    const b = Buffer.alloc(88 + actions.length);
    b.writeUInt16BE(b.length, 0);
    b[2] = e.tableId;
    encodeMatch(version, e.match).copy(b, 4);
    b.writeUInt32BE(sec, 44);
    b.writeUInt32BE(nsec, 48);
    b.writeUInt16BE(e.priority, 52);
    b.writeUInt16BE(e.idleTimeout, 54);
    b.writeUInt16BE(e.hardTimeout, 56);
    b.writeBigUInt64BE(e.cookie, 64);
    b.writeBigUInt64BE(e.packetCount, 72);
    b.writeBigUInt64BE(e.byteCount, 80);
    actions.copy(b, 88);
    return b;
  }
  const match = encodeMatch(version, e.match);
  const instructions = encodeInstructions(version, e.instructions as Instruction[]);
  const b = Buffer.alloc(48 + match.length + instructions.length);
  b.writeUInt16BE(b.length, 0);
  b[2] = e.tableId;
  b.writeUInt32BE(sec, 4);
  b.writeUInt32BE(nsec, 8);
  b.writeUInt16BE(e.priority, 12);
  b.writeUInt16BE(e.idleTimeout, 14);
  b.writeUInt16BE(e.hardTimeout, 16);
  if (version >= OFP13) b.writeUInt16BE(e.flags, 18);
  if (version >= OFP14) b.writeUInt16BE(e.importance, 20);
  b.writeBigUInt64BE(e.cookie, 24);
  b.writeBigUInt64BE(e.packetCount, 32);
  b.writeBigUInt64BE(e.byteCount, 40);
  match.copy(b, 48);
  instructions.copy(b, 48 + match.length);
  return b;
}

export function aggregateBody(version: number, entries: readonly FlowEntry[]): Buffer {
  let packets = 0n;
  let bytes = 0n;
  for (const e of entries) { packets += e.packetCount; bytes += e.byteCount; }
  if (version >= OFP15) {
    return oxsStats([[OXS.FLOW_COUNT, BigInt(entries.length), 4], [OXS.PACKET_COUNT, packets, 8], [OXS.BYTE_COUNT, bytes, 8]]);
  }
  const b = Buffer.alloc(24);
  b.writeBigUInt64BE(packets, 0);
  b.writeBigUInt64BE(bytes, 8);
  b.writeUInt32BE(entries.length, 16);
  return b;
}

export function tableStatsEntries(version: number, tables: readonly FlowTable[]): Buffer[] {
  return tables.map((t) => {
    if (version === OFP10) {
      const b = Buffer.alloc(64);
      b[0] = t.tableId;
      b.write(`table${t.tableId}`, 4);
      b.writeUInt32BE(0x3fffff, 36); // OFPFW_ALL: every field may be wildcarded
      b.writeUInt32BE(t.maxEntries, 40);
      b.writeUInt32BE(t.size, 44);
      b.writeBigUInt64BE(t.lookupCount, 48);
      b.writeBigUInt64BE(t.matchedCount, 56);
      return b;
    }
    const b = Buffer.alloc(24);
    b[0] = t.tableId;
    b.writeUInt32BE(t.size, 4);
    b.writeBigUInt64BE(t.lookupCount, 8);
    b.writeBigUInt64BE(t.matchedCount, 16);
    return b;
  });
}

/** PORT_STATS entries for `portNo` (OFPP.ANY: all). */
export function portStatsEntries(version: number, ports: readonly EmulatedPort[], portNo: number, now: number): Buffer[] {
  return ports.filter((p) => portNo === OFPP.ANY || p.desc.portNo === portNo).map((p) => portStatsEntry(version, p, now));
}

export function portDescEntries(version: number, ports: readonly EmulatedPort[]): Buffer[] {
  return ports.map((p) => {
    const b = Buffer.alloc(portLength(p.desc, version));
    writePort(p.desc, version, b, 0);
    return b;
  });
}

// Table features: what each table supports, as properties padded to 8 bytes.
const INSTRUCTION_IDS = [1, 2, 3, 4, 5]; // goto-table, write-metadata, write/apply/clear actions
const ACTION_IDS = [0, 25]; // OUTPUT, SET_FIELD
const SET_FIELDS = [3, 4]; // eth_dst, eth_src
const MATCH_FIELDS = [0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30];
const OXM_WIDTHS: Record<number, number> = { 0: 4, 2: 8, 3: 6, 4: 6, 5: 2, 6: 2, 7: 1, 8: 1, 9: 1, 10: 1, 11: 4, 12: 4, 13: 2, 14: 2, 15: 2, 16: 2, 17: 2, 18: 2, 19: 1, 20: 1, 21: 2, 22: 4, 23: 4, 24: 6, 25: 6, 26: 16, 27: 16, 28: 4, 29: 1, 30: 1 };

function property(type: number, payload: Buffer): Buffer {
  const len = 4 + payload.length;
  const b = Buffer.alloc((len + 7) & ~7);
  b.writeUInt16BE(type, 0);
  b.writeUInt16BE(len, 2);
  payload.copy(b, 4);
  return b;
}

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

export function tableFeaturesEntries(tables: readonly FlowTable[]): Buffer[] {
  const n = tables.length;
  return tables.map((t) => {
    const next = Buffer.from(Array.from({ length: n - t.tableId - 1 }, (_, i) => t.tableId + 1 + i));
    const props = Buffer.concat([
      property(0, ids(t.tableId + 1 < n ? INSTRUCTION_IDS : INSTRUCTION_IDS.filter((i) => i !== 1))),
      property(2, next),
      property(4, ids(ACTION_IDS)),
      property(6, ids(ACTION_IDS)),
      property(8, oxmHeaders(MATCH_FIELDS)),
      property(10, oxmHeaders(MATCH_FIELDS)),
      property(12, oxmHeaders(SET_FIELDS)),
      property(14, oxmHeaders(SET_FIELDS)),
    ]);
    const b = Buffer.alloc(64 + props.length);
    b.writeUInt16BE(b.length, 0);
    b[2] = t.tableId;
    b.write(`table${t.tableId}`, 8);
    b.writeBigUInt64BE(0xffff_ffff_ffff_ffffn, 40);
    b.writeBigUInt64BE(0xffff_ffff_ffff_ffffn, 48);
    b.writeUInt32BE(t.maxEntries, 60);
    props.copy(b, 64);
    return b;
  });
}

/** Group features (40 bytes) and meter features (16 bytes): all zero, nothing supported. */
export const GROUP_FEATURES_BODY = Buffer.alloc(40);
export const METER_FEATURES_BODY = Buffer.alloc(16);

const MAX_BODY = 0xffff - 16;

/**
 * The reply messages' bodies for `entries`: the multipart header (type, flags with MORE on all but
 * the last, pad in 1.1+) then as many entries as fit in one message.
 */
export function replyBodies(version: number, type: number, entries: readonly Buffer[]): Buffer[] {
  const head = version === OFP10 ? 4 : 8;
  const groups: Buffer[][] = [[]];
  let size = 0;
  for (const e of entries) {
    if (size + e.length > MAX_BODY && groups.at(-1)!.length > 0) { groups.push([]); size = 0; }
    groups.at(-1)!.push(e);
    size += e.length;
  }
  return groups.map((g, i) => {
    const h = Buffer.alloc(head);
    h.writeUInt16BE(type, 0);
    if (i < groups.length - 1) h.writeUInt16BE(1, 2);
    return Buffer.concat([h, ...g]);
  });
}

