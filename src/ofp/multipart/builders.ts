/**
 * Version-neutral STATS/MULTIPART builders: the message type (STATS_* before 1.3, MULTIPART_*
 * after), the "every port / table / group" wildcards and the fields a version lacks are chosen
 * here, so a request or reply is written once for every version. A kind the version does not
 * have is OfpError UNSUPPORTED_STATS naming both.
 */
import type { Match } from '../match-types.js';
import { OFP10, OFP13 } from '../versions.js';
import { statsReplyCodec, statsTypeCode, statsTypeName, unsupportedStats } from './codec.js';
import type {
  PortStats, StatsReplyBody, StatsReplyMessage, StatsRequestBody, StatsRequestMessage,
} from './types.js';

/** OFPP_ANY in the version's width (1.0's OFPP_NONE, which 1.0 uses for "no filter"). */
export const anyPort = (version: number): number => (version === OFP10 ? 0xffff : 0xffffffff);
const OFPTT_ALL = 0xff;
const OFPG_ANY = 0xffffffff;

function check(stats: string, version: number): void {
  if (stats !== 'RAW' && statsTypeCode(stats as never, version) === undefined) throw unsupportedStats(stats, version);
}

/** A STATS_REQUEST (1.0-1.2) or MULTIPART_REQUEST (1.3+) with `body`; `flags` OFPSF_REQ_MORE. */
export function statsRequest(version: number, xid: number, body: StatsRequestBody, flags = 0): StatsRequestMessage {
  check(body.stats, version);
  return { type: statsTypeName(version, 'REQUEST'), version, xid, flags, ...body } as StatsRequestMessage;
}

/** A STATS_REPLY (1.0-1.2) or MULTIPART_REPLY (1.3+) with `body`; `flags` OFPSF_REPLY_MORE. */
export function statsReply(version: number, xid: number, body: StatsReplyBody, flags = 0): StatsReplyMessage {
  check(body.stats, version);
  return { type: statsTypeName(version, 'REPLY'), version, xid, flags, ...body } as StatsReplyMessage;
}

/** What the entries of one reply message may take: the 64 KiB message limit less the headers. */
const MAX_ENTRY_BYTES = 0xffff - 16;

/**
 * A reply as the messages that carry it: a body with `entries` is split so that each message stays
 * under the 64 KiB limit, OFPSF_REPLY_MORE on all but the last (one message when they fit).
 */
export function statsReplies(version: number, xid: number, body: StatsReplyBody): StatsReplyMessage[] {
  const entries = (body as { entries?: unknown[] }).entries;
  if (!entries) return [statsReply(version, xid, body)];
  const withEntries = (list: unknown[], flags = 0): StatsReplyMessage =>
    statsReply(version, xid, { ...body, entries: list } as StatsReplyBody, flags);
  const codec = statsReplyCodec(statsTypeName(version, 'REPLY'));
  const empty = codec.bodyLength(withEntries([]));
  const groups: unknown[][] = [[]];
  let size = 0;
  for (const e of entries) {
    const n = codec.bodyLength(withEntries([e])) - empty;
    if (size + n > MAX_ENTRY_BYTES && groups.at(-1)!.length > 0) {
      groups.push([]);
      size = 0;
    }
    groups.at(-1)!.push(e);
    size += n;
  }
  return groups.map((g, i) => withEntries(g, i < groups.length - 1 ? 1 : 0));
}

export interface FlowStatsFilter {
  /** @default {} (every flow) */
  match?: Match;
  /** @default 0xff (all tables) */
  tableId?: number;
  /** @default any port */
  outPort?: number;
  /** 1.1+. @default any group */
  outGroup?: number;
  /** 1.1+. @default 0n, with cookieMask 0n (no cookie filter) */
  cookie?: bigint;
  cookieMask?: bigint;
}

/** A FLOW (or, with `aggregate`, AGGREGATE) stats request: every flow unless filtered. */
export function flowStatsRequest(version: number, xid: number, filter: FlowStatsFilter = {}, aggregate = false): StatsRequestMessage {
  const common = {
    stats: aggregate ? 'AGGREGATE' as const : 'FLOW' as const, tableId: filter.tableId ?? OFPTT_ALL,
    outPort: filter.outPort ?? anyPort(version), match: filter.match ?? {},
  };
  return statsRequest(version, xid, version === OFP10 ? common : {
    ...common, outGroup: filter.outGroup ?? OFPG_ANY, cookie: filter.cookie ?? 0n, cookieMask: filter.cookieMask ?? 0n,
  });
}

/** Port stats for one port, or (the default) every port. */
export function portStatsRequest(version: number, xid: number, portNo = anyPort(version)): StatsRequestMessage {
  return statsRequest(version, xid, { stats: 'PORT_STATS', portNo });
}

/**
 * A port stats entry for `version` from counters written once: missing counters are 0n, and the
 * durations (1.3+) are dropped where the version has no room for them.
 */
export function portStatsEntry(version: number, e: Partial<PortStats> & { portNo: number }): PortStats {
  const z = (v: bigint | undefined): bigint => v ?? 0n;
  const out: PortStats = {
    portNo: e.portNo, rxPackets: z(e.rxPackets), txPackets: z(e.txPackets), rxBytes: z(e.rxBytes), txBytes: z(e.txBytes),
    rxDropped: z(e.rxDropped), txDropped: z(e.txDropped), rxErrors: z(e.rxErrors), txErrors: z(e.txErrors),
    rxFrameErr: z(e.rxFrameErr), rxOverErr: z(e.rxOverErr), rxCrcErr: z(e.rxCrcErr), collisions: z(e.collisions),
  };
  if (version >= OFP13) {
    out.durationSec = e.durationSec ?? 0;
    out.durationNsec = e.durationNsec ?? 0;
  }
  if (e.properties && version > OFP13) out.properties = e.properties;
  return out;
}
