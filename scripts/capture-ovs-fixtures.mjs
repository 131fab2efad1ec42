#!/usr/bin/env node
// capture-ovs-fixtures.mjs - records real Open vSwitch messages as annotated hex fixtures
// (fixtures/ovs/*.hex), one message per file.
//
//   node scripts/capture-ovs-fixtures.mjs [OUTDIR=fixtures/ovs]
//
// Needs openvswitch-switch (Debian: apt-get install -y openvswitch-switch). No systemd, no kernel
// module: it runs a private ovsdb-server + ovs-vswitchd with the dummy datapath in /tmp/ovsXXXXXX
// and stops them on exit. Dependency-free on purpose (node:net, node:child_process only) so the
// fixtures do not depend on the codec they are meant to check.
//
// OVS is the switch: it connects to a tiny TCP listener here (the "controller"), which answers
// OVS's HELLO with the same version and then sends whatever request the fixture needs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  OFPT, bitmapHello, connectOvs, disconnect, handshake, ofmsg, request, run, runCapture, sb, sh, startSandbox, vsctl,
} from './lib/ovs-sandbox.mjs';
const here = dirname(fileURLToPath(import.meta.url));
const outDir = resolve(process.argv[2] ?? join(here, '..', 'fixtures', 'ovs'));

// ---------------------------------------------------------------- annotation
const VERSION_NAME = { 1: 'OpenFlow 1.0', 2: 'OpenFlow 1.1', 3: 'OpenFlow 1.2', 4: 'OpenFlow 1.3', 5: 'OpenFlow 1.4', 6: 'OpenFlow 1.5' };
const TYPE_NAME = { 0: 'OFPT_HELLO', 1: 'OFPT_ERROR', 2: 'OFPT_ECHO_REQUEST', 3: 'OFPT_ECHO_REPLY', 5: 'OFPT_FEATURES_REQUEST',
  6: 'OFPT_FEATURES_REPLY', 7: 'OFPT_GET_CONFIG_REQUEST', 8: 'OFPT_GET_CONFIG_REPLY', 11: 'OFPT_FLOW_REMOVED',
  12: 'OFPT_PORT_STATUS' };
const typeName = (v, t) => (v >= 4 && t === 19 ? 'OFPT_MULTIPART_REPLY' : v === 1 && t === 17 ? 'OFPT_STATS_REPLY' : TYPE_NAME[t] ?? `type ${t}`);

