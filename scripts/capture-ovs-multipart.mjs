#!/usr/bin/env node
// capture-ovs-multipart.mjs - records Open vSwitch's STATS/MULTIPART requests and replies,
// GROUP_MOD, METER_MOD, PORT_STATUS, GET_ASYNC_REPLY and QUEUE_GET_CONFIG_REPLY in every OpenFlow
// version that has them, as hex fixtures (fixtures/ovs/mp-*, group-mod-*, meter-mod-*, ...).
//
//   node scripts/capture-ovs-multipart.mjs [OUTDIR=fixtures/ovs]
//
// Two directions, as scripts/capture-ovs-flow-fixtures.mjs:
// - ovs-ofctl as the controller (dump-flows, dump-aggregate, dump-ports, dump-tables, queue-stats,
//   dump-ports-desc, dump-group-features, dump-groups, dump-group-stats, dump-meters, meter-stats,
//   meter-features, add-group, add-meter) against a minimal switch here that records what it sends;
// - ovs-vswitchd as the switch (scripts/lib/ovs-sandbox.mjs) answering our hand-built requests.
// Dependency-free on purpose: the fixtures must not depend on the codec they check.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  PROTOCOL, SUFFIX, captureEveryVersion, connectOvs, disconnect, fixtureWriter, handshake, mgmt, ofctlCommand, ofctlSends,
  ofmsg, sb, sh, vsctl,
} from './lib/ovs-sandbox.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = resolve(process.argv[2] ?? join(here, '..', 'fixtures', 'ovs'));
const statsReq = (v) => (v === 1 ? 16 : 18);
const T = { PORT_STATUS: 12, GROUP_MOD: 15, METER_MOD: 29, GET_ASYNC_REQUEST: 26, GET_ASYNC_REPLY: 27 };
/** OFPST_/OFPMP_ numbers and the first version with each. */
const KIND = { DESC: [0, 1], FLOW: [1, 1], AGGREGATE: [2, 1], TABLE: [3, 1], PORT_STATS: [4, 1], QUEUE: [5, 1], GROUP: [6, 2],
  GROUP_DESC: [7, 2], GROUP_FEATURES: [8, 3], METER: [9, 4], METER_CONFIG: [10, 4], METER_FEATURES: [11, 4],
  TABLE_FEATURES: [12, 4], PORT_DESC: [13, 4] };

/** What the switch side is given through br0.mgmt before the requests (the test checks the replies for it). */
export const FLOW = 'cookie=0x1234,priority=100,in_port=1,actions=output:2';
export const GROUP = 'group_id=1,type=all,bucket=output:2';
export const METER = 'meter=1,kbps,band=type=drop,rate=1000';
/** What ovs-ofctl is asked to send (the test decodes the captures against these). */
export const OFCTL_GROUP = 'group_id=1,type=select,bucket=weight:10,output:2';

/** [offset, length, label]: the header, the stats header (type, flags, pad) of STATS/MULTIPART, the body. */
function annotate(m) {
  const v = m[0];
  const stats = m[1] === statsReq(v) || m[1] === statsReq(v) + 1;
  const head = [[0, 8, `header: version ${v}, type ${m[1]}, length ${m.readUInt16BE(2)}, xid ${m.readUInt32BE(4)}`]];
  const at = stats ? (v === 1 ? 12 : 16) : 8;
  if (stats) head.push([8, at - 8, `stats header: type ${m.readUInt16BE(8)}, flags 0x${m.readUInt16BE(10).toString(16)}${v === 1 ? '' : ', pad'}`]);
  if (m.length > at) head.push([at, m.length - at, 'body']);
  return head;
}

const writeFixture = fixtureWriter(outDir, 'capture-ovs-multipart.mjs', annotate);

// ---------------------------------------------------------------- ovs-ofctl as the controller

