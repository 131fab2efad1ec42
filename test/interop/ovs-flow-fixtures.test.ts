/**
 * Open vSwitch's flow messages in every version (fixtures/ovs, recorded by
 * scripts/capture-ovs-flow-fixtures.mjs): what ovs-ofctl sends for add-flow, mod-flows, del-flows
 * and packet-out, and what ovs-vswitchd sends as PACKET_IN and FLOW_REMOVED. Each decodes to the
 * fields the capture asked OVS for, and re-encodes byte for byte (also after reading its lazily
 * decoded match and lists).
 */
import { describe, expect, test } from 'vitest';
import { OFPP, decode, encode, type Action, type Match, type OfpMessage } from '../../src/index.js';
import { readHexFixture } from '../support/fixtures.js';

const VERSIONS = [1, 2, 3, 4, 5, 6] as const;
const suffix = (v: number): string => `of1${v - 1}`;
const FRAME = Buffer.from('ffffffffffff020000000001080600010800060400010200000000010a000001000000000000' + '0a000002', 'hex');

type Msg<T extends OfpMessage['type']> = Extract<OfpMessage, { type: T }> & Record<string, unknown>;

function load<T extends OfpMessage['type']>(name: string, type: T): Msg<T> {
  const wire = readHexFixture(`ovs/${name}`);
  const msg = decode(wire);
  expect(msg.type).toBe(type);
  expect(encode(msg).equals(wire)).toBe(true);
  return msg as Msg<T>;
}

/** The actions of a 1.0 FLOW_MOD, or of the one APPLY_ACTIONS of a 1.1+ one. */
function flowActions(m: Msg<'FLOW_MOD'>): Action[] {
  if ('actions' in m) return m.actions as Action[];
  const ins = m.instructions as { type: string; actions?: Action[] }[];
  expect(ins.map((i) => i.type)).toEqual(ins.length ? ['APPLY_ACTIONS'] : []);
  return ins[0]?.actions ?? [];
}

describe.each(VERSIONS)('OpenFlow 1.%i captures', (n) => {
  const v = n;
  const ofVersion = v;
  test('add-flow: cookie, priority, idle timeout, the tcp match and mod_dl_dst + output:2', () => {
    const m = load(`flow-mod-add-${suffix(v)}.hex`, 'FLOW_MOD');
    expect(m).toMatchObject({ version: ofVersion, command: 0, cookie: 0x1234n, priority: 200, idleTimeout: 60, hardTimeout: 0 });
    expect(m.match).toEqual({ inPort: 1, ethSrc: '02:00:00:00:00:01', ethType: 0x0800, ipProto: 6, ipv4Dst: '10.0.0.0/8', tcpDst: 80 } satisfies Match);
    const setDst: Action = v <= 2 ? { type: 'SET_DL_DST', mac: '02:00:00:00:00:02' } : { type: 'SET_FIELD', field: { ethDst: '02:00:00:00:00:02' } };
    expect(flowActions(m)).toEqual([setDst, { type: 'OUTPUT', port: 2, maxLen: 0 }]);
    expect(encode(m).equals(readHexFixture(`ovs/flow-mod-add-${suffix(v)}.hex`))).toBe(true);
  });

  test('mod-flows: MODIFY in_port=1 to output:3', () => {
    const m = load(`flow-mod-modify-${suffix(v)}.hex`, 'FLOW_MOD');
    expect(m.command).toBe(1);
    expect(m.match).toStrictEqual({ inPort: 1 });
    expect(flowActions(m)).toEqual([{ type: 'OUTPUT', port: 3, maxLen: 0 }]);
  });

  test('del-flows: DELETE in_port=1, no actions, out_port ANY', () => {
    const m = load(`flow-mod-delete-${suffix(v)}.hex`, 'FLOW_MOD');
    expect(m.command).toBe(3);
    expect(m.match).toStrictEqual({ inPort: 1 });
    expect(m.outPort).toBe(v === 1 ? 0xffff : OFPP.ANY);
    expect(flowActions(m)).toEqual([]);
  });

  test('packet-out: unbuffered frame from port 1 sent to port 2', () => {
    const m = load(`packet-out-${suffix(v)}.hex`, 'PACKET_OUT');
    expect(m.bufferId).toBe(0xffffffff);
    if (v === 6) expect(m.match).toStrictEqual({ inPort: 1 });
    else expect(m.inPort).toBe(1);
    expect(m.actions).toEqual([{ type: 'OUTPUT', port: 2, maxLen: 0 }]);
    expect((m.data as Buffer).equals(FRAME)).toBe(true);
  });

  test('PACKET_IN from ovs-vswitchd: the injected frame, from port 1, reason ACTION', () => {
    const m = load(`packet-in-${suffix(v)}.hex`, 'PACKET_IN');
    expect(m).toMatchObject({ bufferId: 0xffffffff, totalLen: FRAME.length, reason: 1 });
    if (v <= 2) expect(m.inPort).toBe(1);
    else expect(m.match).toStrictEqual({ inPort: 1 });
    expect((m.data as Buffer).equals(FRAME)).toBe(true);
  });

  test('FLOW_REMOVED from ovs-vswitchd: cookie 0x1234, priority 100, hard timeout', () => {
    const m = load(`flow-removed-${suffix(v)}.hex`, 'FLOW_REMOVED');
    expect(m).toMatchObject({ cookie: 0x1234n, priority: 100, reason: 1 /* OFPRR_HARD_TIMEOUT */ });
    if (v >= 2) expect(m.hardTimeout).toBe(1);
    // the 1.3 capture (scripts/capture-ovs-fixtures.mjs) removed in_port=1, the others in_port=2
    expect(m.match).toStrictEqual({ inPort: v === 4 ? 1 : 2 });
    // 1.5: the counters come from OVS's OXS list (duration, packets, bytes), in the order we write them
    expect(m).toMatchObject({ durationSec: 1, packetCount: 0n, byteCount: 0n });
    if (v === 6) expect(m.oxsBytes).toBeUndefined();
  });
});