/** Builds [start, length, "field = value"] ranges for a message; the writer prints them in order. */
function annotate(m) {
  const f = [];
  const at = (off, len, label) => f.push([off, len, label]);
  const v = m[0];
  const t = m[1];
  const u16 = (o) => m.readUInt16BE(o);
  const u32 = (o) => m.readUInt32BE(o);
  const hex = (o, n) => '0x' + m.subarray(o, o + n).toString('hex');
  const mac = (o) => [...m.subarray(o, o + 6)].map((b) => b.toString(16).padStart(2, '0')).join(':');
  const cstr = (o, n) => JSON.stringify(m.subarray(o, o + n).toString('latin1').replace(/\0.*$/s, ''));

  /** An OpenFlow 1.3 ofp_port (64 bytes) at `o`. */
  function port13(o, p) {
    const no = u32(o);
    at(o, 4, `${p}.port_no = ${no}${no === 0xfffffffe ? ' (OFPP_LOCAL)' : ''}`);
    at(o + 4, 4, 'pad');
    at(o + 8, 6, `${p}.hw_addr = ${mac(o + 8)}`);
    at(o + 14, 2, 'pad');
    at(o + 16, 16, `${p}.name = ${cstr(o + 16, 16)}`);
    const names = ['config', 'state', 'curr', 'advertised', 'supported', 'peer', 'curr_speed', 'max_speed'];
    names.forEach((n, k) => at(o + 32 + k * 4, 4, `${p}.${n} = ${n.endsWith('speed') ? u32(o + 32 + k * 4) + ' kbps' : hex(o + 32 + k * 4, 4)}`));
  }
  /** An OpenFlow 1.2+ ofp_match (OXM) at `o`, with its padding to 8 bytes. */
  function match13(o) {
    const len = u16(o + 2);
    at(o, 2, `match.type = ${u16(o)}${u16(o) === 1 ? ' (OFPMT_OXM)' : ''}`);
    at(o + 2, 2, `match.length = ${len} (without padding)`);
    for (let f = o + 4; f + 4 <= o + len;) {
      const hdr = u32(f);
      const cls = hdr >>> 16;
      const field = (hdr >>> 9) & 0x7f;
      const flen = hdr & 0xff;
      const name = cls === 0x8000 ? ({ 0: 'IN_PORT', 3: 'ETH_DST', 4: 'ETH_SRC', 5: 'ETH_TYPE' }[field] ?? `field ${field}`) : `class 0x${cls.toString(16)} field ${field}`;
      at(f, 4, `match.oxm header = 0x${hdr.toString(16).padStart(8, '0')} (OFPXMC_OPENFLOW_BASIC ${name}, hasmask ${(hdr >>> 8) & 1}, length ${flen})`);
      at(f + 4, flen, `match.oxm value = ${hex(f + 4, flen)}`);
      f += 4 + flen;
    }
    const padded = (len + 7) & ~7;
    if (padded > len) at(o + len, padded - len, 'match padding (to 8 bytes)');
  }

  at(0, 1, `header.version = ${v} (${VERSION_NAME[v] ?? '?'})`);
  at(1, 1, `header.type = ${t} (${typeName(v, t)})`);
  at(2, 2, `header.length = ${u16(2)}`);
  at(4, 4, `header.xid = ${u32(4)}`);

  if (t === OFPT.HELLO) {
    let o = 8;
    while (o + 4 <= m.length) {
      const et = u16(o);
      const el = u16(o + 2);
      at(o, 2, `hello_elem.type = ${et}${et === 1 ? ' (OFPHET_VERSIONBITMAP)' : ''}`);
      at(o + 2, 2, `hello_elem.length = ${el} (without padding)`);
      if (et === 1) {
        for (let w = 0; o + 4 + w * 4 + 4 <= o + el; w++) {
          const word = u32(o + 4 + w * 4);
          const vs = [];
          for (let b = 0; b < 32; b++) if (word & (2 ** b)) vs.push(w * 32 + b);
          at(o + 4 + w * 4, 4, `hello_elem.bitmaps[${w}] = 0x${word.toString(16).padStart(8, '0')} (versions ${vs.map((x) => VERSION_NAME[x] ?? x).join(', ')})`);
        }
      } else if (el > 4) at(o + 4, el - 4, 'hello_elem.data');
      const padded = (el + 7) & ~7;
      if (padded > el) at(o + el, padded - el, 'hello_elem padding (to 8 bytes)');
      o += Math.max(padded, 8);
    }
  } else if (t === OFPT.ERROR) {
    at(8, 2, `error.type = ${u16(8)}${u16(8) === 0 ? ' (OFPET_HELLO_FAILED)' : ''}`);
    at(10, 2, `error.code = ${u16(10)}${u16(8) === 0 && u16(10) === 0 ? ' (OFPHFC_INCOMPATIBLE)' : ''}`);
    for (let o = 12; o < m.length; o += 16) {
      const n = Math.min(16, m.length - o);
      at(o, n, `error.data (ASCII) = ${JSON.stringify(m.subarray(o, o + n).toString('latin1'))}`);
    }
  } else if (t === OFPT.ECHO_REQUEST || t === OFPT.ECHO_REPLY) {
    if (m.length > 8) at(8, m.length - 8, 'echo payload');
  } else if (t === OFPT.FEATURES_REPLY) {
    at(8, 8, `datapath_id = ${hex(8, 8)}`);
    at(16, 4, `n_buffers = ${u32(16)}`);
    at(20, 1, `n_tables = ${m[20]}`);
    if (v === 1) {
      at(21, 3, 'pad');
      at(24, 4, `capabilities = ${hex(24, 4)}`);
      at(28, 4, `actions = ${hex(28, 4)}`);
      for (let o = 32, i = 0; o + 48 <= m.length; o += 48, i++) {
        const p = `ports[${i}]`;
        const no = u16(o);
        at(o, 2, `${p}.port_no = ${no}${no === 0xfffe ? ' (OFPP_LOCAL)' : ''}`);
        at(o + 2, 6, `${p}.hw_addr = ${mac(o + 2)}`);
        at(o + 8, 16, `${p}.name = ${cstr(o + 8, 16)}`);
        at(o + 24, 4, `${p}.config = ${hex(o + 24, 4)}`);
        at(o + 28, 4, `${p}.state = ${hex(o + 28, 4)}`);
        at(o + 32, 4, `${p}.curr = ${hex(o + 32, 4)}`);
        at(o + 36, 4, `${p}.advertised = ${hex(o + 36, 4)}`);
        at(o + 40, 4, `${p}.supported = ${hex(o + 40, 4)}`);
        at(o + 44, 4, `${p}.peer = ${hex(o + 44, 4)}`);
      }
    } else {
      at(21, 1, `auxiliary_id = ${m[21]}`);
      at(22, 2, 'pad');
      at(24, 4, `capabilities = ${hex(24, 4)}`);
      at(28, 4, `reserved = ${hex(28, 4)}`);
    }
  } else if (t === OFPT.GET_CONFIG_REPLY) {
    at(8, 2, `flags = ${hex(8, 2)}`);
    at(10, 2, `miss_send_len = ${u16(10)}`);
  } else if (v >= 4 && t === OFPT.OF13_MULTIPART_REPLY) {
    at(8, 2, `multipart.type = ${u16(8)}${u16(8) === 13 ? ' (OFPMP_PORT_DESC)' : ''}`);
    at(10, 2, `multipart.flags = ${hex(10, 2)}`);
    at(12, 4, 'pad');
    if (u16(8) === 13) {
      for (let o = 16, i = 0; o + 64 <= m.length; o += 64, i++) port13(o, `ports[${i}]`);
    }
  } else if (v === 4 && t === OFPT.PORT_STATUS) {
    const reason = m[8];
    at(8, 1, `reason = ${reason} (${['OFPPR_ADD', 'OFPPR_DELETE', 'OFPPR_MODIFY'][reason] ?? '?'})`);
    at(9, 7, 'pad');
    port13(16, 'desc');
  } else if (v === 4 && t === OFPT.FLOW_REMOVED) {
    at(8, 8, `cookie = ${hex(8, 8)}`);
    at(16, 2, `priority = ${u16(16)}`);
    at(18, 1, `reason = ${m[18]} (${['OFPRR_IDLE_TIMEOUT', 'OFPRR_HARD_TIMEOUT', 'OFPRR_DELETE', 'OFPRR_GROUP_DELETE'][m[18]] ?? '?'})`);
    at(19, 1, `table_id = ${m[19]}`);
    at(20, 4, `duration_sec = ${u32(20)}`);
    at(24, 4, `duration_nsec = ${u32(24)}`);
    at(28, 2, `idle_timeout = ${u16(28)}`);
    at(30, 2, `hard_timeout = ${u16(30)}`);
    at(32, 8, `packet_count = ${m.readBigUInt64BE(32)}`);
    at(40, 8, `byte_count = ${m.readBigUInt64BE(40)}`);
    match13(48);
  }
  // anything not described above is still written, never silently dropped
  const covered = f.reduce((end, [o, n]) => Math.max(end, o + n), 0);
  if (covered < m.length) at(covered, m.length - covered, 'body (not annotated)');
  return f;
}

