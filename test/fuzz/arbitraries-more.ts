/**
 * Generators for the port, config, group/meter, queue, async, REQUESTFORWARD and STATS/MULTIPART
 * messages, in the exact form decode() produces (see arbitraries.ts for the canonical-form rules).
 */
import fc from 'fast-check';
import { OFP10, OFP11, OFP13, OFP14, OFP15, statsTypeCode, type StatsKind } from '../../src/ofp/index.js';

// Its own primitives: arbitraries.ts imports this file, so importing them back would be a cycle.
const u8 = fc.integer({ min: 0, max: 0xff });
const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
const bytes = (maxLength: number, minLength = 0): fc.Arbitrary<Buffer> =>
  fc.uint8Array({ minLength, maxLength }).map((a) => Buffer.from(a));

type Fields = Record<string, unknown>;

const roundUp8 = (n: number): number => (n + 7) & ~7;
const maybe = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(a, { nil: undefined, freq: 3 });
export const nonZeroPad = (n: number): fc.Arbitrary<Buffer> => bytes(n, n).filter((b) => b.some((x) => x !== 0));
/** A plain object (fc.record makes null-prototype ones) without the keys whose value is undefined. */
function compact<T extends Fields>(o: T): T {
  const out = { ...o };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const rec = <M extends Record<string, fc.Arbitrary<any>>>(model: M) => fc.record(model).map((o) => ({ ...o }));
const text = (max: number) => fc.stringMatching(new RegExp(`^[ -~]{0,${max}}$`));
const mac = bytes(6, 6).map((b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(':'));
/** Typed matches, actions and instructions in the canonical form their decoders give. */
const matchFor = (v: number): fc.Arbitrary<Fields> => fc.oneof(
  fc.constant({}),
  rec({ inPort: fc.integer({ min: 1, max: 0xfeff }) }),
  rec({ inPort: fc.integer({ min: 1, max: 0xfeff }), ethType: fc.constantFrom(0x0800, 0x86dd, 0x0806) }),
  ...(v >= 3 ? [rec({ ethType: fc.constant(0x0800), ipv4Dst: fc.constantFrom('10.0.0.0/8', '192.168.1.1') })] : []),
);
const actionsArb = fc.array(rec({ type: fc.constant('OUTPUT'), port: fc.integer({ min: 1, max: 0xfeff }), maxLen: u16 }),
  { maxLength: 2 });
const instructionsArb = fc.array(fc.oneof(
  rec({ type: fc.constant('GOTO_TABLE'), tableId: fc.integer({ min: 1, max: 0xfe }) }),
  actionsArb.map((actions) => ({ type: 'APPLY_ACTIONS', actions })),
), { maxLength: 2 });

/** A TLV property (type from `minType`), with non-zero padding sometimes. */
function propArb(minType = 0, maxType = 0xffff): fc.Arbitrary<Fields> {
  return rec({ type: fc.integer({ min: minType, max: maxType }), data: bytes(12) }).chain(({ type, data }) => {
    const padLen = roundUp8(4 + data.length) - 4 - data.length;
    return (padLen ? maybe(nonZeroPad(padLen)) : fc.constant(undefined)).map((padding) => compact({ type, data, padding }));
  });
}
const props = (minType = 0, maxLength = 2) => fc.array(propArb(minType), { maxLength });
const someProps = (minType = 0) => props(minType).map((p) => (p.length ? p : undefined));

// ---- ports ----

export function portArb(v: number): fc.Arbitrary<Fields> {
  const common = { hwAddr: mac, name: text(16), config: u32, state: u32 };
  if (v < OFP14) {
    return rec({ ...common, portNo: v === OFP10 ? u16 : u32, curr: u32, advertised: u32, supported: u32, peer: u32,
      currSpeed: u32, maxSpeed: u32, padding: maybe(nonZeroPad(6)) })
      .map(({ currSpeed, maxSpeed, padding, ...r }) => compact({ ...r, ...(v === OFP10 ? {} : { currSpeed, maxSpeed, padding }) }));
  }
  return fc.oneof(
    rec({ ...common, portNo: u32, curr: u32, advertised: u32, supported: u32, peer: u32, currSpeed: u32, maxSpeed: u32,
      padding: maybe(nonZeroPad(8)), properties: someProps(1) }).map(compact),
    rec({ ...common, portNo: u32, padding: maybe(nonZeroPad(4)), properties: someProps(1) }).map((r) => compact({
      ...r, curr: 0, advertised: 0, supported: 0, peer: 0, currSpeed: 0, maxSpeed: 0, noEthernet: true,
    })),
  );
}

// ---- plain messages ----

function portModArb(v: number): fc.Arbitrary<Fields> {
  const base = { portNo: v === OFP10 ? u16 : u32, hwAddr: mac, config: u32, mask: u32 };
  const padLen = v === OFP10 ? 4 : v < OFP14 ? 10 : 6;
  if (v < OFP14) {
    return rec({ ...base, advertise: u32, padding: maybe(nonZeroPad(padLen)), trailing: maybe(bytes(8, 1)) })
      .map((r) => compact({ type: 'PORT_MOD', ...r }));
  }
  return rec({ ...base, advertise: maybe(u32), padding: maybe(nonZeroPad(padLen)), properties: someProps(1) })
    .map((r) => compact({ type: 'PORT_MOD', ...r }));
}

function bucketArb(v: number): fc.Arbitrary<Fields> {
  if (v < OFP15) {
    return rec({ weight: u16, watchPort: u32, watchGroup: u32, actions: actionsArb, padding: maybe(nonZeroPad(4)) })
      .map(compact);
  }
  return rec({ bucketId: u32, weight: maybe(u16), watchPort: maybe(u32), watchGroup: maybe(u32), actions: actionsArb,
    properties: someProps(3) }).map(compact);
}

const bandArb: fc.Arbitrary<Fields> = fc.oneof(
  rec({ rate: u32, burstSize: u32, padding: maybe(nonZeroPad(4)) }).map((r) => compact({ type: 1, ...r })),
  rec({ rate: u32, burstSize: u32, precLevel: u8, padding: maybe(nonZeroPad(3)) }).map((r) => compact({ type: 2, ...r })),
  rec({ type: fc.integer({ min: 3, max: 0xffff }), rate: u32, burstSize: u32, data: bytes(12) }),
);

function groupModArb(v: number): fc.Arbitrary<Fields> {
  return rec({ command: u16, groupType: u8, groupId: u32, buckets: fc.array(bucketArb(v), { maxLength: 3 }),
    commandBucketId: u32, properties: someProps(), padding: maybe(nonZeroPad(v >= OFP15 ? 3 : 1)) })
    .map(({ commandBucketId, properties, ...r }) => compact({ type: 'GROUP_MOD', ...r,
      ...(v >= OFP15 ? { commandBucketId, properties } : {}) }));
}

const meterModArb = rec({ command: u16, flags: u16, meterId: u32, bands: fc.array(bandArb, { maxLength: 3 }) })
  .map((r) => ({ type: 'METER_MOD', ...r }));

function asyncArb(type: string, v: number): fc.Arbitrary<Fields> {
  const pair = fc.tuple(u32, u32);
  if (v === OFP13) {
    return rec({ packetInMask: pair, portStatusMask: pair, flowRemovedMask: pair, trailing: maybe(bytes(8, 1)) })
      .map((r) => compact({ type, ...r }));
  }
  const prop = fc.oneof(
    rec({ type: fc.integer({ min: 0, max: 0xfffd }), mask: u32 }),
    propArb(0xfffe),
    propArb(0, 0xfffd).filter((p) => (p.data as Buffer).length !== 4),
  );
  return fc.array(prop, { maxLength: 4 }).map((p) => compact({ type, properties: p.length ? p : undefined }));
}

function queueReplyArb(v: number): fc.Arbitrary<Fields> {
  const prop = fc.oneof(
    rec({ property: fc.constantFrom(1, 2), rate: u16, padding: maybe(nonZeroPad(10)) }).map(compact),
    rec({ property: u16, data: bytes(16), padding: maybe(nonZeroPad(4)) })
      .filter((p) => !((p.property === 1 || p.property === 2) && p.data.length === 8)).map(compact),
  );
  const queue = rec({ queueId: u32, port: u32, properties: fc.array(prop, { maxLength: 2 }),
    padding: maybe(nonZeroPad(v >= 3 ? 6 : 2)) })
    .map(({ port, ...q }) => compact({ ...q, port: v >= 3 ? port : undefined }));
  return rec({ port: v === OFP10 ? u16 : u32, queues: fc.array(queue, { maxLength: 3 }),
    padding: maybe(nonZeroPad(v === OFP10 ? 6 : 4)) }).map((r) => compact({ type: 'QUEUE_GET_CONFIG_REPLY', ...r }));
}

/** Messages of this family that exist in `v`. */
export function moreMessageArbs(v: number): fc.Arbitrary<Fields>[] {
  const out: fc.Arbitrary<Fields>[] = [
    ...['GET_CONFIG_REPLY', 'SET_CONFIG'].map((type) => rec({ flags: u16, missSendLen: u16, trailing: maybe(bytes(8, 1)) })
      .map((r) => compact({ type, ...r }))),
    maybe(bytes(8, 1)).map((trailing) => compact({ type: 'GET_CONFIG_REQUEST', trailing })),
    rec({ reason: u8, desc: portArb(v), padding: maybe(nonZeroPad(7)), trailing: maybe(bytes(8, 1)) })
      .map((r) => compact({ type: 'PORT_STATUS', ...r, trailing: v >= OFP14 ? undefined : r.trailing })),
    portModArb(v),
    ...statsArbs(v),
  ];
  if (v >= OFP11) {
    out.push(rec({ tableId: u8, config: u32, padding: maybe(nonZeroPad(3)), trailing: maybe(bytes(8, 1)), properties: someProps() })
      .map(({ trailing, properties, ...r }) => compact({ type: 'TABLE_MOD', ...r,
        ...(v >= OFP14 ? { properties } : { trailing }) })));
    out.push(groupModArb(v));
  }
  if (v <= OFP13) {
    out.push(rec({ port: v === OFP10 ? u16 : u32, padding: maybe(nonZeroPad(v === OFP10 ? 2 : 4)), trailing: maybe(bytes(8, 1)) })
      .map((r) => compact({ type: 'QUEUE_GET_CONFIG_REQUEST', ...r })), queueReplyArb(v));
  }
  if (v >= OFP13) {
    out.push(meterModArb, asyncArb('GET_ASYNC_REPLY', v), asyncArb('SET_ASYNC', v),
      maybe(bytes(8, 1)).map((trailing) => compact({ type: 'GET_ASYNC_REQUEST', trailing })));
  }
  if (v >= OFP14) {
    out.push(rec({ role: u32, reason: u8, generationId: u64, properties: someProps(), padding: maybe(nonZeroPad(3)) })
      .map((r) => compact({ type: 'ROLE_STATUS', ...r })));
    out.push(fc.tuple(fc.oneof(groupModArb(v), meterModArb), u32)
      .map(([inner, xid]) => ({ type: 'REQUESTFORWARD', request: { ...inner, version: v, xid } })));
  }
  return out;
}

// ---- STATS / MULTIPART ----

const idReq = (name: string, pad: number) => rec({ [name]: u32, padding: maybe(nonZeroPad(pad)) }).map(compact);

function requestBody(kind: StatsKind, v: number): fc.Arbitrary<Fields> | undefined {
  switch (kind) {
    case 'DESC': case 'TABLE': case 'GROUP_FEATURES': case 'METER_FEATURES': return fc.constant({});
    case 'FLOW': case 'AGGREGATE':
      return v === OFP10
        ? rec({ tableId: u8, outPort: u16, match: matchFor(v), padding: maybe(nonZeroPad(1)) }).map(compact)
        : rec({ tableId: u8, outPort: u32, outGroup: u32, cookie: u64, cookieMask: u64, match: matchFor(v),
          padding: maybe(nonZeroPad(7)) }).map(compact);
    case 'PORT_STATS': return v === OFP10 ? rec({ portNo: u16, padding: maybe(nonZeroPad(6)) }).map(compact) : idReq('portNo', 4);
    case 'PORT_DESC': return v >= OFP15 ? idReq('portNo', 4) : fc.constant({});
    case 'QUEUE': return v === OFP10 ? rec({ portNo: u16, queueId: u32, padding: maybe(nonZeroPad(2)) }).map(compact)
      : rec({ portNo: u32, queueId: u32 });
    case 'GROUP': return idReq('groupId', 4);
    case 'GROUP_DESC': return v >= OFP15 ? idReq('groupId', 4) : fc.constant({});
    case 'METER': case 'METER_CONFIG': return idReq('meterId', 4);
    case 'TABLE_FEATURES': return fc.array(tableFeaturesArb(v), { maxLength: 2 }).map((entries) => ({ entries }));
    default: return undefined;
  }
}

function tableFeaturesArb(v: number): fc.Arbitrary<Fields> {
  return rec({ tableId: u8, command: u8, features: u32, name: text(32), metadataMatch: u64, metadataWrite: u64,
    capabilities: u32, maxEntries: u32, properties: props(), padding: maybe(nonZeroPad(5)) })
    .map(({ command, features, padding, ...r }) => compact({ ...r, ...(v >= OFP15 ? { command, features } : { padding }) }));
}

const u64Fields = (names: string[]) => Object.fromEntries(names.map((n) => [n, u64]));
const PORT_COUNTERS = ['rxPackets', 'txPackets', 'rxBytes', 'txBytes', 'rxDropped', 'txDropped', 'rxErrors', 'txErrors'];
const PORT_ERRORS = ['rxFrameErr', 'rxOverErr', 'rxCrcErr', 'collisions'];

function portStatsArb(v: number): fc.Arbitrary<Fields> {
  if (v < OFP14) {
    return rec({ portNo: v === OFP10 ? u16 : u32, ...u64Fields([...PORT_COUNTERS, ...PORT_ERRORS]), durationSec: u32,
      durationNsec: u32, padding: maybe(nonZeroPad(v === OFP10 ? 6 : 4)) })
      .map(({ durationSec, durationNsec, ...r }) => compact({ ...r, ...(v >= OFP13 ? { durationSec, durationNsec } : {}) }));
  }
  return fc.oneof(
    rec({ portNo: u32, durationSec: u32, durationNsec: u32, ...u64Fields([...PORT_COUNTERS, ...PORT_ERRORS]),
      padding: maybe(nonZeroPad(6)), properties: someProps(1) }).map(compact),
    rec({ portNo: u32, durationSec: u32, durationNsec: u32, ...u64Fields(PORT_COUNTERS),
      padding: maybe(nonZeroPad(2)), properties: someProps(1) }).map(compact),
  );
}

function flowStatsArb(v: number): fc.Arbitrary<Fields> {
  if (v >= OFP15) {
    return rec({ tableId: u8, priority: u16, idleTimeout: u16, hardTimeout: u16, flags: u16, importance: u16, cookie: u64,
      match: matchFor(v), durationSec: u32, durationNsec: u32, idle: maybe(fc.tuple(u32, u32)), packetCount: u64,
      byteCount: u64, instructions: instructionsArb, padding: maybe(nonZeroPad(3)) })
      .map(({ idle, ...r }) => compact({ ...r, idleSec: idle?.[0], idleNsec: idle?.[1] }));
  }
  return rec({ tableId: u8, durationSec: u32, durationNsec: u32, priority: u16, idleTimeout: u16, hardTimeout: u16,
    flags: u16, importance: u16, cookie: u64, packetCount: u64, byteCount: u64, match: matchFor(v),
    tail: v === OFP10 ? actionsArb : instructionsArb,
    padding: maybe(nonZeroPad(v < OFP13 ? 7 : v === OFP13 ? 5 : 3)) })
    .map(({ flags, importance, tail, ...r }) => compact({ ...r,
      flags: v >= OFP13 ? flags : undefined, importance: v >= OFP14 ? importance : undefined,
      ...(v === OFP10 ? { actions: tail } : { instructions: tail }) }));
}

function tableStatsArb(v: number): fc.Arbitrary<Fields> {
  const counts = { activeCount: u32, lookupCount: u64, matchedCount: u64 };
  if (v >= OFP13) return rec({ tableId: u8, ...counts, padding: maybe(nonZeroPad(3)) }).map(compact);
  if (v <= OFP11 && v === OFP10) {
    return rec({ tableId: u8, name: text(32), wildcards: u32, maxEntries: u32, ...counts, padding: maybe(nonZeroPad(3)) }).map(compact);
  }
  if (v === OFP11) {
    return rec({ tableId: u8, name: text(32), wildcards: u32, match: u32, instructions: u32, writeActions: u32,
      applyActions: u32, config: u32, maxEntries: u32, ...counts, padding: maybe(nonZeroPad(7)) }).map(compact);
  }
  return rec({ tableId: u8, name: text(32), match: u64, wildcards: u64, writeActions: u32, applyActions: u32,
    writeSetfields: u64, applySetfields: u64, metadataMatch: u64, metadataWrite: u64, instructions: u32, config: u32,
    maxEntries: u32, ...counts, padding: maybe(nonZeroPad(7)) }).map(compact);
}

function queueStatsArb(v: number): fc.Arbitrary<Fields> {
  return rec({ portNo: v === OFP10 ? u16 : u32, queueId: u32, txBytes: u64, txPackets: u64, txErrors: u64,
    durationSec: u32, durationNsec: u32, properties: someProps(), padding: maybe(nonZeroPad(v === OFP10 ? 2 : 6)) })
    .map(({ durationSec, durationNsec, properties, padding, ...r }) => compact({ ...r,
      ...(v >= OFP13 ? { durationSec, durationNsec } : {}), ...(v >= OFP14 ? { properties } : {}),
      padding: v === OFP10 || v >= OFP14 ? padding : undefined }));
}

const pairs = (a: string, b: string) => fc.array(rec({ [a]: u64, [b]: u64 }), { maxLength: 3 });

function replyBody(kind: StatsKind, v: number): fc.Arbitrary<Fields> {
  const list = (e: fc.Arbitrary<Fields>) => fc.array(e, { maxLength: 3 }).map((entries) => ({ entries }));
  switch (kind) {
    case 'DESC': return rec({ mfrDesc: text(256), hwDesc: text(256), swDesc: text(256), serialNum: text(32), dpDesc: text(256) });
    case 'FLOW': return list(flowStatsArb(v));
    case 'AGGREGATE': return rec({ packetCount: u64, byteCount: u64, flowCount: u32, padding: maybe(nonZeroPad(4)) })
      .map(({ padding, ...r }) => compact({ ...r, padding: v >= OFP15 ? undefined : padding }));
    case 'TABLE': return list(tableStatsArb(v));
    case 'PORT_STATS': return list(portStatsArb(v));
    case 'QUEUE': return list(queueStatsArb(v));
    case 'GROUP': return list(rec({ groupId: u32, refCount: u32, packetCount: u64, byteCount: u64, durationSec: u32,
      durationNsec: u32, buckets: pairs('packetCount', 'byteCount'), padding: maybe(nonZeroPad(6)) })
      .map(({ durationSec, durationNsec, ...r }) => compact({ ...r, ...(v >= OFP13 ? { durationSec, durationNsec } : {}) })));
    case 'GROUP_DESC': return list(rec({ groupType: u8, groupId: u32, buckets: fc.array(bucketArb(v), { maxLength: 2 }),
      properties: someProps(), padding: maybe(nonZeroPad(v >= OFP15 ? 7 : 1)) })
      .map(({ properties, ...r }) => compact({ ...r, properties: v >= OFP15 ? properties : undefined })));
    case 'GROUP_FEATURES': return rec({ types: u32, capabilities: u32, maxGroups: fc.tuple(u32, u32, u32, u32),
      actions: fc.tuple(u32, u32, u32, u32) });
    case 'METER': return list(rec({ meterId: u32, flowCount: u32, packetInCount: u64, byteInCount: u64, durationSec: u32,
      durationNsec: u32, bands: pairs('packetBandCount', 'byteBandCount'), padding: maybe(nonZeroPad(6)) }).map(compact));
    case 'METER_CONFIG': return list(rec({ flags: u16, meterId: u32, bands: fc.array(bandArb, { maxLength: 2 }) }));
    case 'METER_FEATURES': return rec({ maxMeter: u32, bandTypes: u32, capabilities: u32, maxBands: u8, maxColor: u8,
      features: u32, padding: maybe(nonZeroPad(v >= OFP15 ? 6 : 2)) })
      .map(({ features, ...r }) => compact({ ...r, features: v >= OFP15 ? features : undefined }));
    case 'TABLE_FEATURES': return list(tableFeaturesArb(v));
    case 'PORT_DESC': return list(portArb(v));
  }
}

const KINDS: StatsKind[] = ['DESC', 'FLOW', 'AGGREGATE', 'TABLE', 'PORT_STATS', 'QUEUE', 'GROUP', 'GROUP_DESC',
  'GROUP_FEATURES', 'METER', 'METER_CONFIG', 'METER_FEATURES', 'TABLE_FEATURES', 'PORT_DESC'];
const FIXED_REPLIES = new Set(['DESC', 'AGGREGATE', 'GROUP_FEATURES', 'METER_FEATURES']);
const LIST_REQUESTS = new Set(['TABLE_FEATURES']);

function statsArbs(v: number): fc.Arbitrary<Fields>[] {
  const side = v >= OFP13 ? 'MULTIPART' : 'STATS';
  const kinds = KINDS.filter((k) => statsTypeCode(k, v) !== undefined);
  const known = new Set(kinds.map((k) => statsTypeCode(k, v)));
  const head = { flags: u16, headerPadding: v === OFP10 ? fc.constant(undefined) : maybe(nonZeroPad(4)) };
  const withHead = (type: string, stats: string, body: fc.Arbitrary<Fields>, trailing: boolean) =>
    rec({ ...head, body, trailing: trailing ? maybe(bytes(8, 1)) : fc.constant(undefined) })
      .map(({ body: b, ...h }) => compact({ type, ...h, stats, ...b }));
  const raw = (type: string) => rec({ ...head, statsType: u16.filter((c) => !known.has(c)), data: bytes(24) })
    .map((r) => compact({ type, ...r, stats: 'RAW' }));
  return [
    fc.oneof(...kinds.map((k) => withHead(`${side}_REQUEST`, k, requestBody(k, v)!, !LIST_REQUESTS.has(k))), raw(`${side}_REQUEST`)),
    fc.oneof(...kinds.map((k) => withHead(`${side}_REPLY`, k, replyBody(k, v), FIXED_REPLIES.has(k))), raw(`${side}_REPLY`)),
  ];
}
