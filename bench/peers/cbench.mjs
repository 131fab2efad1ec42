// The P4 load generator, cbench style (throughput mode), in its own process: N emulated OpenFlow 1.0
// switches (cbench-switch.mjs) connect, exchange HELLO, wait for the controller's FEATURES_REQUEST
// as stock cbench does, then each keeps WINDOW PACKET_INs outstanding and sends one more for every
// PACKET_OUT or FLOW_MOD that comes back, batched into one write per received chunk. The rate
// counts those answers. It has no dependency on the library, so it loads every controller alike.
import { FakeSwitch } from './cbench-switch.mjs';
import { servePeer, sleep } from '../lib/util.mjs';

/** Connects `switches` fake switches to `port`, loads the controller, returns answers per second. */
async function run({ port, switches, window, warmMs, ms }) {
  const sws = Array.from({ length: switches }, (_, i) => new FakeSwitch(port, i, window));
  try {
    await Promise.all(sws.map((s) => s.ready));
    for (const s of sws) s.start();
    await sleep(warmMs);
    const total = () => sws.reduce((n, s) => n + s.answered, 0);
    const c0 = total();
    const t0 = performance.now();
    await sleep(ms);
    const elapsed = performance.now() - t0;
    const rate = ((total() - c0) * 1000) / elapsed;
    return { rate, perSwitch: sws.map((s) => s.answered) };
  } finally {
    for (const s of sws) s.close();
  }
}

servePeer(async (msg) => {
  if (msg.cmd === 'run') return run(msg);
  throw new Error(`unknown command ${JSON.stringify(msg)}`);
});
