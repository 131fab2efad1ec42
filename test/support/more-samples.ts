/**
 * One realistic message of each port / config / group / meter / queue / async / multipart kind for
 * every version it exists in, built from our types: what the ovs-ofctl, tshark and pyof
 * cross-checks encode and hand to decoders nobody here wrote.
 */
import {
  OFP10, OFP11, OFP12, OFP13, OFP14, OFP15, asyncConfig, statsTypeCode, statsTypeName, type Action, type Instruction,
  type Match, type OfpMessage, type OfpPort, type StatsKind, type TableFeatures, decode,
} from '../../src/ofp/index.js';
import { readHexFixture } from './fixtures.js';

export interface MoreSample {
  /** "TYPE" or "TYPE KIND" (multipart). */
  label: string;
  msg: OfpMessage;
}


/** output:2 (maxLen 0xffff: what OVS writes), one action list for every version. */
export const OUTPUT_2: Action[] = [{ type: 'OUTPUT', port: 2, maxLen: 0xffff }];
export const APPLY_OUTPUT_2: Instruction[] = [{ type: 'APPLY_ACTIONS', actions: OUTPUT_2 }];
export const IN_PORT_1: Match = { inPort: 1 };

export function port(v: number, n: number): OfpPort {
  const p: OfpPort = {
    portNo: n, hwAddr: `aa:55:aa:55:00:0${n}`, name: `p${n}`, config: 0, state: 4 /* LIVE */, curr: 0x840,
    advertised: 0, supported: 0, peer: 0,
  };
  return v === OFP10 ? p : { ...p, currSpeed: 10_000_000, maxSpeed: 0 };
}

function statsSamples(v: number, x: () => number): MoreSample[] {
  const out: MoreSample[] = [];
  const has = (k: StatsKind): boolean => statsTypeCode(k, v) !== undefined;
  const req = statsTypeName(v, 'REQUEST');
  const rep = statsTypeName(v, 'REPLY');
  const add = (kind: StatsKind, request: object, reply: object): void => {
    if (!has(kind)) return;
    out.push({ label: `${req} ${kind}`, msg: { type: req, version: v, xid: x(), flags: 0, stats: kind, ...request } as OfpMessage });
    out.push({ label: `${rep} ${kind}`, msg: { type: rep, version: v, xid: x(), flags: 0, stats: kind, ...reply } as OfpMessage });
  };
  const ANY = v === OFP10 ? 0xffff : 0xffffffff;
  const match = IN_PORT_1;
  const flowReq = v === OFP10 ? { tableId: 0xff, outPort: ANY, match }
    : { tableId: 0xff, outPort: ANY, outGroup: 0xffffffff, cookie: 0n, cookieMask: 0n, match };
  add('DESC', {}, { mfrDesc: 'Nicira, Inc.', hwDesc: 'Open vSwitch', swDesc: '3.1.0', serialNum: 'None', dpDesc: 'br0' });
  const flow = {
    tableId: 0, durationSec: 5, durationNsec: 500_000_000, priority: 100, idleTimeout: 60, hardTimeout: 0,
    cookie: 0x1234n, packetCount: 7n, byteCount: 420n, match,
    ...(v >= OFP13 ? { flags: 1 } : {}), ...(v >= OFP14 ? { importance: 3 } : {}),
    ...(v === OFP10 ? { actions: OUTPUT_2 } : { instructions: APPLY_OUTPUT_2 }),
  };
  add('FLOW', flowReq, { entries: [flow] });
  add('AGGREGATE', flowReq, { packetCount: 7n, byteCount: 420n, flowCount: 1 });
  const table = v >= OFP13 ? { tableId: 0, activeCount: 3, lookupCount: 100n, matchedCount: 90n }
    : v === OFP10 ? { tableId: 0, name: 'classifier', wildcards: 0x3fffff, maxEntries: 1_000_000, activeCount: 3, lookupCount: 100n, matchedCount: 90n }
      : v === OFP11 ? { tableId: 0, name: 'classifier', wildcards: 0x3ff, match: 0x3ff, instructions: 0x3e, writeActions: 0x7ff,
        applyActions: 0x7ff, config: 0, maxEntries: 1_000_000, activeCount: 3, lookupCount: 100n, matchedCount: 90n }
        : { tableId: 0, name: 'classifier', match: 0xffffffffffn, wildcards: 0xffffffffffn, writeActions: 0xffff, applyActions: 0xffff,
          writeSetfields: 0xffffffffffn, applySetfields: 0xffffffffffn, metadataMatch: 0xffffffffffffffffn,
          metadataWrite: 0xffffffffffffffffn, instructions: 0x3e, config: 0, maxEntries: 1_000_000, activeCount: 3,
          lookupCount: 100n, matchedCount: 90n };
  add('TABLE', {}, { entries: [table] });
  const counters = { rxPackets: 10n, txPackets: 20n, rxBytes: 1000n, txBytes: 2000n, rxDropped: 1n, txDropped: 2n,
    rxErrors: 3n, txErrors: 4n, rxFrameErr: 5n, rxOverErr: 6n, rxCrcErr: 7n, collisions: 8n };
  add('PORT_STATS', { portNo: ANY }, { entries: [{ portNo: 1, ...counters, ...(v >= OFP13 ? { durationSec: 9, durationNsec: 1000 } : {}) }] });
  add('QUEUE', { portNo: ANY, queueId: 0xffffffff }, {
    entries: [{ portNo: 1, queueId: 0, txBytes: 300n, txPackets: 3n, txErrors: 0n, ...(v >= OFP13 ? { durationSec: 9, durationNsec: 1000 } : {}) }],
  });
  add('GROUP', { groupId: 0xfffffffc }, {
    entries: [{ groupId: 1, refCount: 0, packetCount: 5n, byteCount: 500n, ...(v >= OFP13 ? { durationSec: 2, durationNsec: 0 } : {}),
      buckets: [{ packetCount: 5n, byteCount: 500n }] }],
  });
  const bucket = v >= OFP15 ? { bucketId: 0, weight: 10, actions: OUTPUT_2 }
    : { weight: 0, watchPort: ANY, watchGroup: 0xffffffff, actions: OUTPUT_2 };
  add('GROUP_DESC', v >= OFP15 ? { groupId: 0xfffffffc } : {}, { entries: [{ groupType: 0, groupId: 1, buckets: [bucket] }] });
  add('GROUP_FEATURES', {}, { types: 0xf, capabilities: 0x7, maxGroups: [4294967040, 4294967040, 4294967040, 4294967040],
    actions: [0x3ffff, 0x3ffff, 0x3ffff, 0x3ffff] });
  add('METER', { meterId: 0xffffffff }, { entries: [{ meterId: 1, flowCount: 0, packetInCount: 10n, byteInCount: 1000n, durationSec: 3,
    durationNsec: 0, bands: [{ packetBandCount: 1n, byteBandCount: 100n }] }] });
  add('METER_CONFIG', { meterId: 0xffffffff }, { entries: [{ flags: 1 /* KBPS */, meterId: 1, bands: [{ type: 1, rate: 1000, burstSize: 0 }] }] });
  add('METER_FEATURES', {}, { maxMeter: 200000, bandTypes: 6, capabilities: 0xf, maxBands: 1, maxColor: 0,
    ...(v >= OFP15 ? { features: 0 } : {}) });
  add('PORT_DESC', v >= OFP15 ? { portNo: ANY } : {}, { entries: [port(v, 1), port(v, 2)] });
  // Open vSwitch insists on every table-feature property: its own first table, from the capture.
  const tableFeatures = v >= OFP13
    ? (decode(readHexFixture(`ovs/mp-table-features-reply-of1${v - 1}.hex`)) as { entries: TableFeatures[] }).entries[0]! : undefined;
  add('TABLE_FEATURES', { entries: [] }, { entries: [tableFeatures] });
  return out;
}

