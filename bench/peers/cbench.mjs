// The P4 load generator, in its own process: `switches` cbench-style switches (./cbench-switch.mjs)
// in throughput mode against the controller at `port` ('start', then 'measure' over the window);
// it counts the answers. It has no dependency
// on the library, so it loads every controller alike.
import { FakeSwitch } from './cbench-switch.mjs';
import { servePeer, sleep } from '../lib/util.mjs';

let loading = null;

/**
 * Connects `switches` fake switches to `port` and starts loading the controller; answers once the
 * `warmMs` warm-up is over, so the caller can read its own CPU clock as the window opens.
 */
async function start({ port, switches, window, warmMs, version = 1, flood = false }) {
  if (loading) throw new Error('a run is already under way');
  const sws = Array.from({ length: switches }, (_, i) => new FakeSwitch(port, i, window, 5000, { version, flood }));
  loading = sws;
  try {
    await Promise.all(sws.map((s) => s.ready));
    for (const s of sws) s.start();
    await sleep(warmMs);
  } catch (err) {
    stop();
    throw err;
  }
  return {};
}

/** Counts answers over `ms` from now: answers per second and each switch's answers; ends the run. */
async function measure({ ms }) {
  const sws = loading;
  if (!sws) throw new Error('no run started');
  try {
    const c0 = sws.map((s) => s.answered);
    const t0 = performance.now();
    await sleep(ms);
    const elapsed = performance.now() - t0;
    const perSwitch = sws.map((s, i) => s.answered - c0[i]);
    const rate = (perSwitch.reduce((a, b) => a + b, 0) * 1000) / elapsed;
    return { rate, perSwitch };
  } finally {
    stop();
  }
}

function stop() {
  for (const s of loading ?? []) s.close();
  loading = null;
}

servePeer(async (msg) => {
  if (msg.cmd === 'start') return start(msg);
  if (msg.cmd === 'measure') return measure(msg);
  throw new Error(`unknown command ${JSON.stringify(msg)}`);
});
