/**
 * Multipart reply bodies that are arrays of entries: flow, table, port and queue stats here;
 * group, meter, table-features and port-desc entries in more-entries.ts.
 */
import { Buffer } from 'node:buffer';
import { badLength } from '../ofp-error.js';
import { OFP10, OFP13, OFP14, OFP15 } from '../versions.js';
import { oxsLength, oxsSizeAt, readOxs, writeOxs } from './oxs.js';
import {
  PAD, STR, propertiesLength, readProperties, struct, u16Length, writeProperties, type Struct,
} from '../struct.js';
import { unencodable } from '../wire.js';
import {
  actionsPart, instructionsPart, matchPart, readActionsPart, readInstructionsPart, readMatchPart,
} from '../typed-parts.js';
import type { BodyCodec } from './bodies.js';
import type { FlowStats, PortStats, QueueStats } from './types.js';

type Fields = Record<string, unknown>;

/** One entry kind of an array body. */
export interface EntryCodec {
  /** The entry's size at `at` (checked to fit before `end`). */
  sizeAt(buf: Buffer, at: number, end: number, version: number): number;
  read(buf: Buffer, at: number, size: number, version: number): Fields;
  length(e: Fields, version: number): number;
  write(e: Fields, version: number, out: Buffer, at: number): void;
}

/** `{ entries: [...] }` running to the end of the message. */
export function listBody(entry: EntryCodec): BodyCodec {
  return {
    fixed: false,
    read(buf, pos, version, into) {
      const entries: Fields[] = [];
      for (let at = pos; at < buf.length;) {
        const size = entry.sizeAt(buf, at, buf.length, version);
        entries.push(entry.read(buf, at, size, version));
        at += size;
      }
      into.entries = entries;
      return buf.length;
    },
    length: (m, version) => (m.entries as Fields[]).reduce((n, e) => n + entry.length(e, version), 0),
    write(m, version, out, pos) {
      let at = pos;
      for (const e of m.entries as Fields[]) {
        entry.write(e, version, out, at);
        at += entry.length(e, version);
      }
    },
  };
}

/** Entries of one fixed size per version. */
export function fixedEntry(layout: (version: number) => Struct): EntryCodec {
  return {
    sizeAt(buf, at, end, version) {
      const size = layout(version).size;
      if (at + size > end) throw badLength(`${end - at} bytes after the last whole stats entry`);
      return size;
    },
    read(buf, at, _size, version) {
      const e: Fields = {};
      layout(version).read(buf, at, e);
      return e;
    },
    length: (_e, version) => layout(version).size,
    write: (e, version, out, at) => layout(version).write(e, out, at),
  };
}

/** The u16 length field at `off` inside the entry gives its size (at least `min`). */
export function lengthAt(buf: Buffer, at: number, end: number, off: number, min: number, what: string): number {
  if (at + off + 2 > end) throw badLength(`${what} runs past the message`);
  const len = buf.readUInt16BE(at + off);
  if (len < min || at + len > end) throw badLength(`${what} length ${len} does not fit`);
  return len;
}

// ---- flow stats ----

const flow10 = struct([['length', 'u16'], ['tableId', 'u8'], ['', PAD(1)]]);
const flow10Tail = struct([['durationSec', 'u32'], ['durationNsec', 'u32'], ['priority', 'u16'], ['idleTimeout', 'u16'],
  ['hardTimeout', 'u16'], ['', PAD(6)], ['cookie', 'u64'], ['packetCount', 'u64'], ['byteCount', 'u64']]);
const flowHead = (mid: [string, ReturnType<typeof PAD> | 'u16'][]): Struct => struct([['length', 'u16'], ['tableId', 'u8'],
  ['', PAD(1)], ['durationSec', 'u32'], ['durationNsec', 'u32'], ['priority', 'u16'], ['idleTimeout', 'u16'],
  ['hardTimeout', 'u16'], ...mid, ['cookie', 'u64'], ['packetCount', 'u64'], ['byteCount', 'u64']]);
const flow11 = flowHead([['', PAD(6)]]);
const flow13 = flowHead([['flags', 'u16'], ['', PAD(4)]]);
const flow14 = flowHead([['flags', 'u16'], ['importance', 'u16'], ['', PAD(2)]]);
/** 1.5 ofp_flow_desc: the counters moved into an ofp_stats (OXS) list after the match. */
const flow15 = struct([['length', 'u16'], ['', PAD(2)], ['tableId', 'u8'], ['', PAD(1)], ['priority', 'u16'],
  ['idleTimeout', 'u16'], ['hardTimeout', 'u16'], ['flags', 'u16'], ['importance', 'u16'], ['cookie', 'u64']]);
const MATCH10_LEN = 40;
const flowLayout = (v: number): Struct => (v < OFP13 ? flow11 : v === OFP13 ? flow13 : v === OFP14 ? flow14 : flow15);

