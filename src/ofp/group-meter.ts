/**
 * GROUP_MOD (1.1+) with its buckets, METER_MOD (1.3+) with its bands; the bucket and band codecs
 * are shared with the GROUP_DESC and METER_CONFIG multipart replies.
 */
import { Buffer } from 'node:buffer';
import { badLength } from './ofp-error.js';
import { OFP15 } from './versions.js';
import {
  PAD, propertiesLength, readProperties, struct, u16Length, writeProperties, type OfpProperty,
} from './struct.js';
import { requireLength, unencodable, type Codec } from './wire.js';
import { actionsPart, readActionsPart } from './typed-parts.js';
import type { Action } from './actions.js';

type Fields = Record<string, unknown>;

interface Base { version: number; xid: number }

export interface Bucket {
  /** 1.5: the bucket's id (OFPG_BUCKET_*). */
  bucketId?: number;
  /** In 1.5 these three travel as properties (written only when given). */
  weight?: number;
  watchPort?: number;
  watchGroup?: number;
  /** Absent only when the bytes are no action list this version's decoder reads (then see actionsBytes). */
  actions?: Action[];
  /** The action bytes, kept only when `actions` would not encode back to them. */
  actionsBytes?: Buffer;
  /** 1.5: other bucket properties, as bytes. */
  properties?: OfpProperty[];
  padding?: Buffer;
}

export interface GroupModMessage extends Base {
  type: 'GROUP_MOD';
  /** OFPGC_ADD 0, MODIFY 1, DELETE 2 (1.5: INSERT_BUCKET 3, REMOVE_BUCKET 5). */
  command: number;
  /** OFPGT_ALL 0, SELECT 1, INDIRECT 2, FF 3. */
  groupType: number;
  groupId: number;
  buckets: Bucket[];
  /** 1.5. */
  commandBucketId?: number;
  /** 1.5: group properties, as bytes. */
  properties?: OfpProperty[];
  padding?: Buffer;
}

/** OFPMBT_DROP 1 and DSCP_REMARK 2 (with precLevel); any other type keeps its body bytes. */
export type MeterBand =
  | { type: 1; rate: number; burstSize: number; padding?: Buffer }
  | { type: 2; rate: number; burstSize: number; precLevel: number; padding?: Buffer }
  /** `data` follows burst_size (for EXPERIMENTER 0xffff: the experimenter id, then its data). */
  | { type: number; rate: number; burstSize: number; data: Buffer };

export interface MeterModMessage extends Base {
  type: 'METER_MOD';
  /** OFPMC_ADD 0, MODIFY 1, DELETE 2. */
  command: number;
  /** OFPMF_KBPS 1, PKTPS 2, BURST 4, STATS 8. */
  flags: number;
  meterId: number;
  bands: MeterBand[];
}

// ---- buckets ----

const bucket11 = struct([['len', 'u16'], ['weight', 'u16'], ['watchPort', 'u32'], ['watchGroup', 'u32'], ['', PAD(4)]]);
const bucket15 = struct([['len', 'u16'], ['actionsLen', 'u16'], ['bucketId', 'u32']]);
/** 1.5 bucket properties that carry the 1.1-1.4 fields: type, the field, and its pad. */
const LIFTED = [['weight', 0, 2], ['watchPort', 1, 0], ['watchGroup', 2, 0]] as const;

/** The buckets from `pos` to `end`. */
export function readBuckets(buf: Buffer, pos: number, end: number, version: number): Bucket[] {
  const buckets: Bucket[] = [];
  for (let at = pos; at < end;) {
    const head = version >= OFP15 ? bucket15 : bucket11;
    if (at + head.size > end) throw badLength('ofp_bucket runs past its list');
    const f: Record<string, unknown> = {};
    head.read(buf, at, f);
    const len = f.len as number;
    if (len < head.size || at + len > end) throw badLength(`ofp_bucket length ${len} does not fit`);
    if (version < OFP15) {
      const b = { weight: f.weight as number, watchPort: f.watchPort as number, watchGroup: f.watchGroup as number } as Bucket;
      readActionsPart(version, buf, at + head.size, at + len, b as unknown as Fields);
      if (f.padding) b.padding = f.padding as Buffer;
      buckets.push(b);
    } else {
      const actionsEnd = at + head.size + (f.actionsLen as number);
      if (actionsEnd > at + len) throw badLength('ofp_bucket action_array_len runs past the bucket');
      const b = { bucketId: f.bucketId as number } as Bucket;
      readActionsPart(version, buf, at + head.size, actionsEnd, b as unknown as Fields);
      const props = readProperties(buf, actionsEnd, at + len, 'ofp_bucket');
      liftBucketProps(b, props);
      buckets.push(b);
    }
    at += len;
  }
  return buckets;
}