async function captureOfctl(v) {
  const statsOf = (m) => (m[1] === statsReq(v) ? m.readUInt16BE(8) : -1);
  const one = async (file, args, pick, what) => {
    // 1.0: without -F ovs-ofctl uses Nicira's extended flow stats, not OFPST_FLOW.
    const sent = await ofctlSends(v, args, { options: ['--timeout=5', ...(v === 1 ? ['-F', 'openflow10'] : [])], withStats: true, tolerant: true });
    const m = sent.find(pick);
    if (!m) throw new Error(`${args[0]} ${PROTOCOL[v]}: nothing captured (got types ${sent.map((x) => x[1]).join(',')})`);
    writeFixture(`${file}-${SUFFIX(v)}.hex`, m, `${what} from ovs-ofctl -O ${PROTOCOL[v]}.`,
      [ofctlCommand(v, args, v === 1 ? ' -F openflow10' : '')]);
  };
  const stats = (kind) => (m) => statsOf(m) === KIND[kind][0];
  await one('mp-flow-request', ['dump-flows', 'SWITCH'], stats('FLOW'), 'Flow stats request (dump-flows)');
  await one('mp-aggregate-request', ['dump-aggregate', 'SWITCH'], stats('AGGREGATE'), 'Aggregate stats request (dump-aggregate)');
  await one('mp-port-stats-request', ['dump-ports', 'SWITCH'], stats('PORT_STATS'), 'Port stats request (dump-ports)');
  await one('mp-table-request', ['dump-tables', 'SWITCH'], stats('TABLE'), 'Table stats request (dump-tables)');
  await one('mp-queue-request', ['queue-stats', 'SWITCH'], stats('QUEUE'), 'Queue stats request (queue-stats)');
  if (v >= 2) {
    await one('group-mod-add', ['add-group', 'SWITCH', OFCTL_GROUP], (m) => m[1] === T.GROUP_MOD, `GROUP_MOD (add-group ${OFCTL_GROUP})`);
    await one('mp-group-desc-request', ['dump-groups', 'SWITCH'], stats('GROUP_DESC'), 'Group desc request (dump-groups)');
    await one('mp-group-request', ['dump-group-stats', 'SWITCH'], stats('GROUP'), 'Group stats request (dump-group-stats)');
  }
  if (v >= 3) await one('mp-group-features-request', ['dump-group-features', 'SWITCH'], stats('GROUP_FEATURES'), 'Group features request');
  if (v >= 4) {
    await one('mp-port-desc-request', ['dump-ports-desc', 'SWITCH'], stats('PORT_DESC'), 'Port desc request (dump-ports-desc)');
    await one('meter-mod-add', ['add-meter', 'SWITCH', METER], (m) => m[1] === T.METER_MOD, `METER_MOD (add-meter ${METER})`);
    await one('mp-meter-config-request', ['dump-meters', 'SWITCH'], stats('METER_CONFIG'), 'Meter config request (dump-meters)');
    await one('mp-meter-request', ['meter-stats', 'SWITCH'], stats('METER'), 'Meter stats request (meter-stats)');
    await one('mp-meter-features-request', ['meter-features', 'SWITCH'], stats('METER_FEATURES'), 'Meter features request');
  }
}

// ---------------------------------------------------------------- ovs-vswitchd as the switch

/** The body of our stats request of `kind` in version `v` (everything: ANY port, ALL groups/meters/queues). */
function requestBody(kind, v) {
  const head = Buffer.alloc(v === 1 ? 4 : 8);
  head.writeUInt16BE(KIND[kind][0], 0);
  const u32s = (...w) => Buffer.concat(w.map((x) => { const b = Buffer.alloc(4); b.writeUInt32BE(x >>> 0, 0); return b; }));
  let body = Buffer.alloc(0);
  if (kind === 'FLOW' || kind === 'AGGREGATE') {
    if (v === 1) {
      body = Buffer.alloc(44);
      body.writeUInt32BE(0x003fffff, 0); // OFPFW_ALL
      body[40] = 0xff; // all tables
      body.writeUInt16BE(0xffff, 42); // OFPP_NONE: no out_port filter
    } else {
      const fixed = Buffer.concat([Buffer.from([0xff, 0, 0, 0]), u32s(0xffffffff, 0xffffffff, 0), Buffer.alloc(16)]);
      let match;
      if (v === 2) {
        match = Buffer.alloc(88); // 1.1 standard match, all wildcarded
        match.writeUInt16BE(88, 2);
        match.writeUInt32BE(0x3ff, 8);
        for (const [a, b] of [[18, 24], [30, 36], [48, 52], [56, 60], [80, 88]]) match.fill(0xff, a, b);
      } else {
        match = Buffer.from('0001000400000000', 'hex'); // empty OXM match, padded
      }
      body = Buffer.concat([fixed, match]);
    }
  } else if (kind === 'PORT_STATS') {
    body = v === 1 ? Buffer.from('ffff000000000000', 'hex') : Buffer.from('ffffffff00000000', 'hex');
  } else if (kind === 'QUEUE') {
    body = v === 1 ? Buffer.from('fffc0000ffffffff', 'hex') : u32s(0xffffffff, 0xffffffff);
  } else if (kind === 'GROUP' || (kind === 'GROUP_DESC' && v >= 6)) {
    body = u32s(0xfffffffc, 0);
  } else if (kind === 'METER' || kind === 'METER_CONFIG') {
    body = u32s(0xffffffff, 0);
  } else if (kind === 'PORT_DESC' && v >= 6) {
    body = u32s(0xffffffff, 0);
  }
  return Buffer.concat([head, body]);
}

