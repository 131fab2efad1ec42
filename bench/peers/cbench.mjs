// The P4 load generator, in its own process: `switches` cbench-style switches (./cbench-switch.mjs)
// in throughput mode against the controller at `port`; it counts the answers. It has no dependency
// on the library, so it loads every controller alike.
import { FakeSwitch } from './cbench-switch.mjs';
import { servePeer, sleep } from '../lib/util.mjs';

/**
 * Connects `switches` fake switches to `port`, loads the controller, returns answers per second
 * and each switch's answers over the measured window.
 */
async function run({ port, switches, window, warmMs, ms, version = 1, flood = false }) {
  const sws = Array.from({ length: switches }, (_, i) => new FakeSwitch(port, i, window, 5000, { version, flood }));
  try {
    await Promise.all(sws.map((s) => s.ready));
    for (const s of sws) s.start();
    await sleep(warmMs);
    const c0 = sws.map((s) => s.answered);
    const t0 = performance.now();
    await sleep(ms);
    const elapsed = performance.now() - t0;
    const perSwitch = sws.map((s, i) => s.answered - c0[i]);
    const rate = (perSwitch.reduce((a, b) => a + b, 0) * 1000) / elapsed;
    return { rate, perSwitch };
  } finally {
    for (const s of sws) s.close();
  }
}

servePeer(async (msg) => {
  if (msg.cmd === 'run') return run(msg);
  throw new Error(`unknown command ${JSON.stringify(msg)}`);
});
