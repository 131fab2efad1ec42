// P1: decode and encode of ECHO_REQUEST and FEATURES_REPLY (one port) on OpenFlow 1.1 wire bytes,
// against @xen-orchestra/openflow on the same bytes, in-process (pure CPU, no I/O).
import { Bench } from 'tinybench';
import xoModule from '@xen-orchestra/openflow';
import { decode, encode } from '../dist/ofp/index.js';
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

  let sink = 0;
  const loop = (fn, input) => () => {
    for (let i = 0; i < BATCH; i++) sink += fn(input).length ?? 1;
  };
  const tasks = {
    'decode ECHO_REQUEST': [loop((b) => decode(b).data, echo), loop((b) => xo.unpack(b).header, echo)],
    'decode FEATURES_REPLY': [loop((b) => decode(b).ports, features), loop((b) => xo.unpack(b).ports, features)],
    'encode ECHO_REQUEST': [loop(encode, ourEcho), loop(packTheirs, theirEcho)],
    'encode FEATURES_REPLY': [loop(encode, ourFeatures), loop(packTheirs, theirFeaturesIn)],
  };

  // Rounds alternate ours/theirs per message so slow drift of a noisy machine hits both alike.
  const rounds = smoke() ? 1 : 3;
  const time = smoke() ? 5 : 250;
  const ns = {};
  for (let r = 0; r < rounds; r++) {
    const bench = new Bench({ time, warmupTime: smoke() ? 5 : 100, iterations: smoke() ? 1 : 10, throws: true });
    for (const [name, [ours, theirs]] of Object.entries(tasks)) {
      bench.add(`${name} ours`, ours).add(`${name} theirs`, theirs);
    }
    await bench.run();
    for (const task of bench.tasks) {
      const perOp = (task.result.latency.mean * 1e6) / BATCH;
      (ns[task.name] ??= []).push(perOp);
    }
  }
  if (!Number.isFinite(sink)) throw new Error('unreachable');

  return Object.keys(tasks).map((name) => {
    const ours = median(ns[`${name} ours`]);
    const theirs = median(ns[`${name} theirs`]);
    const goal = name.startsWith('decode') ? 5 : 3;
    return row(`P1 ${name} (OF1.1)`, round(ours, 1), 'ns/op', round(theirs, 1), round(theirs / ours, 2),
      { op: '>=', value: goal, unit: 'x faster' });
  });
}

const round = (x, digits) => Number(x.toFixed(digits));