let ovsVersion = '';
let debVersion = '';

function writeFixture(name, msg, what, how) {
  const lines = [
    `# ${what}`,
    `# Sent by ${ovsVersion}${debVersion ? ` (Debian package openvswitch-switch ${debVersion})` : ''}.`,
    ...how.map((h) => `# ${h}`),
    '# Captured by scripts/capture-ovs-fixtures.mjs: ovs-vswitchd --enable-dummy, bridge br0, datapath_type=dummy,',
    '# dpid 0000000000000001, hwaddr aa:55:aa:55:00:01, connecting as a switch to a TCP listener (the controller).',
    `# ${msg.length} bytes; ranges are inclusive byte offsets.`,
    '',
  ];
  for (const [o, n, label] of annotate(msg)) {
    lines.push(`# bytes ${o}-${o + n - 1}: ${label}`);
    const bytes = msg.subarray(o, o + n).toString('hex').match(/.{1,32}/g) ?? [];
    for (const chunk of bytes) lines.push(chunk.match(/../g).join(' '));
  }
  writeFileSync(join(outDir, name), lines.join('\n') + '\n');
  console.log(`wrote ${join(outDir, name)} (${msg.length} bytes)`);
}

// ---------------------------------------------------------------- scenarios
async function captureHello(file, protocols) {
  const peer = await connectOvs(protocols);
  const hello = await handshake(peer);
  await disconnect(peer);
  writeFixture(file, hello, `OFPT_HELLO from Open vSwitch with bridge protocols=${protocols ?? '(unset: OVS default)'}.`,
    [`Bridge setting: ${protocols ? `protocols=${protocols}` : 'protocols column empty (OVS default set of versions)'}.`,
      'First message OVS sent on the connection.']);
}

