/** Multipart entries of groups, meters, table features and port descriptions. */
import { Buffer } from 'node:buffer';
import { badLength } from '../ofp-error.js';
import { OFP13, OFP15 } from '../versions.js';
import {
  PAD, STR, propertiesLength, readProperties, struct, u16Length, writeProperties,
} from '../struct.js';
import { bandLength, bucketLength, readBands, readBuckets, writeBands, writeBuckets } from '../group-meter.js';
import { portLength, portSizeAt, readPort, writePort } from '../port-msgs.js';
import type { OfpPort } from '../messages.js';
import { unencodable } from '../wire.js';
import { lengthAt, type EntryCodec } from './entries.js';
import type { GroupDesc, GroupStats, MeterConfig, MeterStats, TableFeatures } from './types.js';

type Fields = Record<string, unknown>;

// ---- group stats: fixed head, then one packet/byte counter pair per bucket ----

const group11 = struct([['length', 'u16'], ['', PAD(2)], ['groupId', 'u32'], ['refCount', 'u32'], ['', PAD(4)],
  ['packetCount', 'u64'], ['byteCount', 'u64']]);
const group13 = struct([['length', 'u16'], ['', PAD(2)], ['groupId', 'u32'], ['refCount', 'u32'], ['', PAD(4)],
  ['packetCount', 'u64'], ['byteCount', 'u64'], ['durationSec', 'u32'], ['durationNsec', 'u32']]);
const COUNTER_PAIR = 16;

/** An entry whose tail is pairs of u64 counters (group bucket stats, meter band stats). */
function pairs(buf: Buffer, from: number, to: number, names: [string, string], what: string): Fields[] {
  if ((to - from) % COUNTER_PAIR !== 0) throw badLength(`${what}: counters are not a whole number of pairs`);
  const out: Fields[] = [];
  for (let p = from; p < to; p += COUNTER_PAIR) {
    out.push({ [names[0]]: buf.readBigUInt64BE(p), [names[1]]: buf.readBigUInt64BE(p + 8) });
  }
  return out;
}

function writePairs(list: Fields[], names: [string, string], out: Buffer, at: number): void {
  list.forEach((c, i) => {
    out.writeBigUInt64BE(BigInt.asUintN(64, c[names[0]] as bigint), at + i * COUNTER_PAIR);
    out.writeBigUInt64BE(BigInt.asUintN(64, c[names[1]] as bigint), at + i * COUNTER_PAIR + 8);
  });
}

const BUCKET_COUNTERS: [string, string] = ['packetCount', 'byteCount'];
const groupLayout = (v: number) => (v >= OFP13 ? group13 : group11);

export const groupStatsEntry: EntryCodec = {
  sizeAt: (buf, at, end, v) => lengthAt(buf, at, end, 0, groupLayout(v).size, 'group stats entry'),
  read(buf, at, size, v) {
    const e: Fields = {};
    const s = groupLayout(v);
    s.read(buf, at, e);
    delete e.length;
    e.buckets = pairs(buf, at + s.size, at + size, BUCKET_COUNTERS, 'group stats entry');
    return e;
  },
  length: (e, v) => groupLayout(v).size + (e as unknown as GroupStats).buckets.length * COUNTER_PAIR,
  write(e, v, out, at) {
    const s = groupLayout(v);
    s.write({ ...e, length: u16Length(this.length(e, v), 'group stats entry') }, out, at);
    writePairs((e as unknown as GroupStats).buckets as unknown as Fields[], BUCKET_COUNTERS, out, at + s.size);
  },
};

// ---- group desc ----

const groupDesc11 = struct([['length', 'u16'], ['groupType', 'u8'], ['', PAD(1)], ['groupId', 'u32']]);
const groupDesc15 = struct([['length', 'u16'], ['groupType', 'u8'], ['', PAD(1)], ['groupId', 'u32'],
  ['bucketsLen', 'u16'], ['', PAD(6)]]);
const groupDescLayout = (v: number) => (v >= OFP15 ? groupDesc15 : groupDesc11);

export const groupDescEntry: EntryCodec = {
  sizeAt: (buf, at, end, v) => lengthAt(buf, at, end, 0, groupDescLayout(v).size, 'group desc entry'),
  read(buf, at, size, v) {
    const e: Fields = {};
    const s = groupDescLayout(v);
    s.read(buf, at, e);
    delete e.length;
    const end = at + size;
    let bucketsEnd = end;
    if (v >= OFP15) {
      bucketsEnd = at + s.size + (e.bucketsLen as number);
      delete e.bucketsLen;
      if (bucketsEnd > end) throw badLength('group desc bucket_list_len runs past the entry');
      if (bucketsEnd < end) e.properties = readProperties(buf, bucketsEnd, end, 'group desc entry');
    }
    e.buckets = readBuckets(buf, at + s.size, bucketsEnd, v);
    return e;
  },
  length(e, v) {
    const g = e as unknown as GroupDesc;
    const buckets = g.buckets.reduce((n, b) => n + bucketLength(b, v), 0);
    return groupDescLayout(v).size + buckets + (v >= OFP15 ? propertiesLength(g.properties) : 0);
  },
  write(e, v, out, at) {
    const g = e as unknown as GroupDesc;
    const s = groupDescLayout(v);
    const bucketsLen = g.buckets.reduce((n, b) => n + bucketLength(b, v), 0);
    s.write({ ...e, length: u16Length(this.length(e, v), 'group desc entry'), bucketsLen }, out, at);
    writeBuckets(g.buckets, v, out, at + s.size);
    if (v >= OFP15) writeProperties(g.properties, out, at + s.size + bucketsLen);
  },
};