export const flowStatsEntry: EntryCodec = {
  sizeAt: (buf, at, end, version) => lengthAt(buf, at, end, 0, version === OFP10 ? 88 : flowLayout(version).size,
    'flow stats entry'),
  read(buf, at, size, version) {
    const e: Fields = {};
    const end = at + size;
    if (version === OFP10) {
      const padHead: Fields = {};
      flow10.read(buf, at, padHead);
      e.tableId = padHead.tableId;
      readMatchPart(version, buf, at + 4, end, e);
      flow10Tail.read(buf, at + 4 + MATCH10_LEN, e);
      // The two pads of the entry (1 + 6 bytes) are one `padding`, in wire order.
      if (padHead.padding || e.padding) e.padding = Buffer.concat([buf.subarray(at + 3, at + 4), buf.subarray(at + 58, at + 64)]);
      readActionsPart(version, buf, at + 88, end, e);
      return e;
    }
    const s = flowLayout(version);
    s.read(buf, at, e);
    delete e.length;
    let p = at + s.size;
    p += readMatchPart(version, buf, p, end, e);
    if (version >= OFP15) {
      const oxsSize = oxsSizeAt(buf, p, end);
      readOxs(buf, p, oxsSize, e);
      p += oxsSize;
    }
    readInstructionsPart(version, buf, p, end, e);
    return e;
  },
  length(e, version) {
    const match = matchPart(e, version).length;
    if (version === OFP10) return 48 + match + actionsPart(e, version).length;
    return flowLayout(version).size + match + (version >= OFP15 ? oxsLength(e) : 0) + instructionsPart(e, version).length;
  },
  write(e, version, out, at) {
    const f = e as unknown as FlowStats;
    const match = matchPart(e, version);
    if (version === OFP10) {
      if (match.length !== MATCH10_LEN) throw unencodable('a 1.0 match is 40 bytes');
      const actions = actionsPart(e, version);
      const pad = f.padding;
      if (pad && pad.length !== 7) throw unencodable('1.0 flow stats padding is 7 bytes');
      flow10.write({ length: u16Length(88 + actions.length, 'flow stats entry'), tableId: f.tableId, padding: pad?.subarray(0, 1) }, out, at);
      match.copy(out, at + 4);
      flow10Tail.write({ ...e, padding: pad?.subarray(1) }, out, at + 4 + MATCH10_LEN);
      actions.copy(out, at + 88);
      return;
    }
    const s = flowLayout(version);
    const instructions = instructionsPart(e, version);
    const length = s.size + match.length + (version >= OFP15 ? oxsLength(e) : 0) + instructions.length;
    s.write({ ...e, length: u16Length(length, 'flow stats entry') }, out, at);
    match.copy(out, at + s.size);
    let p = at + s.size + match.length;
    if (version >= OFP15) p += writeOxs(e, out, p);
    instructions.copy(out, p);
  },
};

// ---- table stats ----

const table10 = struct([['tableId', 'u8'], ['', PAD(3)], ['name', STR(32)], ['wildcards', 'u32'], ['maxEntries', 'u32'],
  ['activeCount', 'u32'], ['lookupCount', 'u64'], ['matchedCount', 'u64']]);
const table11 = struct([['tableId', 'u8'], ['', PAD(7)], ['name', STR(32)], ['wildcards', 'u32'], ['match', 'u32'],
  ['instructions', 'u32'], ['writeActions', 'u32'], ['applyActions', 'u32'], ['config', 'u32'], ['maxEntries', 'u32'],
  ['activeCount', 'u32'], ['lookupCount', 'u64'], ['matchedCount', 'u64']]);
const table12 = struct([['tableId', 'u8'], ['', PAD(7)], ['name', STR(32)], ['match', 'u64'], ['wildcards', 'u64'],
  ['writeActions', 'u32'], ['applyActions', 'u32'], ['writeSetfields', 'u64'], ['applySetfields', 'u64'],
  ['metadataMatch', 'u64'], ['metadataWrite', 'u64'], ['instructions', 'u32'], ['config', 'u32'], ['maxEntries', 'u32'],
  ['activeCount', 'u32'], ['lookupCount', 'u64'], ['matchedCount', 'u64']]);
const table13 = struct([['tableId', 'u8'], ['', PAD(3)], ['activeCount', 'u32'], ['lookupCount', 'u64'],
  ['matchedCount', 'u64']]);
export const tableStatsEntry = fixedEntry((v) => [table10, table10, table11, table12][v] ?? table13);

// ---- port stats ----

const COUNTERS = ['rxPackets', 'txPackets', 'rxBytes', 'txBytes', 'rxDropped', 'txDropped', 'rxErrors', 'txErrors'] as const;
const ERRORS = ['rxFrameErr', 'rxOverErr', 'rxCrcErr', 'collisions'] as const;
const u64s = (names: readonly string[]): [string, 'u64'][] => names.map((n) => [n, 'u64']);
const port10 = struct([['portNo', 'u16'], ['', PAD(6)], ...u64s(COUNTERS), ...u64s(ERRORS)]);
const port11 = struct([['portNo', 'u32'], ['', PAD(4)], ...u64s(COUNTERS), ...u64s(ERRORS)]);
const port13 = struct([['portNo', 'u32'], ['', PAD(4)], ...u64s(COUNTERS), ...u64s(ERRORS), ['durationSec', 'u32'],
  ['durationNsec', 'u32']]);
