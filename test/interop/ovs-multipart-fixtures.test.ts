/**
 * What Open vSwitch 3.1 sends (captured by scripts/capture-ovs-multipart.mjs into fixtures/ovs):
 * ovs-ofctl's stats requests, GROUP_MOD and METER_MOD, and ovs-vswitchd's stats replies,
 * GET_ASYNC_REPLY, QUEUE_GET_CONFIG_REPLY and PORT_STATUS, in every version that has them. Each
 * decodes to typed fields (no RAW body) equal to what the capture asked OVS for, and re-encodes
 * byte for byte.
 */
import { describe, expect, test } from 'vitest';
import { decode, encode, type OfpMessage, type StatsReplyBody } from '../../src/ofp/index.js';
import { listHexFixtures, readHexFixture } from '../support/fixtures.js';

const FILES = listHexFixtures('ovs').filter((f) =>
  /\/(mp-|group-mod-add|meter-mod-add|get-async-reply|queue-get-config-reply|port-status-add)/.test(f));
const ANY = (v: number): number => (v === 1 ? 0xffff : 0xffffffff);
const ALL_GROUPS = 0xfffffffc;
const ALL_METERS = 0xffffffff;
const OUTPUT_2 = { type: 'OUTPUT', port: 2 };

type Reply<K extends StatsReplyBody['stats']> = Extract<StatsReplyBody, { stats: K }>;

