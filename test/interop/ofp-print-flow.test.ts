/**
 * `ovs-ofctl ofp-print` (Open vSwitch's decoder) on the PACKET_IN, PACKET_OUT, FLOW_MOD and
 * FLOW_REMOVED we encode, in every version: OVS decodes each without error, and the fields it
 * prints (type, version, xid, match, actions and instructions, counters) equal ours.
 */
import { describe, expect, test } from 'vitest';
import { decode, encode, versionName, type Action, type Instruction, type Match } from '../../src/index.js';
import { builderSamples, flowSamples } from '../support/flow-samples.js';
import { ofpPrint } from '../support/ofp-print.js';
import { plainMessage } from '../support/plain.js';
import { requirePeers } from '../support/peers.js';

type Fields = Record<string, unknown>;

// ---- what OVS should print for our values ----------------------------------------------------

const PROTO: Record<number, Record<number, string>> = { 0x0800: { 6: 'tcp', 17: 'udp', 1: 'icmp', 132: 'sctp' }, 0x86dd: { 6: 'tcp6', 17: 'udp6', 58: 'icmp6' } };
const NAMES: Record<string, string> = {
  inPort: 'in_port', ethSrc: 'dl_src', ethDst: 'dl_dst', ipv4Src: 'nw_src', ipv4Dst: 'nw_dst', tcpSrc: 'tp_src', tcpDst: 'tp_dst',
  udpSrc: 'tp_src', udpDst: 'tp_dst', ipv6Src: 'ipv6_src', ipv6Dst: 'ipv6_dst', arpSpa: 'arp_spa', arpTpa: 'arp_tpa', arpOp: 'arp_op',
};

function matchTokens(m: Match): { words: string[]; fields: Record<string, string> } {
  const words: string[] = [];
  const fields: Record<string, string> = {};
  const proto = m.ethType !== undefined && m.ipProto !== undefined ? PROTO[m.ethType]?.[m.ipProto] : undefined;
  if (proto) words.push(proto);
  else if (m.ethType === 0x0800) words.push('ip');
  else if (m.ethType === 0x0806) words.push('arp');
  else if (m.ethType === 0x86dd) words.push('ipv6');
  for (const [k, v] of Object.entries(m)) {
    if (NAMES[k]) fields[NAMES[k]] = String(v);
    else if (k === 'vlanVid') fields.dl_vlan = String((v as number) & 0xfff);
    else if (k === 'metadata') fields.metadata = typeof v === 'bigint' ? `0x${v.toString(16)}` : `0x${(v as { value: bigint }).value.toString(16)}/0x${(v as { mask: bigint }).mask.toString(16)}`;
    else if (!['ethType', 'ipProto'].includes(k)) throw new Error(`no OVS name for ${k} in this test`);
  }
  return { words, fields };
}

const RESERVED = ['IN_PORT', 'TABLE', 'NORMAL', 'FLOOD', 'ALL', 'CONTROLLER', 'LOCAL', 'ANY'];
function portName(p: number): string | undefined {
  const low = p >= 0xfffffff8 ? p - 0xfffffff8 : p >= 0xfff8 && p <= 0xffff ? p - 0xfff8 : -1;
  return low >= 0 ? RESERVED[low] : undefined;
}

function actionTokens(actions: Action[]): string[] {
  return actions.map((a) => {
    switch (a.type) {
      case 'OUTPUT': {
        const name = portName(a.port);
        return name === 'CONTROLLER' ? `CONTROLLER:${a.maxLen}` : name ?? `output:${a.port}`;
      }
      case 'SET_DL_DST': return `mod_dl_dst:${a.mac}`;
      case 'SET_FIELD': return `set_field:${a.field.ethDst}->eth_dst`;
      case 'METER': return `meter:${a.meterId}`;
      case 'GROUP': return `group:${a.groupId}`;
      default: throw new Error(`no OVS spelling for ${a.type} in this test`);
    }
  });
}

function instructionTokens(ins: Instruction[]): string[] {
  return ins.flatMap((i) => {
    switch (i.type) {
      case 'APPLY_ACTIONS': return actionTokens(i.actions);
      case 'WRITE_METADATA': return [`write_metadata:0x${i.metadata.toString(16)}/0x${i.metadataMask.toString(16)}`];
      case 'METER': return [`meter:${i.meterId}`];
      case 'GOTO_TABLE': return [`goto_table:${i.tableId}`];
      default: throw new Error(`no OVS spelling for ${i.type} in this test`);
    }
  });
}