async function captureSwitch(v) {
  const peer = await connectOvs(PROTOCOL[v]);
  await handshake(peer);
  const ofctl = (...a) => sh('ovs-ofctl', ['-O', PROTOCOL[v], ...a]);
  await ofctl('del-flows', mgmt());
  await ofctl('add-flow', mgmt(), FLOW);
  if (v >= 2) await ofctl('del-groups', mgmt()).then(() => ofctl('add-group', mgmt(), GROUP));
  if (v >= 4) await ofctl('del-meters', mgmt()).catch(() => undefined).then(() => ofctl('add-meter', mgmt(), METER)).catch((e) => console.log(`add-meter: ${e.message}`));
  let xid = 0x700;
  const how = [`Bridge br0 protocols=${PROTOCOL[v]}; through br0.mgmt: add-flow '${FLOW}'${v >= 2 ? `, add-group '${GROUP}'` : ''}` +
    `${v >= 4 ? `, add-meter '${METER}'` : ''}; ports p1 (1), p2 (2) of type dummy.`];
  const ask = async (type, replyType, body) => {
    const id = xid++;
    peer.send(ofmsg(v, type, id, body));
    return peer.next(`reply ${replyType} to xid ${id}`, (m) => m[1] === replyType && m.readUInt32BE(4) === id, 10_000);
  };
  for (const [kind, [, since]] of Object.entries(KIND)) {
    if (v < since) continue;
    const reply = await ask(statsReq(v), statsReq(v) + 1, requestBody(kind, v));
    const name = kind.toLowerCase().replace(/_/g, '-');
    writeFixture(`mp-${name}-reply-${SUFFIX(v)}.hex`, reply, `${kind} stats reply from ovs-vswitchd, ${PROTOCOL[v]} (the first message if several).`,
      [...how, `Our request: every port/queue/group/meter (ANY/ALL), xid 0x${reply.readUInt32BE(4).toString(16)}.`]);
  }
  if (v >= 4) {
    const reply = await ask(T.GET_ASYNC_REQUEST, T.GET_ASYNC_REPLY);
    writeFixture(`get-async-reply-${SUFFIX(v)}.hex`, reply, `OFPT_GET_ASYNC_REPLY from ovs-vswitchd, ${PROTOCOL[v]} (OVS's defaults).`, how);
  }
  if (v <= 4) {
    const [req, rep] = v === 1 ? [20, 21] : [22, 23];
    const reply = await ask(req, rep, v === 1 ? Buffer.from('00010000', 'hex') : Buffer.from('0000000100000000', 'hex'));
    writeFixture(`queue-get-config-reply-${SUFFIX(v)}.hex`, reply, `OFPT_QUEUE_GET_CONFIG_REPLY for port 1 from ovs-vswitchd, ${PROTOCOL[v]}.`, how);
  }
  await vsctl('add-port', sb.bridge, 'p3', '--', 'set', 'interface', 'p3', 'type=dummy', 'ofport_request=3');
  const status = await peer.next('PORT_STATUS', (m) => m[1] === T.PORT_STATUS, 10_000);
  await vsctl('del-port', sb.bridge, 'p3');
  writeFixture(`port-status-add-${SUFFIX(v)}.hex`, status, `OFPT_PORT_STATUS (add) from ovs-vswitchd, ${PROTOCOL[v]}.`,
    [...how, 'Then: ovs-vsctl add-port br0 p3 -- set interface p3 type=dummy ofport_request=3.']);
  await disconnect(peer);
}

await captureEveryVersion(outDir, { ofctl: captureOfctl, vswitchd: captureSwitch });
