/**
 * The fixed-layout multipart bodies: requests naming a port / queue / group / meter, the flow and
 * aggregate request, and the DESC, AGGREGATE, GROUP_FEATURES and METER_FEATURES replies.
 */
import type { Buffer } from 'node:buffer';
import { OFP10, OFP15 } from '../versions.js';
import { PAD, STR, need, struct, type Struct } from '../struct.js';
import { unencodable } from '../wire.js';
import { matchPart, readMatchPart } from '../typed-parts.js';
import { oxsLength, oxsSizeAt, readOxs, writeOxs } from './oxs.js';

type Fields = Record<string, unknown>;

/** How one body kind is read and written at `pos` (after the stats header) in `version`. */
export interface BodyCodec {
  /** Fills `into` from `[pos, buf.length)`; returns where the body ended (the rest is `trailing`, or an error). */
  read(buf: Buffer, pos: number, version: number, into: Fields): number;
  length(m: Fields, version: number): number;
  write(m: Fields, version: number, out: Buffer, pos: number): void;
  /** Whether bytes after the body are kept as `trailing` (fixed-size bodies) rather than refused. */
  fixed: boolean;
}

/** A body that is one struct, possibly chosen per version (undefined: kind absent in that version). */
export function fixedBody(layout: (version: number) => Struct): BodyCodec {
  return {
    fixed: true,
    read(buf, pos, version, into) {
      const s = layout(version);
      need(buf, pos, s.size, 'multipart body');
      s.read(buf, pos, into);
      return pos + s.size;
    },
    length: (_m, version) => layout(version).size,
    write: (m, version, out, pos) => layout(version).write(m, out, pos),
  };
}

const empty = struct([]);
export const emptyBody = fixedBody(() => empty);

// ---- requests ----

const portReq10 = struct([['portNo', 'u16'], ['', PAD(6)]]);
const portReq11 = struct([['portNo', 'u32'], ['', PAD(4)]]);
export const portStatsRequest = fixedBody((v) => (v === OFP10 ? portReq10 : portReq11));
/** 1.5 added a port_no to the PORT_DESC request. */
export const portDescRequest = fixedBody((v) => (v >= OFP15 ? portReq11 : empty));

const queueReq10 = struct([['portNo', 'u16'], ['', PAD(2)], ['queueId', 'u32']]);
const queueReq11 = struct([['portNo', 'u32'], ['queueId', 'u32']]);
export const queueRequest = fixedBody((v) => (v === OFP10 ? queueReq10 : queueReq11));

const groupReq = struct([['groupId', 'u32'], ['', PAD(4)]]);
export const groupRequest = fixedBody(() => groupReq);
export const groupDescRequest = fixedBody((v) => (v >= OFP15 ? groupReq : empty));

const meterReq = struct([['meterId', 'u32'], ['', PAD(4)]]);
export const meterRequest = fixedBody(() => meterReq);

const flowReq10 = struct([['tableId', 'u8'], ['', PAD(1)], ['outPort', 'u16']]);
const flowReq11 = struct([['tableId', 'u8'], ['', PAD(3)], ['outPort', 'u32'], ['outGroup', 'u32'], ['', PAD(4)],
  ['cookie', 'u64'], ['cookieMask', 'u64']]);
const MATCH10_LEN = 40;

/** 1.0: match[40] then table_id, pad, out_port; 1.1+: the fields, then the (padded) match. */
export const flowRequest: BodyCodec = {
  fixed: true,
  read(buf, pos, version, into) {
    if (version === OFP10) {
      need(buf, pos, MATCH10_LEN + flowReq10.size, 'flow stats request');
      readMatchPart(version, buf, pos, buf.length, into);
      flowReq10.read(buf, pos + MATCH10_LEN, into);
      return pos + MATCH10_LEN + flowReq10.size;
    }
    need(buf, pos, flowReq11.size, 'flow stats request');
    flowReq11.read(buf, pos, into);
    const at = pos + flowReq11.size;
    return at + readMatchPart(version, buf, at, buf.length, into);
  },
  length: (m, version) => (version === OFP10 ? MATCH10_LEN + flowReq10.size : flowReq11.size + matchPart(m, version).length),
  write(m, version, out, pos) {
    const match = matchPart(m, version);
    if (version === OFP10) {
      if (match.length !== MATCH10_LEN) throw unencodable('a 1.0 match is 40 bytes');
      match.copy(out, pos);
      flowReq10.write(m, out, pos + MATCH10_LEN);
      return;
    }
    flowReq11.write(m, out, pos);
    match.copy(out, pos + flowReq11.size);
  },
};

