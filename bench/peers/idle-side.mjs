// One side of P5's idle Rconn pairs, in its own process (started with --expose-gc and a raised
// descriptor limit). Role 'server': Pvconn listeners whose accepted connections are adopted by
// Rconns. Role 'client': reliable Rconns connecting to them. Splitting the pairs over two processes
// keeps each under a 20,000-descriptor hard limit, and is how they run in life anyway (a
// controller and its switches). Commands: listen | connect | count | begin | end.
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import { Rconn } from '../../dist/rconn/index.js';
import { Pvconn } from '../../dist/vconn/index.js';
import { servePeer, sleep } from '../lib/util.mjs';

// Connects in flight at once: fast enough to open 10,000 in seconds, few enough that each HELLO
// finishes well inside the rconn's 1 s CONNECTING deadline.
const IN_FLIGHT = 64;
// Time for V8's concurrent sweeping after the heap measurement's forced GCs (see begin()).
const SWEEP_MS = process.env.BENCH_SMOKE === '1' ? 0 : 2000;

const rconns = [];
let lost = 0;
// Why connections dropped while they should have sat idle: error text -> count.
const lostWhy = {};
let measuring = false;
let heapBefore = 0;
let window = null;
// BENCH_P5_WINDOW_PROF=dir: a CPU profile of the measured window only (not the connect phase).
const profDir = process.env.BENCH_P5_WINDOW_PROF;
let profiler = null;

function gcHeap() {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed;
}

function track(r) {
  rconns.push(r);
  r.on('disconnected', ({ error }) => {
    if (!measuring) return;
    lost++;
    const why = String(error?.message ?? 'closed').replace(/\d+(\.\d+)*(:\d+)?/g, 'N');
    lostWhy[why] = (lostWhy[why] ?? 0) + 1;
  });
}

// `probeInterval` (seconds, the rconn default 5 when absent; 0 turns probing off for the floor);
// `watchIdle` as the rconn option (absent: its default, looks on demand).
async function listen({ addresses, probeInterval, watchIdle }) {
  const listeners = [];
  for (let a = 1; a <= addresses; a++) {
    const pv = await Pvconn.listen(`ptcp:0:127.0.0.${a}`);
    pv.on('error', () => {});
    pv.on('vconn', (vconn) => track(new Rconn({ name: 'idle-server', probeInterval, watchIdle }).adopt(vconn)));
    listeners.push(pv);
  }
  heapBefore = gcHeap();
  return { targets: listeners.map((pv, i) => `tcp:127.0.0.${i + 1}:${pv.address().port}`) };
}

async function connect({ targets, pairs, probeInterval, watchIdle }) {
  heapBefore = gcHeap();
  const t0 = performance.now();
  let next = 0;
  let failures = 0;
  const worker = async () => {
    while (next < pairs) {
      const i = next++;
      const r = new Rconn({ name: `idle-client-${i}`, probeInterval, watchIdle });
      track(r);
      r.on('connectFailed', () => { failures++; });
      const up = new Promise((resolve) => r.once('connected', resolve));
      r.connect(targets[i % targets.length]);
      await Promise.race([up, sleep(60_000)]);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return { seconds: (performance.now() - t0) / 1000, failures };
}

async function begin() {
  const connected = rconns.filter((r) => r.isConnected()).length;
  const heapAfter = gcHeap();
  // The forced GCs leave ~150 MB to sweep on V8's helper threads, whose CPU time counts: let
  // that finish before the window opens, or it weighs more than the floor itself. (The
  // children also run with --no-memory-reducer, which would otherwise follow a forced GC with
  // more full GCs some seconds later, inside the window.) The status() reads come before that
  // wait too: with probing each one looks at the transport, and what their garbage leaves V8 to
  // do must run before the window, not in it.
  const wakeups = rconns.map((r) => r.status().wakeups);
  await sleep(SWEEP_MS);
  if (profDir) {
    profiler = new Session();
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  }
  measuring = true;
  window = { wakeups, cpu: process.cpuUsage(), wall: performance.now() };
  return { connected, heapDelta: heapAfter - heapBefore };
}

async function end() {
  const cpu = process.cpuUsage(window.cpu);
  const wallMs = performance.now() - window.wall;
  measuring = false;
  if (profiler) {
    const { profile } = await profiler.post('Profiler.stop');
    fs.mkdirSync(profDir, { recursive: true });
    fs.writeFileSync(`${profDir}/p5-window-${process.pid}.cpuprofile`, JSON.stringify(profile));
    profiler.disconnect();
  }
  // Rconns made during the window (reconnects after a loss) count from zero.
  const all = rconns.map((r, i) => r.status().wakeups - (window.wakeups[i] ?? 0));
  const perConn = all.slice(0, window.wakeups.length).sort((a, b) => a - b);
  const modes = {};
  for (const r of rconns) { const m = r.status().probe; modes[m] = (modes[m] ?? 0) + 1; }
  return {
    cpuMs: (cpu.user + cpu.system) / 1000,
    cpuUserMs: cpu.user / 1000,
    wallMs,
    wakeups: all.reduce((a, b) => a + b, 0),
    createdInWindow: all.length - window.wakeups.length,
    maxWakeups: perConn.at(-1) ?? 0,
    wakeupsP50: perConn[Math.floor(perConn.length * 0.5)] ?? 0,
    wakeupsP99: perConn[Math.floor(perConn.length * 0.99)] ?? 0,
    lost,
    lostWhy,
    modes,
    rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
  };
}

servePeer(async (msg) => {
  if (typeof globalThis.gc !== 'function') throw new Error('run with --expose-gc');
  switch (msg.cmd) {
    case 'listen': return listen(msg);
    case 'connect': return connect(msg);
    case 'count': return { rconns: rconns.length, connected: rconns.filter((r) => r.isConnected()).length };
    case 'begin': return begin();
    case 'end': return end();
    default: throw new Error(`unknown command ${JSON.stringify(msg)}`);
  }
});
