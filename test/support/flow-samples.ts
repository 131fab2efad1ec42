/**
 * PACKET_IN, PACKET_OUT, FLOW_MOD and FLOW_REMOVED of every version, built with the version-neutral
 * Match/Action/Instruction values and in the canonical form decode() gives back. The codec round
 * trip, tshark, ovs-ofctl ofp-print and python3-openflow checks all use these.
 */
import {
  OFP10, OFP11, OFP12, OFP13, OFP14, OFP15, OFPP, type Action, type Instruction, type Match, type OfpMessage,
} from '../../src/ofp/index.js';

/** A broadcast ARP request: what a switch sends up and a controller floods. */
export const SAMPLE_FRAME = Buffer.from(
  'ffffffffffff020000000001080600010800060400010200000000010a000001000000000000' + '0a000002', 'hex');

/** The ports of `v`: reserved ports in 1.0 are 16-bit. */
const port = (v: number, p: number): number => (v === OFP10 && p >= 0xffffff00 ? p - 0xffff0000 : p);

/** in_port=1, IPv4 TCP to 10.0.0.0/8 port 80 (plus an exact ethernet source outside 1.0). */
export function sampleFlowMatch(v: number): Match {
  const m: Match = { inPort: 1, ethType: 0x0800, ipProto: 6, ipv4Dst: '10.0.0.0/8', tcpDst: 80 };
  if (v >= OFP12) return { inPort: 1, ethSrc: '02:00:00:00:00:01', ethType: 0x0800, ipProto: 6, ipv4Dst: '10.0.0.0/8', tcpDst: 80 };
  return m;
}

/** Rewrite the destination MAC, then output to port 2 (the 1.0/1.1 SET_DL_DST spelling where decode gives it). */
export function sampleActions(v: number): Action[] {
  const setDst: Action = v <= OFP11 ? { type: 'SET_DL_DST', mac: '02:00:00:00:00:02' } : { type: 'SET_FIELD', field: { ethDst: '02:00:00:00:00:02' } };
  return [setDst, { type: 'OUTPUT', port: 2, maxLen: 0 }];
}

/**
 * Metadata, the sample actions, meter 1 and goto table 1. 1.5 deprecates the meter instruction
 * for the METER action (Open vSwitch refuses the instruction in 1.5: found by ovs-ofctl ofp-print).
 */
export function sampleInstructions(v: number): Instruction[] {
  const meter: Action[] = v === OFP15 ? [{ type: 'METER', meterId: 1 }] : [];
  const out: Instruction[] = [
    { type: 'WRITE_METADATA', metadata: 0x1234n, metadataMask: 0xffffn },
    { type: 'APPLY_ACTIONS', actions: [...meter, ...sampleActions(v)] },
  ];
  if (v >= OFP13 && v < OFP15) out.push({ type: 'METER', meterId: 1 });
  out.push({ type: 'GOTO_TABLE', tableId: 1 });
  return out;
}


