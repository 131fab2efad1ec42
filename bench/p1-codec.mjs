// P1: decode and encode of ECHO_REQUEST and FEATURES_REPLY (one port) on OpenFlow 1.1 wire bytes,
// against @xen-orchestra/openflow on the same bytes, in-process (pure CPU, no I/O). Two OpenFlow 1.3
// rows (which that library does not speak) compare with hand-written code on Buffer instead: a
// PACKET_IN decoded and its in_port read from the OXM match, and a FLOW_MOD encoded from fields.
// Two more rows time the codec's part of P4 / P4b's fast reply, against the bare controllers' own
// PACKET_OUT writers.
import { Bench } from 'tinybench';
import xoModule from '@xen-orchestra/openflow';
import { decode, encode, encodeInto } from '../dist/ofp/index.js';
import { packetOut as barePacketOut10 } from './controllers/bare-10.mjs';
import { packetOut as barePacketOut13 } from './controllers/bare-13.mjs';
import { median, row, smoke } from './lib/util.mjs';

// A Babel-compiled CommonJS module: its API sits on `default` of the CommonJS exports.
const xo = xoModule.default ?? xoModule;
const OF11 = xo.versions.openFlow11;
const T = xo.protocols[OF11].type;

// A timer read costs about as much as decoding an echo, so each task call runs a batch and
// tinybench's per-call latency is divided by the batch size.
const BATCH = 1000;

/** The wire bytes, produced by the baseline itself so both sides parse what it accepts. */
export function p1Messages() {
  const echo = xo.pack({ header: { version: OF11, type: T.echoRequest, xid: 0x01020304 } });
  const features = xo.pack({
    header: { version: OF11, type: T.featuresReply, xid: 7 },
    datapath_id: 0x0000_0242_ac11_0002n, n_buffers: 256, n_tables: 254, capabilities: 0xc7, reserved: 0,
    ports: [{
      port_no: 1, hw_addr: '02:42:ac:11:00:02', name: 'eth1', config: 0, state: 4,
      curr: 0x840, advertised: 0x840, supported: 0x840, peer: 0, curr_speed: 10_000_000, max_speed: 10_000_000,
    }],
  });
  return { echo, features };
}

/** The OpenFlow 1.3 messages of the two hand-written baselines, made with our encoder. */
export function p1Messages13() {
  const frame = Buffer.alloc(64, 0xab);
  const packetIn = encode({
    type: 'PACKET_IN', version: 4, xid: 0, bufferId: 0xffffffff, totalLen: frame.length, reason: 0, tableId: 0, cookie: 0n,
    match: { inPort: 7, ethType: 0x0800, ipProto: 6, ipv4Src: '10.0.0.1' }, data: frame,
  });
  const flowMod = {
    type: 'FLOW_MOD', version: 4, xid: 9, cookie: 0x1234n, cookieMask: 0n, tableId: 0, command: 0, idleTimeout: 60, hardTimeout: 0,
    priority: 100, bufferId: 0xffffffff, outPort: 0xffffffff, outGroup: 0xffffffff, flags: 1,
    match: { inPort: 1, ethType: 0x0800, ipv4Dst: '10.0.0.0/8' },
    instructions: [{ type: 'APPLY_ACTIONS', actions: [
      { type: 'SET_FIELD', field: { ethDst: '02:00:00:00:00:02' } }, { type: 'OUTPUT', port: 2, maxLen: 0 }] }],
  };
  return { packetIn, flowMod };
}

/** What a controller without a codec writes to read in_port: walk the OXM TLVs by hand. */
function bareInPort(b) {
  const end = 24 + b.readUInt16BE(26);
  for (let p = 28; p + 4 <= end; p += 4 + b[p + 3]) {
    if (b.readUInt32BE(p) === 0x80000004) return b.readUInt32BE(p + 4);
  }
  return -1;
}

const DST_MAC = Buffer.from([2, 0, 0, 0, 0, 2]);
/** The same FLOW_MOD written field by field: the layout known in advance, nothing looked up. */
function bareFlowMod() {
  const b = Buffer.alloc(120);
  b.writeUInt32BE(0x040e0078, 0);
  b.writeUInt32BE(9, 4);
  b.writeBigUInt64BE(0x1234n, 8);
  b.writeUInt16BE(60, 26);
  b.writeUInt16BE(100, 30);
  b.writeUInt32BE(0xffffffff, 32);
  b.writeUInt32BE(0xffffffff, 36);
  b.writeUInt32BE(0xffffffff, 40);
  b.writeUInt16BE(1, 44);
  // match: OXM, 4 + 8 (in_port) + 6 (eth_type) + 12 (ipv4_dst/8) = 30, padded to 32
  b.writeUInt32BE(0x0001001e, 48);
  b.writeUInt32BE(0x80000004, 52);
  b.writeUInt32BE(1, 56);
  b.writeUInt32BE(0x80000a02, 60);
  b.writeUInt16BE(0x0800, 64);
  b.writeUInt32BE(0x80001908, 66);
  b.writeUInt32BE(0x0a000000, 70);
  b.writeUInt32BE(0xff000000, 74);
  // APPLY_ACTIONS (len 8 + 16 + 16) with set_field eth_dst and output:2
  b.writeUInt32BE(0x00040028, 80);
  b.writeUInt32BE(0x00190010, 88);
  b.writeUInt32BE(0x80000606, 92);
  DST_MAC.copy(b, 96);
  b.writeUInt32BE(0x00000010, 104);
  b.writeUInt32BE(2, 108);
  return b;
}

