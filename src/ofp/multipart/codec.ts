/**
 * STATS_REQUEST / STATS_REPLY (1.0-1.2) and MULTIPART_REQUEST / MULTIPART_REPLY (1.3+): the header
 * (type, flags, and from 1.1 four pad bytes), then a body chosen by type and version.
 */
import { OFP10, OFP11, OFP12, OFP13, versionName } from '../versions.js';
import { OfpError } from '../ofp-error.js';
import { requireLength, unencodable, type Codec } from '../wire.js';
import {
  aggregateReply, descReply, emptyBody, flowRequest, groupDescRequest, groupFeaturesReply, groupRequest,
  meterFeaturesReply, meterRequest, portDescRequest, portStatsRequest, queueRequest, type BodyCodec,
} from './bodies.js';
import { flowStatsEntry, listBody, portStatsEntry, queueStatsEntry, tableStatsEntry } from './entries.js';
import {
  groupDescEntry, groupStatsEntry, meterConfigEntry, meterStatsEntry, portDescEntry, tableFeaturesEntry,
} from './more-entries.js';
import type {
  StatsKind, StatsReplyMessage, StatsReplyType, StatsRequestMessage, StatsRequestType,
} from './types.js';

type Fields = Record<string, unknown>;

interface Kind { name: StatsKind; code: number; since: number; request: BodyCodec; reply: BodyCodec }

const tableFeatures = listBody(tableFeaturesEntry);

/** OFPST_* / OFPMP_* numbers (the same in every version that has them) and their first version. */
const KINDS: readonly Kind[] = [
  { name: 'DESC', code: 0, since: OFP10, request: emptyBody, reply: descReply },
  { name: 'FLOW', code: 1, since: OFP10, request: flowRequest, reply: listBody(flowStatsEntry) },
  { name: 'AGGREGATE', code: 2, since: OFP10, request: flowRequest, reply: aggregateReply },
  { name: 'TABLE', code: 3, since: OFP10, request: emptyBody, reply: listBody(tableStatsEntry) },
  { name: 'PORT_STATS', code: 4, since: OFP10, request: portStatsRequest, reply: listBody(portStatsEntry) },
  { name: 'QUEUE', code: 5, since: OFP10, request: queueRequest, reply: listBody(queueStatsEntry) },
  { name: 'GROUP', code: 6, since: OFP11, request: groupRequest, reply: listBody(groupStatsEntry) },
  { name: 'GROUP_DESC', code: 7, since: OFP11, request: groupDescRequest, reply: listBody(groupDescEntry) },
  { name: 'GROUP_FEATURES', code: 8, since: OFP12, request: emptyBody, reply: groupFeaturesReply },
  { name: 'METER', code: 9, since: OFP13, request: meterRequest, reply: listBody(meterStatsEntry) },
  { name: 'METER_CONFIG', code: 10, since: OFP13, request: meterRequest, reply: listBody(meterConfigEntry) },
  { name: 'METER_FEATURES', code: 11, since: OFP13, request: emptyBody, reply: meterFeaturesReply },
  { name: 'TABLE_FEATURES', code: 12, since: OFP13, request: tableFeatures, reply: tableFeatures },
  { name: 'PORT_DESC', code: 13, since: OFP13, request: portDescRequest, reply: listBody(portDescEntry) },
];
const BY_CODE = new Map(KINDS.map((k) => [k.code, k]));
const BY_NAME = new Map(KINDS.map((k) => [k.name, k]));

/** The stats type number of `name` (OFPST_/OFPMP_), and whether `version` has it. */
export function statsTypeCode(name: StatsKind, version: number): number | undefined {
  const k = BY_NAME.get(name);
  return k && version >= k.since ? k.code : undefined;
}

const headerLen = (version: number): number => (version === OFP10 ? 4 : 8);

function statsCodec<M extends StatsRequestMessage | StatsReplyMessage>(
  type: StatsRequestType | StatsReplyType, side: 'request' | 'reply',
): Codec<M> {
  return {
    decode(buf, version, xid) {
      const h = headerLen(version);
      requireLength(buf, 8 + h, type);
      const code = buf.readUInt16BE(8);
      const m: Fields = { type, version, xid, flags: buf.readUInt16BE(10) };
      if (h === 8 && (buf[12] !== 0 || buf[13] !== 0 || buf[14] !== 0 || buf[15] !== 0)) m.headerPadding = buf.subarray(12, 16);
      const kind = BY_CODE.get(code);
      const body = 8 + h;
      if (!kind || version < kind.since) {
        m.stats = 'RAW';
        m.statsType = code;
        m.data = buf.subarray(body);
        return m as unknown as M;
      }
      m.stats = kind.name;
      const codec = kind[side];
      const end = codec.read(buf, body, version, m);
      if (end < buf.length) m.trailing = buf.subarray(end);
      return m as unknown as M;
    },
    bodyLength(msg) {
      const m = msg as unknown as Fields;
      const h = headerLen(msg.version);
      if (msg.stats === 'RAW') return h + msg.data.length;
      const trailing = (m.trailing as Buffer | undefined)?.length ?? 0;
      return h + kindOf(msg.stats, msg.version, type)[side].length(m, msg.version) + trailing;
    },
    encodeBody(msg, out) {
      const m = msg as unknown as Fields;
      const v = msg.version;
      const h = headerLen(v);
      out.writeUInt16BE(msg.stats === 'RAW' ? msg.statsType : kindOf(msg.stats, v, type).code, 8);
      out.writeUInt16BE(msg.flags ?? 0, 10);
      if (h === 8) {
        if (msg.headerPadding && msg.headerPadding.length !== 4) throw unencodable(`${type} headerPadding must be 4 bytes`);
        if (msg.headerPadding) msg.headerPadding.copy(out, 12);
        else out.fill(0, 12, 16);
      }
      if (msg.stats === 'RAW') {
        msg.data.copy(out, 8 + h);
        return;
      }
      const codec = kindOf(msg.stats, v, type)[side];
      codec.write(m, v, out, 8 + h);
      const trailing = m.trailing as Buffer | undefined;
      if (trailing) {
        if (!codec.fixed) throw unencodable(`${type} ${msg.stats} has no room for trailing bytes`);
        trailing.copy(out, 8 + h + codec.length(m, v));
      }
    },
  };
}

function kindOf(name: StatsKind, version: number, type: string): Kind {
  const k = BY_NAME.get(name);
  if (!k) throw unencodable(`${type}: no stats kind ${String(name)}`);
  if (version < k.since) throw unsupportedStats(name, version);
  return k;
}

/** A stats kind the version lacks: the typed error names both. */
export function unsupportedStats(name: string, version: number): OfpError {
  const since = BY_NAME.get(name as StatsKind)?.since;
  return new OfpError('UNSUPPORTED_STATS', `OpenFlow ${versionName(version)} has no ${name} stats` +
    (since ? ` (${name} exists since OpenFlow ${versionName(since)})` : ''));
}

export const statsRequestCodec = (type: StatsRequestType): Codec<StatsRequestMessage> => statsCodec(type, 'request');
export const statsReplyCodec = (type: StatsReplyType): Codec<StatsReplyMessage> => statsCodec(type, 'reply');

/** 1.0-1.2 say STATS, 1.3+ MULTIPART: the message type name for a stats message of `version`. */
export function statsTypeName<S extends 'REQUEST' | 'REPLY'>(version: number, side: S): `STATS_${S}` | `MULTIPART_${S}` {
  return version >= OFP13 ? `MULTIPART_${side}` : `STATS_${side}`;
}