const sorted = (xs: string[]): string[] => [...xs].sort();
const hex = (x: bigint | number): string => `0x${x.toString(16)}`;

/** Checks OVS's printout of `m` against m's fields. */
function expectSame(m: Fields, p: Awaited<ReturnType<typeof ofpPrint>>): void {
  const f = (k: string): string | undefined => p.fields.get(k);
  const matchOf = (match: Match): void => {
    const t = matchTokens(match);
    for (const w of t.words) expect(p.words, `word ${w}`).toContain(w);
    for (const [k, v] of Object.entries(t.fields)) expect(f(k), k).toBe(v);
  };
  switch (m.type) {
    case 'PACKET_IN': {
      expect(f('total_len')).toBe(String(m.totalLen));
      expect(f('in_port')).toBe(String(m.inPort ?? (m.match as Match).inPort));
      expect(f('data_len')).toBe(String((m.data as Buffer).length));
      if (m.cookie !== undefined) expect(f('cookie')).toBe(hex(m.cookie as bigint));
      expect(p.words).toContain(m.reason === 0 ? 'no_match)' : 'action)');
      break;
    }
    case 'PACKET_OUT': {
      const inPort = (m.inPort ?? (m.match as Match).inPort) as number;
      expect(f('in_port')).toBe(portName(inPort) ?? String(inPort));
      expect(f('actions')!.split(',')).toEqual(actionTokens(m.actions as Action[]));
      expect(f('data_len')).toBe(String((m.data as Buffer).length));
      break;
    }
    case 'FLOW_MOD': {
      expect(p.words).toContain(['ADD', 'MOD', 'MOD_STRICT', 'DEL', 'DEL_STRICT'][m.command as number]);
      matchOf(m.match as Match);
      if (m.priority !== 0x8000) expect(f('priority')).toBe(String(m.priority));
      // a delete matches on cookie/cookie_mask instead (not printed when the mask is 0)
      if (m.cookie && (m.command as number) < 3) expect(f('cookie')).toBe(hex(m.cookie as bigint));
      if (m.idleTimeout) expect(f('idle')).toBe(String(m.idleTimeout));
      if (m.hardTimeout) expect(f('hard')).toBe(String(m.hardTimeout));
      if ((m.flags as number) & 1) expect(p.words).toContain('send_flow_rem');
      const acts = 'actions' in m ? actionTokens(m.actions as Action[]) : instructionTokens(m.instructions as Instruction[]);
      // deletes print no actions
      if ((m.command as number) < 3) expect(sorted(f('actions')!.split(','))).toEqual(sorted(acts.length ? acts : ['drop']));
      break;
    }
    case 'FLOW_REMOVED': {
      matchOf(m.match as Match);
      expect(f('reason')).toBe(['idle', 'hard', 'delete', 'group_delete'][m.reason as number]);
      expect(f('cookie')).toBe(hex(m.cookie as bigint));
      expect(f('idle')).toBe(String(m.idleTimeout));
      // (1.5 carries them as OXS TLVs)
      expect(f('duration')).toBe(`${m.durationSec}.${String(m.durationNsec).padStart(9, '0')}s`);
      expect([f('pkts'), f('bytes')]).toEqual([String(m.packetCount), String(m.byteCount)]);
      break;
    }
    default: throw new Error(`unexpected ${String(m.type)}`);
  }
}

if (requirePeers(['ovs-ofctl'], 'ovs-ofctl ofp-print on our flow messages')) {
  describe.each([1, 2, 3, 4, 5, 6])('ovs-ofctl ofp-print, OpenFlow 1.%i', (n) => {
    const v = n;
    const msgs = [...flowSamples(v), ...builderSamples(v)];
    test.each(msgs.map((m) => [`${m.type} xid ${m.xid}`, m] as const))('%s: decoded by OVS with the same fields', async (_label, msg) => {
      const wire = encode(msg);
      const p = await ofpPrint(wire);
      expect(p.error, p.text).toBeUndefined();
      expect(p.warnings, p.text).toBe('');
      expect(p.type).toBe(`OFPT_${msg.type}`);
      expect(p.version).toBe(v === 1 ? undefined : `OF${versionName(v)}`);
      expect(p.xid).toBe(msg.xid);
      // ours, as decoded back (builder shorthands become the version's own form)
      expectSame(plainMessage(decode(wire)) as unknown as Fields, p);
    });
  });
}