/** Leading weight / watch_port / watch_group properties (in that order, exact form) become fields. */
function liftBucketProps(b: Bucket, props: OfpProperty[]): void {
  let next = 0;
  while (props.length) {
    const p = props[0]!;
    const i = LIFTED.findIndex(([, type], k) => k >= next && type === p.type);
    if (i < 0 || p.data.length !== 4 || p.padding) break;
    const [field, , padLen] = LIFTED[i]!;
    if (padLen && (p.data[2] !== 0 || p.data[3] !== 0)) break;
    b[field] = padLen ? p.data.readUInt16BE(0) : p.data.readUInt32BE(0);
    props.shift();
    next = i + 1;
  }
  if (props.length) b.properties = props;
}

export function bucketLength(b: Bucket, version: number): number {
  const actions = actionsPart(b as unknown as Fields, version).length;
  if (version < OFP15) return bucket11.size + actions;
  const lifted = LIFTED.filter(([field]) => b[field] !== undefined).length * 8;
  return bucket15.size + actions + lifted + propertiesLength(b.properties);
}

export function writeBuckets(buckets: readonly Bucket[], version: number, out: Buffer, pos: number): number {
  let at = pos;
  for (const b of buckets) {
    const len = u16Length(bucketLength(b, version), 'ofp_bucket');
    const actions = actionsPart(b as unknown as Fields, version);
    if (version < OFP15) {
      bucket11.write({ ...b, len }, out, at);
      actions.copy(out, at + bucket11.size);
    } else {
      if (b.padding) throw unencodable('a 1.5 bucket has no padding');
      bucket15.write({ len, actionsLen: actions.length, bucketId: b.bucketId }, out, at);
      actions.copy(out, at + bucket15.size);
      let p = at + bucket15.size + actions.length;
      for (const [field, type, padLen] of LIFTED) {
        const v = b[field];
        if (v === undefined) continue;
        const data = Buffer.alloc(4);
        if (padLen) data.writeUInt16BE(v, 0);
        else data.writeUInt32BE(v >>> 0, 0);
        p += writeProperties([{ type, data }], out, p);
      }
      writeProperties(b.properties, out, p);
    }
    at += len;
  }
  return at - pos;
}

// ---- GROUP_MOD ----

const groupMod11 = struct([['command', 'u16'], ['groupType', 'u8'], ['', PAD(1)], ['groupId', 'u32']]);
const groupMod15 = struct([['command', 'u16'], ['groupType', 'u8'], ['', PAD(1)], ['groupId', 'u32'],
  ['bucketsLen', 'u16'], ['', PAD(2)], ['commandBucketId', 'u32']]);

