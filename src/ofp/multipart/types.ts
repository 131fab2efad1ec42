/**
 * STATS (1.0-1.2) / MULTIPART (1.3+) bodies. A message is flat: `stats` names the body kind and its
 * fields sit beside `flags` (OFPSF_REQ_MORE / REPLY_MORE = 1). Kinds a version lacks, experimenter
 * bodies and types nobody defined are `{ stats: 'RAW', statsType, data }`.
 */
import type { Buffer } from 'node:buffer';
import type { OfpPort } from '../messages.js';
import type { OfpProperty } from '../struct.js';
import type { Bucket, MeterBand } from '../group-meter.js';
import type { Match } from '../match-types.js';
import type { Action } from '../actions.js';
import type { Instruction } from '../instructions.js';

interface Base { version: number; xid: number }

interface Head<T> extends Base {
  type: T;
  /** OFPSF_REQ_MORE / OFPSF_REPLY_MORE (1): more messages of this request/reply follow. */
  flags: number;
  /** The 4 pad bytes after flags (1.1+), when not zero. */
  headerPadding?: Buffer;
}

export type StatsRequestType = 'STATS_REQUEST' | 'MULTIPART_REQUEST';
export type StatsReplyType = 'STATS_REPLY' | 'MULTIPART_REPLY';

export interface RawStatsBody { stats: 'RAW'; statsType: number; data: Buffer }

/** Flow and aggregate requests. */
export interface FlowStatsRequestBody {
  stats: 'FLOW' | 'AGGREGATE';
  tableId: number;
  /** u16 in 1.0, u32 in 1.1+. */
  outPort: number;
  /** 1.1+. */
  outGroup?: number;
  cookie?: bigint;
  cookieMask?: bigint;
  /** Absent only when the bytes are no match this version's decoder reads (then see matchBytes). */
  match?: Match;
  /** The ofp_match bytes, kept only when `match` would not encode back to them. */
  matchBytes?: Buffer;
  padding?: Buffer;
}

export type StatsRequestBody =
  | { stats: 'DESC' | 'TABLE' | 'GROUP_FEATURES' | 'METER_FEATURES' }
  | FlowStatsRequestBody
  /** 1.5 PORT_DESC carries a port number too. */
  | { stats: 'PORT_STATS' | 'PORT_DESC'; portNo?: number; padding?: Buffer }
  | { stats: 'QUEUE'; portNo: number; queueId: number; padding?: Buffer }
  /** GROUP; 1.5 GROUP_DESC carries a group id too. */
  | { stats: 'GROUP' | 'GROUP_DESC'; groupId?: number; padding?: Buffer }
  | { stats: 'METER' | 'METER_CONFIG'; meterId: number; padding?: Buffer }
  | { stats: 'TABLE_FEATURES'; entries: TableFeatures[] }
  | RawStatsBody;

export interface StatsDesc {
  stats: 'DESC';
  mfrDesc: string;
  hwDesc: string;
  swDesc: string;
  serialNum: string;
  dpDesc: string;
  /** Any of `<field>Bytes` (e.g. mfrDescBytes) keeps bytes the string would not give back. */
  [bytes: `${string}Bytes`]: Buffer;
}

/**
 * A flow entry's statistics. In 1.5 (ofp_flow_desc) the counters and durations travel as OXS
 * fields: present when the switch sent them, `idleSec`/`idleNsec` too; `oxsBytes` keeps a list our
 * encoder would not reproduce from these fields.
 */
export interface FlowStats {
  tableId: number;
  durationSec: number;
  durationNsec: number;
  /** 1.5: OXS IDLE_TIME. */
  idleSec?: number;
  idleNsec?: number;
  oxsBytes?: Buffer;
  priority: number;
  idleTimeout: number;
  hardTimeout: number;
  /** 1.3+. */
  flags?: number;
  /** 1.4+. */
  importance?: number;
  cookie: bigint;
  packetCount: bigint;
  byteCount: bigint;
  /** Absent only when the bytes are no match this version's decoder reads (then see matchBytes). */
  match?: Match;
  matchBytes?: Buffer;
  /** 1.0. */
  actions?: Action[];
  actionsBytes?: Buffer;
  /** 1.1+. */
  instructions?: Instruction[];
  /** Kept only when the typed form would not encode back to the wire bytes (as matchBytes). */
  instructionsBytes?: Buffer;
  padding?: Buffer;
}

export interface TableStats {
  tableId: number;
  /** 1.0-1.2. */
  name?: string;
  wildcards?: number | bigint;
  /** 1.1 (u32) and 1.2 (u64). */
  match?: number | bigint;
  instructions?: number;
  writeActions?: number;
  applyActions?: number;
  /** 1.2. */
  writeSetfields?: bigint;
  applySetfields?: bigint;
  metadataMatch?: bigint;
  metadataWrite?: bigint;
  config?: number;
  maxEntries?: number;
  activeCount: number;
  lookupCount: bigint;
  matchedCount: bigint;
  padding?: Buffer;
}