/** The fields OVS meant, per capture (what scripts/capture-ovs-multipart.mjs asked it for). */
function check(name: string, m: OfpMessage): void {
  const v = m.version;
  const kind = /mp-(.+)-(request|reply)-of/.exec(name);
  if (m.type === 'GROUP_MOD') {
    // add-group group_id=1,type=select,bucket=weight:10,output:2
    expect(m).toMatchObject({ command: 0, groupType: 1, groupId: 1 });
    expect(m.buckets).toHaveLength(1);
    expect(m.buckets[0]).toMatchObject({ weight: 10, actions: [OUTPUT_2] });
    return;
  }
  if (m.type === 'METER_MOD') {
    // add-meter meter=1,kbps,band=type=drop,rate=1000
    expect(m).toMatchObject({ command: 0, flags: 1, meterId: 1, bands: [{ type: 1, rate: 1000 }] });
    return;
  }
  if (m.type === 'PORT_STATUS') {
    expect(m).toMatchObject({ reason: 0, desc: { portNo: 3, name: 'p3' } });
    return;
  }
  if (m.type === 'GET_ASYNC_REPLY') {
    // OVS's defaults: PACKET_IN no_match+action to the primary, every PORT_STATUS, FLOW_REMOVED to the primary.
    if (v === 4) expect(m).toMatchObject({ packetInMask: [3, 0], portStatusMask: [7, 7], flowRemovedMask: [15, 0] });
    else expect(m.properties).toContainEqual({ type: 3, mask: 7 }); // PORT_STATUS_MASTER: add, delete, modify
    return;
  }
  if (m.type === 'QUEUE_GET_CONFIG_REPLY') {
    expect(m.port).toBe(1);
    return;
  }
  if (m.type === 'STATS_REQUEST' || m.type === 'MULTIPART_REQUEST') {
    expect(m.stats).not.toBe('RAW');
    expect(m.stats.toLowerCase().replace(/_/g, '-')).toBe(kind![1]);
    if (m.stats === 'FLOW' || m.stats === 'AGGREGATE') {
      expect(m).toMatchObject({ tableId: 0xff, outPort: ANY(v), match: {} });
      if (v > 1) expect(m).toMatchObject({ outGroup: 0xffffffff, cookie: 0n, cookieMask: 0n });
    }
    if (m.stats === 'PORT_STATS') expect(m.portNo).toBe(ANY(v));
    if (m.stats === 'QUEUE') expect(m).toMatchObject({ portNo: v === 1 ? 0xfffc : 0xffffffff, queueId: 0xffffffff });
    if (m.stats === 'GROUP') expect(m.groupId).toBe(ALL_GROUPS);
    if (m.stats === 'METER' || m.stats === 'METER_CONFIG') expect(m.meterId).toBe(ALL_METERS);
    return;
  }
  if (m.type !== 'STATS_REPLY' && m.type !== 'MULTIPART_REPLY') throw new Error(`${name}: unexpected ${m.type}`);
  expect(m.stats).not.toBe('RAW');
  expect(m.stats.toLowerCase().replace(/_/g, '-')).toBe(kind![1]);
  const b = m as StatsReplyBody;
  switch (b.stats) {
    case 'DESC': expect(b).toMatchObject({ mfrDesc: 'Nicira, Inc.', hwDesc: 'Open vSwitch' }); break;
    case 'FLOW': {
      // add-flow cookie=0x1234,priority=100,in_port=1,actions=output:2
      const f = (b as Reply<'FLOW'>).entries.find((e) => e.cookie === 0x1234n)!;
      expect(f).toMatchObject({ priority: 100, tableId: 0 });
      if (v === 2) expect(f.matchBytes).toBeDefined(); // OVS puts an OXM match in 1.1 flow stats
      else expect(f.match).toEqual({ inPort: 1 });
      if (v === 1) expect(f.actions).toMatchObject([OUTPUT_2]);
      else expect(f.instructions).toMatchObject([{ type: 'APPLY_ACTIONS', actions: [OUTPUT_2] }]);
      break;
    }
    case 'AGGREGATE': expect(b.flowCount).toBe(1); break;
    case 'TABLE': expect((b as Reply<'TABLE'>).entries[0]).toMatchObject({ tableId: 0, activeCount: 1 }); break;
    case 'PORT_STATS': expect((b as Reply<'PORT_STATS'>).entries.map((e) => e.portNo)).toEqual(expect.arrayContaining([1, 2])); break;
    case 'QUEUE': expect(Array.isArray((b as Reply<'QUEUE'>).entries)).toBe(true); break;
    case 'GROUP': expect((b as Reply<'GROUP'>).entries).toMatchObject([{ groupId: 1 }]); break;
    case 'GROUP_DESC': expect((b as Reply<'GROUP_DESC'>).entries).toMatchObject([{ groupId: 1, groupType: 0, buckets: [{ actions: [OUTPUT_2] }] }]); break;
    case 'GROUP_FEATURES': expect(b.types & 1).toBe(1); break; // OFPGT_ALL supported
    case 'METER': expect((b as Reply<'METER'>).entries).toMatchObject([{ meterId: 1 }]); break;
    case 'METER_CONFIG': expect((b as Reply<'METER_CONFIG'>).entries).toMatchObject([{ meterId: 1, flags: 1, bands: [{ type: 1, rate: 1000 }] }]); break;
    case 'METER_FEATURES': expect(b.maxMeter).toBeGreaterThan(0); break;
    case 'TABLE_FEATURES': expect((b as Reply<'TABLE_FEATURES'>).entries[0]).toMatchObject({ tableId: 0 }); break;
    case 'PORT_DESC': expect((b as Reply<'PORT_DESC'>).entries.map((p) => p.name)).toEqual(expect.arrayContaining(['br0', 'p1', 'p2'])); break;
    default: throw new Error(`${name}: ${b.stats}`);
  }
}

describe('Open vSwitch multipart, group, meter, async and port captures', () => {
  test('the captures are there: requests and replies of every kind, every version', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(140);
  });

  test.each(FILES)('%s decodes to the fields OVS meant and re-encodes byte for byte', (file) => {
    const wire = readHexFixture(file);
    const msg = decode(wire);
    expect('body' in msg).toBe(false);
    check(file, msg);
    expect(encode(msg).equals(wire)).toBe(true);
  });
});
