/**
 * The emulator's flow table and data plane, sans-I/O with a fake clock: FLOW_MOD semantics per
 * version, timeouts with FLOW_REMOVED, table-miss per version, PACKET_IN / PACKET_OUT with buffers,
 * counters, PORT_STATUS, BARRIER ordering and ERROR data.
 */
import { describe, expect, test } from 'vitest';
import { OFPP, SwitchEmulator, encode, type ErrorMessage, type OfpMessage } from '../../src/index.js';
import { FakeClock } from '../support/fake-clock.js';
import { flowMod, frame, multipart, packetOut, raw, session } from './support.js';

const A = '020000000001';
const B = '020000000002';
const MODIFY = 1, MODIFY_STRICT = 2, DELETE = 3, DELETE_STRICT = 4;
const SEND_FLOW_REM = 1, CHECK_OVERLAP = 2;
const out = (port: number) => [{ type: 'OUTPUT' as const, port }];
const bodyOf = (m: OfpMessage): Buffer => encode(m).subarray(8);

function emulator(clock = new FakeClock()) {
  return { clock, sw: new SwitchEmulator({ datapathId: 7n, ports: 3, clock }) };
}

describe.each([[1, 'OpenFlow 1.0'], [4, 'OpenFlow 1.3'], [6, 'OpenFlow 1.5']] as const)('flow table, version %i (%s)', (v, _name) => {
  test('add, an identical add replaces, CHECK_OVERLAP refuses an overlapping one with the request in the ERROR', () => {
    const { sw } = emulator();
    const s = session(sw, v);
    expect(s.send(flowMod(v, 1, { priority: 10, match: { inPort: 1 }, actions: out(2) }))).toEqual([]);
    expect(s.send(flowMod(v, 2, { priority: 10, match: { inPort: 1 }, actions: out(3) }))).toEqual([]);
    expect(sw.flows().map((f) => [f.priority, f.match])).toEqual([[10, { inPort: 1 }]]);
    const req = flowMod(v, 3, { priority: 10, match: { ethDst: '02:00:00:00:00:02' }, actions: out(2), flags: CHECK_OVERLAP });
    const [err] = s.send(req) as ErrorMessage[];
    expect(err).toMatchObject({ type: 'ERROR', xid: 3, errorTypeName: 'FLOW_MOD_FAILED', codeName: 'OVERLAP' });
    expect(err!.data).toEqual(encode(req).subarray(0, 64));
    // Different priority: no overlap by definition.
    expect(s.send(flowMod(v, 4, { priority: 11, match: { ethDst: '02:00:00:00:00:02' }, actions: out(2), flags: CHECK_OVERLAP }))).toEqual([]);
    expect(sw.flows()).toHaveLength(2);
  });

  test('the flow tables hold at most maxFlowBytes of FLOW_MOD: TABLE_FULL beyond, room again after a delete', () => {
    const sw = new SwitchEmulator({ ports: 3, maxFlowBytes: 300 });
    const s = session(sw, v);
    const add = (i: number) => s.send(flowMod(v, i, { priority: i, match: { inPort: 1 }, actions: out(2) }));
    const size = encode(flowMod(v, 0, { priority: 0, match: { inPort: 1 }, actions: out(2) })).length;
    const fit = Math.floor(300 / size);
    for (let i = 1; i <= fit; i++) expect(add(i)).toEqual([]);
    expect(add(fit + 1)[0]).toMatchObject({ type: 'ERROR', errorTypeName: 'FLOW_MOD_FAILED', codeName: v === 1 ? 'ALL_TABLES_FULL' : 'TABLE_FULL' });
    s.send(flowMod(v, 99, { command: DELETE_STRICT, priority: 1, match: { inPort: 1 } }));
    expect(add(fit + 1)).toEqual([]);
    expect(sw.flows()).toHaveLength(fit);
  });

  test('modify touches every entry at least as specific; modify-strict only the same match and priority (1.0: else adds)', () => {
    const { sw } = emulator();
    const s = session(sw, v);
    s.send(flowMod(v, 1, { priority: 10, match: { inPort: 1 }, actions: out(2) }));
    s.send(flowMod(v, 2, { priority: 20, match: { inPort: 1, ethDst: '02:00:00:00:00:02' }, actions: out(2) }));
    s.send(flowMod(v, 3, { priority: 30, match: { inPort: 2 }, actions: out(1) }));
    s.send(flowMod(v, 4, { command: MODIFY, match: { inPort: 1 }, actions: out(3) }));
    const outPorts = () => sw.flows().map((f) => [f.priority, (f.instructions[0] as { actions: Array<{ port: number }> }).actions[0]!.port]);
    expect(outPorts()).toEqual([[30, 1], [20, 3], [10, 3]]);
    // Nothing has exactly this match and priority: 1.0 adds it, 1.2+ leave the table alone.
    s.send(flowMod(v, 5, { command: MODIFY_STRICT, priority: 20, match: { inPort: 1 }, actions: out(1) }));
    const added = v === 1 ? [[20, 1]] : [];
    expect(outPorts()).toEqual([[30, 1], [20, 3], ...added, [10, 3]]);
    s.send(flowMod(v, 6, { command: MODIFY_STRICT, priority: 10, match: { inPort: 1 }, actions: out(1) }));
    expect(outPorts()).toEqual([[30, 1], [20, 3], ...added, [10, 1]]);
  });

  test('delete with out_port filter, delete-strict, delete everything', () => {
    const { sw } = emulator();
    const s = session(sw, v);
    s.send(flowMod(v, 1, { priority: 10, match: { inPort: 1 }, actions: out(2), cookie: 0x11n }));
    s.send(flowMod(v, 2, { priority: 20, match: { inPort: 1, ethType: 0x800 }, actions: out(3), cookie: 0x22n }));
    s.send(flowMod(v, 3, { priority: 30, match: { inPort: 2 }, actions: out(1), cookie: 0x12n }));
    s.send(flowMod(v, 4, { command: DELETE, match: { inPort: 1 }, outPort: 3 }));
    expect(sw.flows().map((f) => f.priority)).toEqual([30, 10]);
    s.send(flowMod(v, 5, { command: DELETE_STRICT, priority: 31, match: { inPort: 2 } }));
    expect(sw.flows()).toHaveLength(2);
    s.send(flowMod(v, 6, { command: DELETE_STRICT, priority: 30, match: { inPort: 2 } }));
    expect(sw.flows().map((f) => f.priority)).toEqual([10]);
    s.send(flowMod(v, 7, { command: DELETE, tableId: 0xff }));
    expect(sw.flows()).toEqual([]);
  });

  test('idle and hard timeouts remove entries; FLOW_REMOVED only when SEND_FLOW_REM asks', async () => {
    const { clock, sw } = emulator();
    const s = session(sw, v);
    s.send(flowMod(v, 1, { priority: 1, match: { inPort: 1 }, actions: out(2), hardTimeout: 5, flags: SEND_FLOW_REM, cookie: 0xabn }));
    s.send(flowMod(v, 2, { priority: 2, match: { inPort: 2 }, actions: out(1), idleTimeout: 2, flags: SEND_FLOW_REM }));
    s.send(flowMod(v, 3, { priority: 3, match: { inPort: 3 }, actions: out(1), idleTimeout: 2 }));
    await clock.advance(1500);
    sw.receivePacket(2, frame(A, B)); // keeps the idle one alive
    await clock.advance(1000);
    expect(sw.flows().map((f) => f.priority)).toEqual([2, 1]);
    expect(s.take()).toEqual([]); // the silent one went without a message
    await clock.advance(1600);
    expect(sw.flows().map((f) => f.priority)).toEqual([1]);
    const idle = s.take();
    expect(idle.map((m) => m.type)).toEqual(['FLOW_REMOVED']);
    await clock.advance(1000);
    expect(sw.flows()).toEqual([]);
    const [hard] = s.take();
    expect(hard!.type).toBe('FLOW_REMOVED');
    const b = bodyOf(hard!);
    // reason IDLE 0 / HARD 1, then the duration: 5 s exactly
    if (v === 1) {
      expect([bodyOf(idle[0]!)[50], b[50], b.readBigUInt64BE(40), b.readUInt32BE(52)]).toEqual([0, 1, 0xabn, 5]);
    } else if (v === 6) {
      // table_id, reason, priority, timeouts, cookie; then the match and OXS stats (duration first)
      const oxsAt = 16 + ((b.readUInt16BE(18) + 7) & ~7);
      expect([bodyOf(idle[0]!)[1], b[1], b.readBigUInt64BE(8), b.readUInt32BE(oxsAt + 8)]).toEqual([0, 1, 0xabn, 5]);
    } else {
      expect([bodyOf(idle[0]!)[10], b[10], b.readBigUInt64BE(0), b.readUInt32BE(12)]).toEqual([0, 1, 0xabn, 5]);
    }
  });

  test('a flow forwards; counters of flow and ports move; BARRIER_REPLY comes after an earlier ERROR', () => {
    const { sw } = emulator();
    const s = session(sw, v);
    s.send(flowMod(v, 1, { priority: 5, match: { ethDst: '02:00:00:00:00:02' }, actions: out(2) }));
    const f = frame(B, A);
    sw.receivePacket(1, f);
    sw.receivePacket(1, f);
    expect(s.outputs).toEqual([[2, f], [2, f]]);
    expect(sw.flows()[0]).toMatchObject({ packetCount: 2n, byteCount: BigInt(2 * f.length) });
    expect(sw.portCounters(1)).toMatchObject({ rxPackets: 2n, rxBytes: BigInt(2 * f.length) });
    expect(sw.portCounters(2)).toMatchObject({ txPackets: 2n, txBytes: BigInt(2 * f.length) });
    const replies = [...s.send(flowMod(v, 2, { actions: [{ type: 'OUTPUT', port: 99 }] })), ...s.send(raw(v, 'BARRIER_REQUEST', 3, Buffer.alloc(0)))];
    expect(replies.map((m) => [m.type, m.xid])).toEqual([['ERROR', 2], ['BARRIER_REPLY', 3]]);
    expect(replies[0]).toMatchObject({ errorTypeName: 'BAD_ACTION', codeName: 'BAD_OUT_PORT' });
    // TABLE is for PACKET_OUT only: in a flow it would send the packet round the pipeline forever.
    expect(s.send(flowMod(v, 4, { actions: [{ type: 'OUTPUT', port: OFPP.TABLE }] }))[0]).toMatchObject({ type: 'ERROR', codeName: 'BAD_OUT_PORT' });
  });

  test('flow stats filter by match and aggregate counts', () => {
    const { sw } = emulator();
    const s = session(sw, v);
    s.send(flowMod(v, 1, { priority: 5, match: { inPort: 1 }, actions: out(2) }));
    s.send(flowMod(v, 2, { priority: 6, match: { inPort: 2 }, actions: out(1) }));
    sw.receivePacket(1, frame(B, A));
    const filter = v === 1
      ? Buffer.concat([encode(flowMod(v, 0, { match: { inPort: 1 } })).subarray(8, 48), Buffer.from([0xff, 0, 0xff, 0xff])])
      : Buffer.concat([Buffer.from('ff000000ffffffffffffffff00000000' + '0'.repeat(32), 'hex'), encode(flowMod(v, 0, { match: { inPort: 1 } })).subarray(48)]);
    const [flows] = s.send(multipart(v, 9, 1, filter));
    const body = bodyOf(flows!).subarray(v === 1 ? 4 : 8);
    expect(body.readUInt16BE(0)).toBe(body.length); // exactly one entry
    const [agg] = s.send(multipart(v, 10, 2, filter));
    const a = bodyOf(agg!).subarray(v === 1 ? 4 : 8);
    // 1.5: OXS stats in Open vSwitch's order (packet_count, byte_count, flow_count), each after its 4-byte OXS header
    const counts = v === 6 ? [a.readBigUInt64BE(8), a.readBigUInt64BE(20), a.readUInt32BE(32)] : [a.readBigUInt64BE(0), a.readBigUInt64BE(8), a.readUInt32BE(16)];
    expect(counts).toEqual([1n, 60n, 1]);
  });
});

