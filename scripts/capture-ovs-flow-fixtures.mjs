#!/usr/bin/env node
// capture-ovs-flow-fixtures.mjs - records Open vSwitch's FLOW_MOD, PACKET_OUT, PACKET_IN and
// FLOW_REMOVED in every OpenFlow version 1.0-1.5 as annotated hex fixtures (fixtures/ovs).
//
//   node scripts/capture-ovs-flow-fixtures.mjs [OUTDIR=fixtures/ovs]
//
// Two directions:
// - ovs-ofctl as the controller (add-flow, mod-flows, del-flows, packet-out) against a minimal
//   switch here that answers HELLO, ECHO, FEATURES and BARRIER and records the rest;
// - ovs-vswitchd as the switch (the private dummy-datapath sandbox of scripts/lib/ovs-sandbox.mjs)
//   sending PACKET_IN (a frame injected with netdev-dummy/receive) and FLOW_REMOVED (hard timeout).
// The flows and frames are fixed so test/interop/ovs-flow-fixtures.test.ts knows what OVS meant.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  PROTOCOL, SUFFIX, captureEveryVersion, connectOvs, disconnect, fixtureWriter, handshake, mgmt, ofctlCommand, ofctlSends,
  sh,
} from './lib/ovs-sandbox.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = resolve(process.argv[2] ?? join(here, '..', 'fixtures', 'ovs'));

const T = { PACKET_IN: 10, FLOW_REMOVED: 11, PACKET_OUT: 13, FLOW_MOD: 14 };

/** What the fixtures ask OVS for (the test decodes the captures against these). */
export const FLOW = 'cookie=0x1234,priority=200,tcp,in_port=1,dl_src=02:00:00:00:00:01,nw_dst=10.0.0.0/8,tp_dst=80,'
  + 'idle_timeout=60,actions=mod_dl_dst:02:00:00:00:00:02,output:2';
const MOD = 'in_port=1,actions=output:3';
const DEL = 'in_port=1';
/** A broadcast ARP request from 02:00:00:00:00:01 (10.0.0.1 asking for 10.0.0.2). */
export const FRAME = 'ffffffffffff020000000001080600010800060400010200000000010a000001000000000000' + '0a000002';

// ---------------------------------------------------------------- ovs-ofctl as the controller
// ---------------------------------------------------------------- annotation
const NAMES = { 10: 'OFPT_PACKET_IN', 11: 'OFPT_FLOW_REMOVED', 13: 'OFPT_PACKET_OUT', 14: 'OFPT_FLOW_MOD' };

/** [offset, length, label] of the fixed part, the match, the actions/instructions and the data. */
function annotate(m) {
  const v = m[0];
  const t = m[1];
  const f = [[0, 1, `header.version = ${v} (${PROTOCOL[v]})`], [1, 1, `header.type = ${t} (${NAMES[t]})`],
    [2, 2, `header.length = ${m.readUInt16BE(2)}`], [4, 4, `header.xid = ${m.readUInt32BE(4)}`]];
  const matchLen = (o) => (v === 1 ? 40 : (m.readUInt16BE(o + 2) + 7) & ~7);
  const parts = [];
  if (t === T.FLOW_MOD) {
    if (v === 1) parts.push([8, 40, 'ofp_match (1.0, 40 bytes)'], [48, 24, 'cookie, command, timeouts, priority, buffer_id, out_port, flags'], [72, m.length - 72, 'actions']);
    else {
      const ml = matchLen(48);
      parts.push([8, 40, 'cookie, cookie_mask, table_id, command, timeouts, priority, buffer_id, out_port, out_group, flags, pad/importance'],
        [48, ml, 'ofp_match (with padding)'], [48 + ml, m.length - 48 - ml, 'instructions']);
    }
  } else if (t === T.PACKET_OUT) {
    if (v === 6) {
      const ml = matchLen(16);
      const al = m.readUInt16BE(12);
      parts.push([8, 8, 'buffer_id, actions_len, pad'], [16, ml, 'ofp_match (in_port)'], [16 + ml, al, 'actions'], [16 + ml + al, m.length - 16 - ml - al, 'packet data']);
    } else {
      const at = v === 1 ? 16 : 24;
      const al = m.readUInt16BE(v === 1 ? 14 : 16);
      parts.push([8, at - 8, 'buffer_id, in_port, actions_len (, pad)'], [at, al, 'actions'], [at + al, m.length - at - al, 'packet data']);
    }
  } else if (t === T.PACKET_IN) {
    if (v === 1) parts.push([8, 10, 'buffer_id, total_len, in_port, reason, pad'], [18, m.length - 18, 'packet data']);
    else if (v === 2) parts.push([8, 16, 'buffer_id, in_port, in_phy_port, total_len, reason, table_id'], [24, m.length - 24, 'packet data']);
    else {
      const at = v === 3 ? 16 : 24;
      const ml = matchLen(at);
      parts.push([8, at - 8, 'buffer_id, total_len, reason, table_id (, cookie)'], [at, ml, 'ofp_match (with padding)'], [at + ml, 2, 'pad'],
        [at + ml + 2, m.length - at - ml - 2, 'packet data']);
    }
  } else if (t === T.FLOW_REMOVED) {
    if (v === 1) parts.push([8, 40, 'ofp_match (1.0)'], [48, 40, 'cookie, priority, reason, pad, durations, idle_timeout, pad, counters']);
    else if (v === 6) {
      const ml = matchLen(24);
      parts.push([8, 16, 'cookie, priority, reason, table_id, idle_timeout, hard_timeout'], [24, ml, 'ofp_match (with padding)'], [24 + ml, m.length - 24 - ml, 'ofp_stats (OXS)']);
    } else {
      const ml = matchLen(48);
      parts.push([8, 40, 'cookie, priority, reason, table_id, durations, timeouts, counters'], [48, ml, 'ofp_match (with padding)']);
    }
  }
  return [...f, ...parts.filter(([, n]) => n > 0)];
}