async function captureHelloFailed() {
  // OVS allows only OpenFlow 1.0; we offer only 1.3 (header version 4, bitmap {4}): no common version.
  const peer = await connectOvs('OpenFlow10', (p) => p.send(bitmapHello(4, [4])));
  await peer.next('HELLO', (m) => m[1] === OFPT.HELLO);
  const err = await peer.next('ERROR', (m) => m[1] === OFPT.ERROR);
  await disconnect(peer);
  writeFixture('error-hello-failed.hex', err, 'OFPT_ERROR HELLO_FAILED/INCOMPATIBLE from Open vSwitch: no common version.',
    ['Bridge setting: protocols=OpenFlow10. Our side sent HELLO version 4 with version bitmap {4} (OpenFlow 1.3 only).',
      'Note: the header carries OUR version (4), not OVS\'s (1); OVS closes the connection after this message.']);
}

async function captureEcho() {
  const peer = await connectOvs('OpenFlow13');
  await handshake(peer);
  // OVS's default inactivity_probe is 5 s: it probes once the connection has been idle that long
  const echo = await peer.next('ECHO_REQUEST', (m) => m[1] === OFPT.ECHO_REQUEST, 15_000);
  await disconnect(peer);
  writeFixture('echo-request-of13.hex', echo, 'OFPT_ECHO_REQUEST from Open vSwitch (inactivity probe), OpenFlow 1.3.',
    ['Bridge setting: protocols=OpenFlow13; controller inactivity_probe left at its default (5000 ms).',
      'Sent after about 5 s without traffic following the HELLO exchange.']);
}

async function captureSession(version, protocols, suffix) {
  const peer = await connectOvs(protocols);
  await handshake(peer);
  const features = await request(peer, version, OFPT.FEATURES_REQUEST, OFPT.FEATURES_REPLY, undefined, 0x101);
  const config = await request(peer, version, OFPT.GET_CONFIG_REQUEST, OFPT.GET_CONFIG_REPLY, undefined, 0x102);
  let portDesc;
  if (version >= 4) {
    const body = Buffer.alloc(8);
    body.writeUInt16BE(13, 0); // OFPMP_PORT_DESC, flags 0, 4 bytes pad
    portDesc = await request(peer, version, OFPT.OF13_MULTIPART_REQUEST, OFPT.OF13_MULTIPART_REPLY, body, 0x103);
  }
  await disconnect(peer);
  const how = [`Bridge setting: protocols=${protocols}. After the HELLO exchange our side sent the request with the xid seen below.`];
  writeFixture(`features-reply-${suffix}.hex`, features, `OFPT_FEATURES_REPLY from Open vSwitch, ${VERSION_NAME[version]}.`, how);
  writeFixture(`get-config-reply-${suffix}.hex`, config, `OFPT_GET_CONFIG_REPLY from Open vSwitch, ${VERSION_NAME[version]}.`, how);
  if (portDesc) writeFixture(`multipart-port-desc-reply-${suffix}.hex`, portDesc, `OFPT_MULTIPART_REPLY (OFPMP_PORT_DESC) from Open vSwitch, ${VERSION_NAME[version]}.`, how);
}

async function captureEchoReply() {
  const peer = await connectOvs('OpenFlow13');
  await handshake(peer);
  const reply = await request(peer, 4, OFPT.ECHO_REQUEST, OFPT.ECHO_REPLY, Buffer.from('openflow'), 0x201);
  await disconnect(peer);
  writeFixture('echo-reply-of13.hex', reply, 'OFPT_ECHO_REPLY from Open vSwitch, OpenFlow 1.3.',
    ['Bridge setting: protocols=OpenFlow13. Our side sent ECHO_REQUEST xid 0x201 with the 8-byte payload "openflow";',
      'OVS answers with the same xid and payload.']);
}