describe('table-miss, PACKET_IN and PACKET_OUT', () => {
  test('1.0: a miss goes to the controller, buffered and cut to miss_send_len; PACKET_OUT of the buffer sends the whole frame', () => {
    const { sw } = emulator();
    const s = session(sw, 1);
    s.send(raw(1, 'SET_CONFIG', 1, Buffer.from([0, 0, 0, 20])));
    const f = frame(B, A);
    sw.receivePacket(1, f);
    const [pin] = s.take();
    expect(pin!.type).toBe('PACKET_IN');
    // 1.0 ofp_packet_in: buffer_id, total_len, in_port, reason, pad, data
    const b = bodyOf(pin!);
    const bufferId = b.readUInt32BE(0);
    expect([b.readUInt16BE(4), b.readUInt16BE(6), b[8]]).toEqual([60, 1, 0]);
    expect(b.subarray(10)).toEqual(f.subarray(0, 20));
    expect(bufferId).not.toBe(0xffffffff);
    s.send(packetOut(1, 2, 0xfff8 /* ignored for a buffer */, [{ type: 'OUTPUT', port: OFPP.FLOOD }], Buffer.alloc(0), bufferId));
    expect(s.outputs.map(([p, fr]) => [p, fr.length])).toEqual([[2, 60], [3, 60]]);
    // a buffer is used once
    const [err] = s.send(packetOut(1, 3, 1, out(2), Buffer.alloc(0), bufferId));
    expect(err).toMatchObject({ type: 'ERROR', codeName: 'BUFFER_UNKNOWN' });
  });

  test('1.3: a miss without a table-miss entry is dropped; with one, PACKET_IN reason NO_MATCH carrying in_port', () => {
    const { sw } = emulator();
    const s = session(sw, 4);
    sw.receivePacket(2, frame(B, A));
    expect(s.take()).toEqual([]);
    s.send(flowMod(4, 1, { priority: 0, actions: [{ type: 'OUTPUT', port: OFPP.CONTROLLER, maxLen: 0xffff }] }));
    s.send(flowMod(4, 2, { priority: 9, match: { ethSrc: '02:00:00:00:00:09' }, actions: [{ type: 'OUTPUT', port: OFPP.CONTROLLER, maxLen: 0xffff }] }));
    sw.receivePacket(2, frame(B, A));
    sw.receivePacket(3, frame(B, '020000000009'));
    // 1.3 ofp_packet_in: buffer_id, total_len, reason, table_id, cookie, match (OXM in_port), pad 2, data
    const pins = s.take().map((m) => [m.type, bodyOf(m)] as const);
    expect(pins.map(([t, b]) => [t, b[6], b.readUInt32BE(0), b.length - 16 - 16 - 2])).toEqual([['PACKET_IN', 0, 0xffffffff, 60], ['PACKET_IN', 1, 0xffffffff, 60]]);
    expect(pins[0]![1].subarray(16, 32).toString('hex')).toBe('0001000c800000040000000200000000');
  });

  test('setPortState sends PORT_STATUS; frames are not sent out of a port that is down', () => {
    const { sw } = emulator();
    const s = session(sw, 4);
    sw.setPortState(2, false);
    const [ps] = s.take();
    expect(ps!.type).toBe('PORT_STATUS');
    const b = bodyOf(ps!);
    expect([b[0], b.readUInt32BE(8), b.readUInt32BE(8 + 36) & 1]).toEqual([2, 2, 1]);
    s.send(packetOut(4, 2, 1, [{ type: 'OUTPUT', port: OFPP.FLOOD }], frame(B, A)));
    expect(s.outputs.map(([p]) => p)).toEqual([3]);
  });
});