// ---- meter stats: meter_id, len at offset 4 ----

const meterStats = struct([['meterId', 'u32'], ['len', 'u16'], ['', PAD(6)], ['flowCount', 'u32'],
  ['packetInCount', 'u64'], ['byteInCount', 'u64'], ['durationSec', 'u32'], ['durationNsec', 'u32']]);
const BAND_COUNTERS: [string, string] = ['packetBandCount', 'byteBandCount'];

export const meterStatsEntry: EntryCodec = {
  sizeAt: (buf, at, end) => lengthAt(buf, at, end, 4, meterStats.size, 'meter stats entry'),
  read(buf, at, size) {
    const e: Fields = {};
    meterStats.read(buf, at, e);
    delete e.len;
    e.bands = pairs(buf, at + meterStats.size, at + size, BAND_COUNTERS, 'meter stats entry');
    return e;
  },
  length: (e) => meterStats.size + (e as unknown as MeterStats).bands.length * COUNTER_PAIR,
  write(e, v, out, at) {
    meterStats.write({ ...e, len: u16Length(this.length(e, v), 'meter stats entry') }, out, at);
    writePairs((e as unknown as MeterStats).bands as unknown as Fields[], BAND_COUNTERS, out, at + meterStats.size);
  },
};

// ---- meter config: length, flags, meter_id, bands ----

const meterConfig = struct([['length', 'u16'], ['flags', 'u16'], ['meterId', 'u32']]);

export const meterConfigEntry: EntryCodec = {
  sizeAt: (buf, at, end) => lengthAt(buf, at, end, 0, meterConfig.size, 'meter config entry'),
  read(buf, at, size) {
    const e: Fields = {};
    meterConfig.read(buf, at, e);
    delete e.length;
    e.bands = readBands(buf, at + meterConfig.size, at + size);
    return e;
  },
  length: (e) => meterConfig.size + (e as unknown as MeterConfig).bands.reduce((n, b) => n + bandLength(b), 0),
  write(e, v, out, at) {
    meterConfig.write({ ...e, length: u16Length(this.length(e, v), 'meter config entry') }, out, at);
    writeBands((e as unknown as MeterConfig).bands, out, at + meterConfig.size);
  },
};

// ---- table features ----

const tf13 = struct([['length', 'u16'], ['tableId', 'u8'], ['', PAD(5)], ['name', STR(32)], ['metadataMatch', 'u64'],
  ['metadataWrite', 'u64'], ['capabilities', 'u32'], ['maxEntries', 'u32']]);
const tf15 = struct([['length', 'u16'], ['tableId', 'u8'], ['command', 'u8'], ['features', 'u32'], ['name', STR(32)],
  ['metadataMatch', 'u64'], ['metadataWrite', 'u64'], ['capabilities', 'u32'], ['maxEntries', 'u32']]);
const tfLayout = (v: number) => (v >= OFP15 ? tf15 : tf13);

export const tableFeaturesEntry: EntryCodec = {
  sizeAt: (buf, at, end, v) => lengthAt(buf, at, end, 0, tfLayout(v).size, 'table features entry'),
  read(buf, at, size, v) {
    const e: Fields = {};
    const s = tfLayout(v);
    s.read(buf, at, e);
    delete e.length;
    e.properties = readProperties(buf, at + s.size, at + size, 'table features entry');
    return e;
  },
  length: (e, v) => tfLayout(v).size + propertiesLength((e as unknown as TableFeatures).properties),
  write(e, v, out, at) {
    const s = tfLayout(v);
    s.write({ ...e, length: u16Length(this.length(e, v), 'table features entry') }, out, at);
    writeProperties((e as unknown as TableFeatures).properties, out, at + s.size);
  },
};

// ---- port desc ----

export const portDescEntry: EntryCodec = {
  sizeAt(buf, at, end, v) {
    const size = portSizeAt(buf.subarray(0, end), at, v);
    if (at + size > end) throw badLength(`${end - at} bytes after the last whole port`);
    return size;
  },
  read: (buf, at, size, v) => readPort(buf, at, size, v) as unknown as Fields,
  length: (e, v) => portLength(e as unknown as OfpPort, v),
  write(e, v, out, at) {
    if (v < OFP13) throw unencodable('PORT_DESC is a 1.3 addition');
    writePort(e as unknown as OfpPort, v, out, at);
  },
};