/** One of each flow message in `v`, xids from 30. */
export function flowSamples(v: number): OfpMessage[] {
  const data = SAMPLE_FRAME;
  const out: OfpMessage[] = [];
  if (v === OFP10) {
    out.push({ type: 'PACKET_IN', version: v, xid: 0, bufferId: 0xffffffff, totalLen: data.length, inPort: 1, reason: 0, data });
  } else if (v === OFP11) {
    out.push({ type: 'PACKET_IN', version: v, xid: 0, bufferId: 0xffffffff, inPort: 1, inPhyPort: 1, totalLen: data.length,
      reason: 0, tableId: 0, data });
  } else {
    out.push({ type: 'PACKET_IN', version: v, xid: 0, bufferId: 0xffffffff, totalLen: data.length, reason: 0, tableId: 0,
      ...(v >= OFP13 ? { cookie: 0xabcdn } : {}), match: { inPort: 1 }, data });
  }
  const flood: Action[] = [{ type: 'OUTPUT', port: port(v, OFPP.FLOOD), maxLen: 0 }];
  if (v === OFP15) {
    out.push({ type: 'PACKET_OUT', version: v, xid: 30, bufferId: 0xffffffff, match: { inPort: 1 }, actions: flood, data });
  } else {
    out.push({ type: 'PACKET_OUT', version: v, xid: 30, bufferId: 0xffffffff, inPort: 1, actions: flood, data });
  }
  if (v === OFP10) {
    out.push({ type: 'FLOW_MOD', version: v, xid: 31, match: sampleFlowMatch(v), cookie: 0x11n, command: 0, idleTimeout: 60,
      hardTimeout: 0, priority: 0x8000, bufferId: 0xffffffff, outPort: 0xffff, flags: 1, actions: sampleActions(v) });
    out.push({ type: 'FLOW_REMOVED', version: v, xid: 0, match: sampleFlowMatch(v), cookie: 0x11n, priority: 0x8000, reason: 0,
      durationSec: 5, durationNsec: 7, idleTimeout: 60, packetCount: 3n, byteCount: 180n });
  } else {
    out.push({ type: 'FLOW_MOD', version: v, xid: 31, cookie: 0x11n, cookieMask: 0n, tableId: 0, command: 0, idleTimeout: 60,
      hardTimeout: 0, priority: 0x8000, bufferId: 0xffffffff, outPort: 0xffffffff, outGroup: 0xffffffff, flags: 1,
      ...(v >= OFP14 ? { importance: 0 } : {}), match: sampleFlowMatch(v), instructions: sampleInstructions(v) });
    if (v === OFP15) {
      out.push({ type: 'FLOW_REMOVED', version: v, xid: 0, cookie: 0x11n, priority: 0x8000, reason: 0, tableId: 0, idleTimeout: 60,
        hardTimeout: 0, match: sampleFlowMatch(v), durationSec: 5, durationNsec: 7, packetCount: 3n, byteCount: 180n });
    } else {
      out.push({ type: 'FLOW_REMOVED', version: v, xid: 0, cookie: 0x11n, priority: 0x8000, reason: 0, tableId: 0, durationSec: 5,
        durationNsec: 7, idleTimeout: 60, hardTimeout: 0, packetCount: 3n, byteCount: 180n,
        match: sampleFlowMatch(v) });
    }
  }
  return out;
}

/** Builder-style messages (version-neutral: `actions` for a FLOW_MOD in any version, `inPort` for 1.5). */
export function builderSamples(v: number): OfpMessage[] {
  const out: OfpMessage[] = [
    { type: 'PACKET_OUT', version: v, xid: 40, bufferId: 0xffffffff, inPort: OFPP.CONTROLLER,
      actions: [{ type: 'OUTPUT', port: OFPP.ALL }, { type: 'OUTPUT', port: OFPP.CONTROLLER, maxLen: 128 }], data: SAMPLE_FRAME } as OfpMessage,
    flowMod(v, 41, 4, { inPort: 3, ethType: 0x0806, arpOp: 1, arpSpa: '10.0.0.1', arpTpa: '10.0.0.2' }, [{ type: 'OUTPUT', port: OFPP.NORMAL }]),
    flowMod(v, 42, 0, { ethType: 0x0800, ipProto: 17, ipv4Src: '192.168.0.0/16', udpDst: 53, vlanVid: 0x1000 | 10 },
      [{ type: 'OUTPUT', port: 7 }]),
  ];
  if (v >= 3) {
    out.push(flowMod(v, 43, 0, { ethType: 0x86dd, ipProto: 6, ipv6Src: '2001:db8::/32', ipv6Dst: '2001:db8::1', tcpSrc: 443,
      metadata: { value: 0x10n, mask: 0xf0n } }, [{ type: 'GROUP', groupId: 5 }]));
  }
  return out;
}

function flowMod(v: number, xid: number, command: number, match: Match, actions: Action[]): OfpMessage {
  const common = { type: 'FLOW_MOD', version: v, xid, cookie: 0x77n, command, idleTimeout: 0, hardTimeout: 30, priority: 300,
    bufferId: 0xffffffff, flags: 0, match, actions };
  return (v === 1 ? { ...common, outPort: 0xffff } : { ...common, cookieMask: 0n, tableId: 0, outPort: OFPP.ANY, outGroup: 0xffffffff }) as OfpMessage;
}