/** Every sample of this family for `v`. */
export function moreSamples(v: number): MoreSample[] {
  let xid = 0x500;
  const x = (): number => xid++;
  const out: MoreSample[] = [];
  const add = (msg: OfpMessage, label: string = msg.type): void => { out.push({ label, msg }); };
  add({ type: 'GET_CONFIG_REQUEST', version: v, xid: x() });
  add({ type: 'GET_CONFIG_REPLY', version: v, xid: x(), flags: 0, missSendLen: 128 });
  add({ type: 'SET_CONFIG', version: v, xid: x(), flags: 1, missSendLen: 0xffff });
  add({ type: 'PORT_STATUS', version: v, xid: x(), reason: 0, desc: port(v, 1) });
  add({ type: 'PORT_MOD', version: v, xid: x(), portNo: 1, hwAddr: 'aa:55:aa:55:00:01', config: 1, mask: 1, advertise: 0x20 });
  if (v >= OFP11) {
    add({ type: 'TABLE_MOD', version: v, xid: x(), tableId: 0, config: v >= OFP14 ? 4 : 0 });
    const bucket = v >= OFP15 ? { bucketId: 0, weight: 10, actions: OUTPUT_2 }
      : { weight: 10, watchPort: 0xffffffff, watchGroup: 0xffffffff, actions: OUTPUT_2 };
    add({ type: 'GROUP_MOD', version: v, xid: x(), command: 0, groupType: 1 /* SELECT */, groupId: 1, buckets: [bucket],
      ...(v >= OFP15 ? { commandBucketId: 0xffffffff } : {}) });
  }
  if (v <= OFP13) {
    add({ type: 'QUEUE_GET_CONFIG_REQUEST', version: v, xid: x(), port: 1 });
    add({ type: 'QUEUE_GET_CONFIG_REPLY', version: v, xid: x(), port: 1, queues: [
      { queueId: 1, ...(v >= OFP12 ? { port: 1 } : {}), properties: [{ property: 1, rate: 500 }] }] });
  }
  if (v >= OFP13) {
    add({ type: 'METER_MOD', version: v, xid: x(), command: 0, flags: 1 /* KBPS */, meterId: 1,
      bands: [{ type: 1, rate: 1000, burstSize: 0 }] });
    add({ type: 'GET_ASYNC_REQUEST', version: v, xid: x() });
    const masks = { packetIn: { master: 7, slave: 0 }, portStatus: { master: 7, slave: 7 }, flowRemoved: { master: 15, slave: 0 } };
    add(asyncConfig(v, x(), masks, 'GET_ASYNC_REPLY'));
    add(asyncConfig(v, x(), masks));
  }
  if (v >= OFP14) {
    add({ type: 'ROLE_STATUS', version: v, xid: x(), role: 2, reason: 1, generationId: 7n });
    add({ type: 'REQUESTFORWARD', version: v, xid: x(), request: {
      type: 'METER_MOD', version: v, xid: 0x99, command: 0, flags: 1, meterId: 2, bands: [{ type: 1, rate: 10, burstSize: 0 }] } });
  }
  out.push(...statsSamples(v, x));
  return out;
}