async function captureFeatures(version, protocols, suffix) {
  const peer = await connectOvs(protocols);
  await handshake(peer);
  const features = await request(peer, version, OFPT.FEATURES_REQUEST, OFPT.FEATURES_REPLY, undefined, 0x101);
  await disconnect(peer);
  writeFixture(`features-reply-${suffix}.hex`, features, `OFPT_FEATURES_REPLY from Open vSwitch, ${VERSION_NAME[version]}.`,
    [`Bridge setting: protocols=${protocols}. After the HELLO exchange our side sent FEATURES_REQUEST xid 0x101.`,
      'Same layout as OpenFlow 1.3: no ports (they come from the PORT_DESC multipart request).']);
}

async function capturePortStatus() {
  const peer = await connectOvs('OpenFlow13');
  await handshake(peer);
  // the dummy datapath makes "dummy" interfaces; ofport_request pins the port number
  await vsctl('add-port', sb.bridge, 'p1', '--', 'set', 'interface', 'p1', 'type=dummy', 'ofport_request=1');
  const status = await peer.next('PORT_STATUS', (m) => m[1] === OFPT.PORT_STATUS);
  await vsctl('del-port', sb.bridge, 'p1');
  await disconnect(peer);
  writeFixture('port-status-of13.hex', status, 'OFPT_PORT_STATUS (OFPPR_ADD) from Open vSwitch, OpenFlow 1.3.',
    ['Bridge setting: protocols=OpenFlow13. After the HELLO exchange:',
      'ovs-vsctl add-port br0 p1 -- set interface p1 type=dummy ofport_request=1 (OVS-assigned MAC for the dummy port).']);
}

async function captureFlowRemoved() {
  const peer = await connectOvs('OpenFlow13');
  await handshake(peer);
  // OFPT_FLOW_MOD (1.3): cookie 0x1234, table 0, ADD, idle 0, hard 1 s, priority 100, no buffer,
  // out_port/out_group ANY, flags OFPFF_SEND_FLOW_REM; match in_port=1 (OXM); no instructions (drop).
  const body = Buffer.alloc(56);
  body.writeBigUInt64BE(0x1234n, 0);
  body.writeUInt16BE(1, 20); // hard_timeout
  body.writeUInt16BE(100, 22); // priority
  body.writeUInt32BE(0xffffffff, 24); // buffer_id NO_BUFFER
  body.writeUInt32BE(0xffffffff, 28); // out_port ANY
  body.writeUInt32BE(0xffffffff, 32); // out_group ANY
  body.writeUInt16BE(1, 36); // OFPFF_SEND_FLOW_REM
  Buffer.from('0001000c800000040000000100000000', 'hex').copy(body, 40);
  peer.send(ofmsg(4, OFPT.OF13_FLOW_MOD, 0x301, body));
  // OVS expires flows on its once-a-second sweep: about 1-2 s
  const removed = await peer.next('FLOW_REMOVED', (m) => m[1] === OFPT.FLOW_REMOVED, 10_000);
  await disconnect(peer);
  writeFixture('flow-removed-of13.hex', removed, 'OFPT_FLOW_REMOVED (hard timeout) from Open vSwitch, OpenFlow 1.3.',
    ['Bridge setting: protocols=OpenFlow13. Our side added a flow: cookie 0x1234, priority 100, hard_timeout 1,',
      'flags OFPFF_SEND_FLOW_REM, match in_port=1, no instructions. duration_* vary between captures.']);
}

async function main() {
  mkdirSync(outDir, { recursive: true });
  ovsVersion = (await sh('ovs-vswitchd', ['--version'])).split('\n')[0].trim();
  debVersion = await run('dpkg-query', ['-W', '-f', '${Version}', 'openvswitch-switch']).then((r) => r.stdout.trim(), () => '');
  await startSandbox();
  await captureHello('hello-of10.hex', 'OpenFlow10');
  await captureHello('hello-of13.hex', 'OpenFlow13');
  await captureHello('hello-of10-of13.hex', 'OpenFlow10,OpenFlow13');
  await captureHello('hello-of13-of14-of15.hex', 'OpenFlow13,OpenFlow14,OpenFlow15');
  await captureHello('hello-default.hex', undefined);
  await captureHelloFailed();
  await captureSession(1, 'OpenFlow10', 'of10');
  await captureSession(4, 'OpenFlow13', 'of13');
  await captureEcho();
  await captureEchoReply();
  await captureFeatures(5, 'OpenFlow14', 'of14');
  await captureFeatures(6, 'OpenFlow15', 'of15');
  await capturePortStatus();
  await captureFlowRemoved();
}

await runCapture(main);
