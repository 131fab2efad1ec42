/** Version-neutral builders for stats and async config: written once, right in every version. */
import { describe, expect, test } from 'vitest';
import {
  asyncConfig, decode, encode, flowStatsRequest, portStatsEntry, portStatsRequest, statsReplies, statsReply, statsRequest,
} from '../../src/ofp/index.js';
import { moreSamples } from '../support/more-samples.js';

describe('stats builders', () => {
  test('one flow stats request: STATS in 1.0 (type 16, 16-bit any port), MULTIPART in 1.3 (type 18)', () => {
    const v10 = encode(flowStatsRequest(1, 7, { match: { inPort: 1 } }));
    const v13 = encode(flowStatsRequest(4, 7, { match: { inPort: 1 } }));
    expect([v10[1], v10.readUInt16BE(8)]).toEqual([16, 1]);
    expect([v13[1], v13.readUInt16BE(8)]).toEqual([18, 1]);
    expect(decode(v10)).toMatchObject({ type: 'STATS_REQUEST', stats: 'FLOW', tableId: 0xff, outPort: 0xffff, match: { inPort: 1 } });
    expect(decode(v13)).toMatchObject({
      type: 'MULTIPART_REQUEST', stats: 'FLOW', tableId: 0xff, outPort: 0xffffffff, outGroup: 0xffffffff, cookieMask: 0n,
      match: { inPort: 1 },
    });
    expect(decode(encode(flowStatsRequest(6, 1, {}, true)))).toMatchObject({ stats: 'AGGREGATE', match: {} });
  });

  test('statsReplies splits entries so each message stays under 64 KiB, REPLY_MORE on all but the last', () => {
    // 2000 port stats entries of 1.3 (112 bytes each): 224000 bytes, four messages
    const entries = Array.from({ length: 2000 }, (_, i) => portStatsEntry(4, { portNo: i + 1, rxPackets: BigInt(i) }));
    const msgs = statsReplies(4, 9, { stats: 'PORT_STATS', entries });
    const wires = msgs.map((m) => encode(m));
    expect(wires.map((w) => w.length <= 0xffff)).toEqual(msgs.map(() => true));
    expect(msgs.map((m) => m.flags)).toEqual([1, 1, 1, 0]);
    expect(msgs.map((m) => m.xid)).toEqual([9, 9, 9, 9]);
    const back = wires.flatMap((w) => (decode(w) as unknown as { entries: Array<{ portNo: number }> }).entries.map((e) => e.portNo));
    expect(back).toEqual(entries.map((e) => e.portNo));
    // no entries (or a body without a list): one message
    expect(statsReplies(1, 2, { stats: 'FLOW', entries: [] }).map((m) => [m.type, m.flags])).toEqual([['STATS_REPLY', 0]]);
    expect(statsReplies(1, 2, { stats: 'AGGREGATE', packetCount: 0n, byteCount: 0n, flowCount: 0 })).toHaveLength(1);
  });

  test('a kind the version lacks is UNSUPPORTED_STATS naming both', () => {
    expect(() => statsRequest(1, 1, { stats: 'METER', meterId: 1 })).toThrow(expect.objectContaining({
      code: 'UNSUPPORTED_STATS', message: expect.stringMatching(/1\.0.*METER.*1\.3/),
    }));
    expect(() => encode({ type: 'STATS_REQUEST', version: 2, xid: 1, flags: 0, stats: 'GROUP_FEATURES' }))
      .toThrow(expect.objectContaining({ code: 'UNSUPPORTED_STATS' }));
  });

  test('a port stats entry written once: durations only where the version has them', () => {
    const counters = { portNo: 1, rxPackets: 10n, txBytes: 2000n, durationSec: 9 };
    const r10 = statsReply(1, 3, { stats: 'PORT_STATS', entries: [portStatsEntry(1, counters)] });
    const r13 = statsReply(4, 3, { stats: 'PORT_STATS', entries: [portStatsEntry(4, counters)] });
    expect(decode(encode(r10))).toStrictEqual(r10);
    expect(decode(encode(r13))).toStrictEqual(r13);
    expect(r10.type).toBe('STATS_REPLY');
    const e13 = (r13 as unknown as { entries: Record<string, unknown>[] }).entries[0]!;
    expect(e13).toMatchObject({ rxPackets: 10n, txBytes: 2000n, rxErrors: 0n, durationSec: 9, durationNsec: 0 });
    expect((r10 as unknown as { entries: Record<string, unknown>[] }).entries[0]!.durationSec).toBeUndefined();
    expect(encode(r13).length - encode(r10).length).toBe(4 + 8); // the 1.1+ header pad, the durations
  });

  test('REPLY_MORE is the flags field', () => {
    const more = statsReply(4, 1, { stats: 'PORT_DESC', entries: [] }, 1);
    expect(encode(more).readUInt16BE(10)).toBe(1);
    expect(decode(encode(portStatsRequest(4, 1, 3)))).toMatchObject({ stats: 'PORT_STATS', portNo: 3, flags: 0 });
  });
});

describe('asyncConfig', () => {
  const masks = { packetIn: { master: 3, slave: 0 }, portStatus: { master: 7, slave: 7 } };

  test('1.3: the fixed [master, slave] masks; 1.4+: one property per mask', () => {
    expect(asyncConfig(4, 1, masks)).toMatchObject({ type: 'SET_ASYNC', packetInMask: [3, 0], portStatusMask: [7, 7], flowRemovedMask: [0, 0] });
    const m14 = asyncConfig(5, 1, masks);
    expect(m14.properties).toEqual([{ type: 0, mask: 0 }, { type: 1, mask: 3 }, { type: 2, mask: 7 }, { type: 3, mask: 7 }]);
    expect(decode(encode(m14))).toStrictEqual(m14);
  });

  test('a mask 1.3 lacks, or a version without async config, is a typed error', () => {
    expect(() => asyncConfig(4, 1, { roleStatus: { master: 1, slave: 0 } })).toThrow(expect.objectContaining({ code: 'UNENCODABLE' }));
    expect(() => asyncConfig(1, 1, masks)).toThrow(expect.objectContaining({ code: 'UNENCODABLE' }));
  });
});

describe('the cross-check samples', () => {
  test.each([1, 2, 3, 4, 5, 6])('OpenFlow version %i: every sample is in the canonical decoded form', (v) => {
    for (const s of moreSamples(v)) expect(decode(encode(s.msg)), s.label).toStrictEqual(s.msg);
  });
});