const NO_BUFFER = 0xffffffff;
// The output actions the P4 / P4b controllers send (bench/controllers/fast-reply-10.mjs, -13.mjs).
const FLOOD10 = Buffer.from([0, 0, 0, 8, 0xff, 0xfb, 0, 0]);
const FLOOD13 = Buffer.from([0, 0, 0, 16, 0xff, 0xff, 0xff, 0xfb, 0xff, 0xff, 0, 0, 0, 0, 0, 0]);
const NO_DATA = Buffer.alloc(0);
const IN_A_CHUNK = 64;

/**
 * The fast-reply step of P4 (OF1.0) or P4b (OF1.3): a chunk of PACKET_INs as the P4 generator
 * sends them (60-byte frames, buffered; in 1.3 an OXM match holding in_port), answered into one
 * write buffer. Ours: decode each message (the views the framer hands out, made beforehand), build
 * the PACKET_OUT as the library controller does, encodeInto. Bare: the bare controller's writer,
 * reading the chunk in place. Each returns a step function doing one message.
 */
function fastReplySteps(version) {
  const frame = Buffer.alloc(60, 0x11);
  const pins = Array.from({ length: IN_A_CHUNK }, (_, i) => encode(version === 1
    ? { type: 'PACKET_IN', version, xid: i, bufferId: 100 + i, totalLen: 60, inPort: 1, reason: 0, data: frame }
    : { type: 'PACKET_IN', version, xid: i, bufferId: 100 + i, totalLen: 60, reason: 0, tableId: 0, cookie: 0n, match: { inPort: 1 }, data: frame }));
  const chunk = Buffer.concat(pins);
  const len = pins[0].length;
  const views = pins.map((_, i) => chunk.subarray(i * len, (i + 1) * len));
  const out = Buffer.allocUnsafe(64 * 1024);
  const bare = version === 1 ? barePacketOut10 : barePacketOut13;
  const flood = version === 1 ? FLOOD10 : FLOOD13;
  let i = 0;
  let fill = 0;
  const next = () => {
    i = (i + 1) % IN_A_CHUNK;
    if (i === 0) fill = 0;
  };
  const ours = () => {
    const msg = decode(views[i]);
    const inPort = version === 1 ? msg.inPort : msg.match.inPort;
    fill += encodeInto({
      type: 'PACKET_OUT', version, xid: msg.xid, bufferId: msg.bufferId, inPort, actions: flood,
      data: msg.bufferId === NO_BUFFER ? msg.data : NO_DATA,
    }, out, fill);
    next();
    return out;
  };
  const theirs = () => {
    fill += bare(chunk, i * len, out, fill);
    next();
    return out;
  };
  // Both write the same bytes.
  const a = Buffer.from(out.subarray(0, (ours(), fill)));
  i = 0;
  fill = 0;
  const b = Buffer.from(out.subarray(0, (theirs(), fill)));
  i = 0;
  fill = 0;
  check(`fast-reply ${version}: bare PACKET_OUT equals ours`, a.equals(b) && a.length > 0);
  return { ours, theirs };
}

function check(label, ok) {
  if (!ok) throw new Error(`P1 setup: ${label}`);
}