const port14 = struct([['length', 'u16'], ['', PAD(2)], ['portNo', 'u32'], ['durationSec', 'u32'], ['durationNsec', 'u32'],
  ...u64s(COUNTERS)]);
/** OFPPSPT_ETHERNET: type, length 40, pad[4], the four error counters. */
const portEthernet = struct([['type', 'u16'], ['length', 'u16'], ['', PAD(4)], ...u64s(ERRORS)]);
const fixedPort = fixedEntry((v) => (v === OFP10 ? port10 : v < OFP13 ? port11 : port13));

/** 1.4+: the error counters come from a leading ETHERNET property, lifted like an ofp_port's. */
export const portStatsEntry: EntryCodec = {
  sizeAt: (buf, at, end, version) => (version < OFP14 ? fixedPort.sizeAt(buf, at, end, version)
    : lengthAt(buf, at, end, 0, port14.size, 'port stats entry')),
  read(buf, at, size, version) {
    if (version < OFP14) return fixedPort.read(buf, at, size, version);
    const e: Fields = {};
    port14.read(buf, at, e);
    delete e.length;
    let p = at + port14.size;
    const end = at + size;
    if (end - p >= portEthernet.size && buf.readUInt16BE(p) === 0 && buf.readUInt16BE(p + 2) === portEthernet.size) {
      const eth: Fields = {};
      portEthernet.read(buf, p, eth);
      for (const k of ERRORS) e[k] = eth[k];
      if (eth.padding) e.padding = Buffer.concat([(e.padding as Buffer | undefined) ?? Buffer.alloc(2), eth.padding as Buffer]);
      else if (e.padding) e.padding = Buffer.concat([e.padding as Buffer, Buffer.alloc(4)]);
      p += portEthernet.size;
    }
    if (p < end) e.properties = readProperties(buf, p, end, 'port stats entry');
    return e;
  },
  length(e, version) {
    if (version < OFP14) return fixedPort.length(e, version);
    const s = e as unknown as PortStats;
    return port14.size + (s.rxFrameErr === undefined ? 0 : portEthernet.size) + propertiesLength(s.properties);
  },
  write(e, version, out, at) {
    if (version < OFP14) return fixedPort.write(e, version, out, at);
    const s = e as unknown as PortStats;
    const length = u16Length(this.length(e, version), 'port stats entry');
    const eth = s.rxFrameErr !== undefined;
    const pad = s.padding;
    if (pad && pad.length !== (eth ? 6 : 2)) throw unencodable(`port stats padding must be ${eth ? 6 : 2} bytes`);
    port14.write({ ...e, length, padding: pad?.subarray(0, 2) }, out, at);
    let p = at + port14.size;
    if (eth) {
      portEthernet.write({ ...e, type: 0, length: portEthernet.size, padding: pad?.subarray(2) }, out, p);
      p += portEthernet.size;
    }
    writeProperties(s.properties, out, p);
  },
};

// ---- queue stats ----

const queueCounters: [string, 'u64'][] = [['txBytes', 'u64'], ['txPackets', 'u64'], ['txErrors', 'u64']];
const queue10 = struct([['portNo', 'u16'], ['', PAD(2)], ['queueId', 'u32'], ...queueCounters]);
const queue11 = struct([['portNo', 'u32'], ['queueId', 'u32'], ...queueCounters]);
const queue13 = struct([['portNo', 'u32'], ['queueId', 'u32'], ...queueCounters, ['durationSec', 'u32'], ['durationNsec', 'u32']]);
const queue14 = struct([['length', 'u16'], ['', PAD(6)], ['portNo', 'u32'], ['queueId', 'u32'], ...queueCounters,
  ['durationSec', 'u32'], ['durationNsec', 'u32']]);
const fixedQueue = fixedEntry((v) => (v === OFP10 ? queue10 : v < OFP13 ? queue11 : queue13));

export const queueStatsEntry: EntryCodec = {
  sizeAt: (buf, at, end, version) => (version < OFP14 ? fixedQueue.sizeAt(buf, at, end, version)
    : lengthAt(buf, at, end, 0, queue14.size, 'queue stats entry')),
  read(buf, at, size, version) {
    if (version < OFP14) return fixedQueue.read(buf, at, size, version);
    const e: Fields = {};
    queue14.read(buf, at, e);
    delete e.length;
    if (size > queue14.size) e.properties = readProperties(buf, at + queue14.size, at + size, 'queue stats entry');
    return e;
  },
  length: (e, version) => (version < OFP14 ? fixedQueue.length(e, version)
    : queue14.size + propertiesLength((e as unknown as QueueStats).properties)),
  write(e, version, out, at) {
    if (version < OFP14) return fixedQueue.write(e, version, out, at);
    const length = u16Length(this.length(e, version), 'queue stats entry');
    queue14.write({ ...e, length }, out, at);
    writeProperties((e as unknown as QueueStats).properties, out, at + queue14.size);
  },
};