export const groupModCodec: Codec<GroupModMessage> = {
  decode(buf, version, xid) {
    const s = version >= OFP15 ? groupMod15 : groupMod11;
    requireLength(buf, 8 + s.size, 'GROUP_MOD');
    const f: Record<string, unknown> = {};
    s.read(buf, 8, f);
    const start = 8 + s.size;
    const bucketsEnd = version >= OFP15 ? start + (f.bucketsLen as number) : buf.length;
    if (bucketsEnd > buf.length) throw badLength('GROUP_MOD bucket_array_len runs past the message');
    const m: GroupModMessage = {
      type: 'GROUP_MOD', version, xid, command: f.command as number, groupType: f.groupType as number,
      groupId: f.groupId as number, buckets: readBuckets(buf, start, bucketsEnd, version),
    };
    if (version >= OFP15) {
      m.commandBucketId = f.commandBucketId as number;
      const props = readProperties(buf, bucketsEnd, buf.length, 'GROUP_MOD');
      if (props.length) m.properties = props;
    }
    if (f.padding) m.padding = f.padding as Buffer;
    return m;
  },
  bodyLength(m) {
    const buckets = m.buckets.reduce((n, b) => n + bucketLength(b, m.version), 0);
    return m.version >= OFP15 ? groupMod15.size + buckets + propertiesLength(m.properties) : groupMod11.size + buckets;
  },
  encodeBody(m, out) {
    const v = m.version;
    const s = v >= OFP15 ? groupMod15 : groupMod11;
    const bucketsLen = m.buckets.reduce((n, b) => n + bucketLength(b, v), 0);
    s.write({ ...m, bucketsLen }, out, 8);
    writeBuckets(m.buckets, v, out, 8 + s.size);
    if (v >= OFP15) writeProperties(m.properties, out, 8 + s.size + bucketsLen);
  },
};

// ---- meter bands ----

const band = struct([['type', 'u16'], ['len', 'u16'], ['rate', 'u32'], ['burstSize', 'u32']]);
const dropBand = struct([['type', 'u16'], ['len', 'u16'], ['rate', 'u32'], ['burstSize', 'u32'], ['', PAD(4)]]);
const dscpBand = struct([['type', 'u16'], ['len', 'u16'], ['rate', 'u32'], ['burstSize', 'u32'], ['precLevel', 'u8'], ['', PAD(3)]]);
const STD_BAND_LEN = 16;

export function readBands(buf: Buffer, pos: number, end: number): MeterBand[] {
  const bands: MeterBand[] = [];
  for (let at = pos; at < end;) {
    if (at + band.size > end) throw badLength('ofp_meter_band runs past its list');
    const type = buf.readUInt16BE(at);
    const len = buf.readUInt16BE(at + 2);
    if (len < band.size || at + len > end) throw badLength(`ofp_meter_band length ${len} does not fit`);
    const f: Record<string, unknown> = {};
    if ((type === 1 || type === 2) && len === STD_BAND_LEN) {
      (type === 1 ? dropBand : dscpBand).read(buf, at, f);
      delete f.len;
      bands.push(f as MeterBand);
    } else {
      band.read(buf, at, f);
      bands.push({ type, rate: f.rate as number, burstSize: f.burstSize as number, data: buf.subarray(at + band.size, at + len) });
    }
    at += len;
  }
  return bands;
}

export function bandLength(b: MeterBand): number {
  return 'data' in b ? band.size + b.data.length : STD_BAND_LEN;
}

export function writeBands(bands: readonly MeterBand[], out: Buffer, pos: number): number {
  let at = pos;
  for (const b of bands) {
    const len = u16Length(bandLength(b), 'ofp_meter_band');
    if ('data' in b) {
      band.write({ ...b, len }, out, at);
      b.data.copy(out, at + band.size);
    } else if (b.type === 1 || b.type === 2) {
      (b.type === 1 ? dropBand : dscpBand).write({ ...b, len }, out, at);
    } else {
      throw unencodable(`meter band type ${(b as MeterBand).type} needs its data`);
    }
    at += len;
  }
  return at - pos;
}

// ---- METER_MOD (1.3+): command u16, flags u16, meter_id u32, bands ----

const meterMod = struct([['command', 'u16'], ['flags', 'u16'], ['meterId', 'u32']]);

export const meterModCodec: Codec<MeterModMessage> = {
  decode(buf, version, xid) {
    requireLength(buf, 16, 'METER_MOD');
    const m = { type: 'METER_MOD', version, xid } as MeterModMessage;
    meterMod.read(buf, 8, m as unknown as Record<string, unknown>);
    m.bands = readBands(buf, 16, buf.length);
    return m;
  },
  bodyLength: (m) => meterMod.size + m.bands.reduce((n, b) => n + bandLength(b), 0),
  encodeBody(m, out) {
    meterMod.write(m as unknown as Record<string, unknown>, out, 8);
    writeBands(m.bands, out, 16);
  },
};