const writeFixture = fixtureWriter(outDir, 'capture-ovs-flow-fixtures.mjs', annotate);

async function captureOfctl(v) {
  const one = async (file, args, type, what) => {
    const sent = await ofctlSends(v, ['SWITCH', ...args].length ? args : args);
    const m = sent.find((x) => x[1] === type);
    if (!m) throw new Error(`${args[0]} ${PROTOCOL[v]}: no message of type ${type} (got ${sent.map((x) => x[1]).join(',')})`);
    writeFixture(`${file}-${SUFFIX(v)}.hex`, m, `${NAMES[type]} from ovs-ofctl -O ${PROTOCOL[v]}: ${what}`, [ofctlCommand(v, args)]);
  };
  await one('flow-mod-add', ['add-flow', 'SWITCH', FLOW], T.FLOW_MOD, `add-flow ${FLOW}`);
  await one('flow-mod-modify', ['mod-flows', 'SWITCH', MOD], T.FLOW_MOD, `mod-flows ${MOD}`);
  await one('flow-mod-delete', ['del-flows', 'SWITCH', DEL], T.FLOW_MOD, `del-flows ${DEL}`);
  await one('packet-out', ['packet-out', 'SWITCH', '1', 'output:2', FRAME], T.PACKET_OUT, 'packet-out in_port 1, output:2, the ARP frame');
}

// ---------------------------------------------------------------- ovs-vswitchd as the switch

async function captureSwitch(v) {
  const peer = await connectOvs(PROTOCOL[v]);
  await handshake(peer);
  await sh('ovs-ofctl', ['-O', PROTOCOL[v], 'del-flows', mgmt()]);
  await sh('ovs-ofctl', ['-O', PROTOCOL[v], 'add-flow', mgmt(), 'priority=10,in_port=1,actions=controller']);
  await sh('ovs-appctl', ['netdev-dummy/receive', 'p1', FRAME]);
  const packetIn = await peer.next('PACKET_IN', (m) => m[1] === T.PACKET_IN, 10_000);
  writeFixture(`packet-in-${SUFFIX(v)}.hex`, packetIn, `OFPT_PACKET_IN from ovs-vswitchd, ${PROTOCOL[v]}.`,
    ['Flow priority=10,in_port=1,actions=controller; the ARP frame injected with ovs-appctl netdev-dummy/receive p1.']);
  if (v !== 4) {
    await sh('ovs-ofctl', ['-O', PROTOCOL[v], 'add-flow', mgmt(), 'cookie=0x1234,priority=100,in_port=2,hard_timeout=1,send_flow_rem,actions=drop']);
    const removed = await peer.next('FLOW_REMOVED', (m) => m[1] === T.FLOW_REMOVED, 10_000);
    writeFixture(`flow-removed-${SUFFIX(v)}.hex`, removed, `OFPT_FLOW_REMOVED (hard timeout) from ovs-vswitchd, ${PROTOCOL[v]}.`,
      ['Flow cookie=0x1234,priority=100,in_port=2,hard_timeout=1,send_flow_rem,actions=drop added through br0.mgmt.',
        'duration_* vary between captures.']);
  }
  await disconnect(peer);
}

await captureEveryVersion(outDir, { ofctl: captureOfctl, vswitchd: captureSwitch });