/** Port counters: bigint, as on the wire; the four error counters moved to a property in 1.4. */
export interface PortStats {
  portNo: number;
  rxPackets: bigint;
  txPackets: bigint;
  rxBytes: bigint;
  txBytes: bigint;
  rxDropped: bigint;
  txDropped: bigint;
  rxErrors: bigint;
  txErrors: bigint;
  rxFrameErr?: bigint;
  rxOverErr?: bigint;
  rxCrcErr?: bigint;
  collisions?: bigint;
  /** 1.3+. */
  durationSec?: number;
  durationNsec?: number;
  /** 1.4+: properties after the ETHERNET one (optical, experimenter), as bytes. */
  properties?: OfpProperty[];
  padding?: Buffer;
}

export interface QueueStats {
  portNo: number;
  queueId: number;
  txBytes: bigint;
  txPackets: bigint;
  txErrors: bigint;
  /** 1.3+. */
  durationSec?: number;
  durationNsec?: number;
  /** 1.4+. */
  properties?: OfpProperty[];
  padding?: Buffer;
}

export interface GroupStats {
  groupId: number;
  refCount: number;
  packetCount: bigint;
  byteCount: bigint;
  /** 1.3+. */
  durationSec?: number;
  durationNsec?: number;
  buckets: { packetCount: bigint; byteCount: bigint }[];
  padding?: Buffer;
}

export interface GroupDesc {
  groupType: number;
  groupId: number;
  buckets: Bucket[];
  /** 1.5. */
  properties?: OfpProperty[];
  padding?: Buffer;
}

export interface MeterStats {
  meterId: number;
  flowCount: number;
  packetInCount: bigint;
  byteInCount: bigint;
  durationSec: number;
  durationNsec: number;
  bands: { packetBandCount: bigint; byteBandCount: bigint }[];
  padding?: Buffer;
}

export interface MeterConfig {
  flags: number;
  meterId: number;
  bands: MeterBand[];
}

export interface TableFeatures {
  tableId: number;
  /** 1.5: OFPTFC_* command (a pad byte before). */
  command?: number;
  /** 1.5: OFPTFF_* features. */
  features?: number;
  name: string;
  metadataMatch: bigint;
  metadataWrite: bigint;
  /** OFPTC_* (1.3 "config", 1.4+ "capabilities"). */
  capabilities: number;
  maxEntries: number;
  /** Table feature properties (instructions, next tables, actions, match fields...), as bytes. */
  properties: OfpProperty[];
  nameBytes?: Buffer;
  padding?: Buffer;
}

export type StatsReplyBody =
  | StatsDesc
  | { stats: 'FLOW'; entries: FlowStats[] }
  /** 1.5: OXS fields (as for FlowStats; `oxsBytes` when not reproducible). */
  | { stats: 'AGGREGATE'; packetCount: bigint; byteCount: bigint; flowCount: number; padding?: Buffer; oxsBytes?: Buffer }
  | { stats: 'TABLE'; entries: TableStats[] }
  | { stats: 'PORT_STATS'; entries: PortStats[] }
  | { stats: 'QUEUE'; entries: QueueStats[] }
  | { stats: 'GROUP'; entries: GroupStats[] }
  | { stats: 'GROUP_DESC'; entries: GroupDesc[] }
  | {
    stats: 'GROUP_FEATURES'; types: number; capabilities: number;
    maxGroups: [number, number, number, number]; actions: [number, number, number, number];
  }
  | { stats: 'METER'; entries: MeterStats[] }
  | { stats: 'METER_CONFIG'; entries: MeterConfig[] }
  | {
    stats: 'METER_FEATURES'; maxMeter: number; bandTypes: number; capabilities: number; maxBands: number;
    maxColor: number; /** 1.5 (absent when a 1.5 switch sent the 16-byte 1.3 layout). */ features?: number; padding?: Buffer;
  }
  | { stats: 'TABLE_FEATURES'; entries: TableFeatures[] }
  | { stats: 'PORT_DESC'; entries: OfpPort[] }
  | RawStatsBody;

export type StatsKind = Exclude<StatsReplyBody['stats'], 'RAW'>;

export type StatsRequestMessage<T extends StatsRequestType = StatsRequestType> = Head<T> & StatsRequestBody & {
  /** Bytes after a fixed-size body. */
  trailing?: Buffer;
};
export type StatsReplyMessage<T extends StatsReplyType = StatsReplyType> = Head<T> & StatsReplyBody & { trailing?: Buffer };