/** Returns the P1 result rows. */
export async function p1Codec() {
  const { echo, features } = p1Messages();
  const ourEcho = decode(echo);
  const ourFeatures = decode(features);
  check('our echo round-trips', encode(ourEcho).equals(echo));
  check('our features reply round-trips', encode(ourFeatures).equals(features));
  check('our features reply has one port', ourFeatures.ports.length === 1);
  const theirEcho = xo.unpack(echo);
  const theirFeatures = xo.unpack(features);
  // Its unpack gives the datapath id as hex text but pack wants a bigint.
  const theirFeaturesIn = { ...theirFeatures, datapath_id: BigInt(`0x${theirFeatures.datapath_id}`) };
  // Its pack writes header.length into the header it is given: a fresh header per pack.
  const packTheirs = (m) => xo.pack({ ...m, header: { ...m.header } });
  check('their echo round-trips', packTheirs(theirEcho).equals(echo));
  check('their features reply round-trips', packTheirs(theirFeaturesIn).equals(features));

  const { packetIn, flowMod } = p1Messages13();
  check('bare FLOW_MOD equals ours', bareFlowMod().equals(encode(flowMod)));
  check('bare in_port equals ours', bareInPort(packetIn) === decode(packetIn).match.inPort);

  let sink = 0;
  const loop = (fn, input) => () => {
    for (let i = 0; i < BATCH; i++) sink += fn(input).length ?? 1;
  };
  const tasks = {
    'decode ECHO_REQUEST': [loop((b) => decode(b).data, echo), loop((b) => xo.unpack(b).header, echo)],
    'decode FEATURES_REPLY': [loop((b) => decode(b).ports, features), loop((b) => xo.unpack(b).ports, features)],
    'encode ECHO_REQUEST': [loop(encode, ourEcho), loop(packTheirs, theirEcho)],
    'encode FEATURES_REPLY': [loop(encode, ourFeatures), loop(packTheirs, theirFeaturesIn)],
    'decode PACKET_IN + read in_port': [loop((b) => [decode(b).match.inPort], packetIn), loop((b) => [bareInPort(b)], packetIn)],
    'encode FLOW_MOD': [loop(encode, flowMod), loop(bareFlowMod, undefined)],
  };
  // Built only after the rows above are measured (see below).
  const fastReplyTasks = () => ({
    'fast-reply step (OF1.0)': Object.values(fastReplySteps(1)).map((f) => loop(f, undefined)),
    'fast-reply step (OF1.3)': Object.values(fastReplySteps(4)).map((f) => loop(f, undefined)),
  });
  const OF13 = new Set(['decode PACKET_IN + read in_port', 'encode FLOW_MOD']);
  const FAST_REPLY = new Set(['fast-reply step (OF1.0)', 'fast-reply step (OF1.3)']);

  // Rounds alternate ours/theirs per message so slow drift of a noisy machine hits both alike.
  // The fast-reply steps are set up and run after every round of the other rows: their setup and
  // loops feed the shared encode functions more message types, which V8 then dispatches more
  // slowly (encode ECHO_REQUEST measured 52-63 ns before, 93 after, whatever the codec), and the
  // older rows must stay comparable with runs made before these rows existed.
  const rounds = smoke() ? 1 : 3;
  const time = smoke() ? 5 : 250;
  const ns = {};
  const groups = [() => Object.entries(tasks), () => {
    const more = fastReplyTasks();
    Object.assign(tasks, more);
    return Object.entries(more);
  }];
  for (const makeGroup of groups) {
    const group = makeGroup();
    for (let r = 0; r < rounds; r++) {
      const bench = new Bench({ time, warmupTime: smoke() ? 5 : 100, iterations: smoke() ? 1 : 10, throws: true });
      for (const [name, [ours, theirs]] of group) bench.add(`${name} ours`, ours).add(`${name} theirs`, theirs);
      await bench.run();
      for (const task of bench.tasks) {
        const perOp = (task.result.latency.mean * 1e6) / BATCH;
        (ns[task.name] ??= []).push(perOp);
      }
    }
  }
  if (!Number.isFinite(sink)) throw new Error('unreachable');

  return Object.keys(tasks).map((name) => {
    const ours = median(ns[`${name} ours`]);
    const theirs = median(ns[`${name} theirs`]);
    if (FAST_REPLY.has(name)) {
      // P4's goal (>= 0.7 of bare) leaves the library about 1.4x bare's CPU per message for framing,
      // events, queues and writes as well: the codec's step cannot cost much more than bare's.
      return row(`P1 ${name}: decode PACKET_IN, encodeInto PACKET_OUT`, round(ours, 1), 'ns/op', round(theirs, 1),
        round(theirs / ours, 2), { op: '>=', value: 0.5, unit: ' of hand-written speed' });
    }
    if (OF13.has(name)) {
      // against code that knows the one layout it handles: the price of a general codec
      const label = name.startsWith('decode') ? '(OF1.3, 4-field OXM match)' : '(OF1.3, 3-field match, 2 actions)';
      const goal = name.startsWith('decode') ? 0.05 : 0.25;
      return row(`P1 ${name} ${label}`, round(ours, 1), 'ns/op', round(theirs, 1), round(theirs / ours, 2),
        { op: '>=', value: goal, unit: ' of hand-written speed' });
    }
    const goal = name.startsWith('decode') ? 5 : 3;
    return row(`P1 ${name} (OF1.1)`, round(ours, 1), 'ns/op', round(theirs, 1), round(theirs / ours, 2),
      { op: '>=', value: goal, unit: 'x faster' });
  });
}

const round = (x, digits) => Number(x.toFixed(digits));