// ---- replies ----

const desc = struct([['mfrDesc', STR(256)], ['hwDesc', STR(256)], ['swDesc', STR(256)], ['serialNum', STR(32)],
  ['dpDesc', STR(256)]]);
export const descReply = fixedBody(() => desc);

const aggregate = struct([['packetCount', 'u64'], ['byteCount', 'u64'], ['flowCount', 'u32'], ['', PAD(4)]]);
const aggregate13 = fixedBody(() => aggregate);
/** 1.5: the counters are an ofp_stats (OXS) list. */
export const aggregateReply: BodyCodec = {
  fixed: true,
  read(buf, pos, version, into) {
    if (version < OFP15) return aggregate13.read(buf, pos, version, into);
    const size = oxsSizeAt(buf, pos, buf.length);
    readOxs(buf, pos, size, into);
    return pos + size;
  },
  length: (m, version) => (version < OFP15 ? aggregate.size : oxsLength(m)),
  write: (m, version, out, pos) => void (version < OFP15 ? aggregate.write(m, out, pos) : writeOxs(m, out, pos)),
};

const groupFeatures = struct([['types', 'u32'], ['capabilities', 'u32'], ['g0', 'u32'], ['g1', 'u32'], ['g2', 'u32'],
  ['g3', 'u32'], ['a0', 'u32'], ['a1', 'u32'], ['a2', 'u32'], ['a3', 'u32']]);

/** max_groups[4] and actions[4] as arrays. */
export const groupFeaturesReply: BodyCodec = {
  fixed: true,
  read(buf, pos, _v, into) {
    need(buf, pos, groupFeatures.size, 'group features');
    const f: Fields = {};
    groupFeatures.read(buf, pos, f);
    into.types = f.types;
    into.capabilities = f.capabilities;
    into.maxGroups = [f.g0, f.g1, f.g2, f.g3];
    into.actions = [f.a0, f.a1, f.a2, f.a3];
    return pos + groupFeatures.size;
  },
  length: () => groupFeatures.size,
  write(m, _v, out, pos) {
    const g = m.maxGroups as number[];
    const a = m.actions as number[];
    if (g.length !== 4 || a.length !== 4) throw unencodable('maxGroups and actions are 4 numbers each');
    groupFeatures.write({ ...m, g0: g[0], g1: g[1], g2: g[2], g3: g[3], a0: a[0], a1: a[1], a2: a[2], a3: a[3] }, out, pos);
  },
};

const meterFeatures13 = struct([['maxMeter', 'u32'], ['bandTypes', 'u32'], ['capabilities', 'u32'], ['maxBands', 'u8'],
  ['maxColor', 'u8'], ['', PAD(2)]]);
const meterFeatures15 = struct([['maxMeter', 'u32'], ['bandTypes', 'u32'], ['capabilities', 'u32'], ['maxBands', 'u8'],
  ['maxColor', 'u8'], ['', PAD(2)], ['features', 'u32'], ['', PAD(4)]]);
/**
 * 1.5 added `features` (24 bytes); a 1.5 reply in the 16-byte 1.3 layout (what Open vSwitch 3.1
 * sends) decodes without `features`, and encodes back the same way.
 */
export const meterFeaturesReply: BodyCodec = {
  fixed: true,
  read(buf, pos, version, into) {
    const s = version >= OFP15 && buf.length - pos >= meterFeatures15.size ? meterFeatures15 : meterFeatures13;
    need(buf, pos, s.size, 'meter features');
    s.read(buf, pos, into);
    return pos + s.size;
  },
  length: (m, version) => (version >= OFP15 && m.features !== undefined ? meterFeatures15 : meterFeatures13).size,
  write: (m, version, out, pos) => (version >= OFP15 && m.features !== undefined ? meterFeatures15 : meterFeatures13).write(m, out, pos),
};
