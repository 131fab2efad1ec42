// P4: an OpenFlow 1.0 fast-reply controller (PACKET_IN -> PACKET_OUT) built on Rconn, under 16
// emulated switches in throughput mode, vs a bare net.Server controller parsing by hand. The
// generator (bench/peers/cbench.mjs) runs in a child process; the controller runs here, alone on
// its event loop, as it would in production.
import { startFastReply10 } from './controllers/fast-reply-10.mjs';
import { startBare10 } from './controllers/bare-10.mjs';
import { median, row, smoke, startPeer } from './lib/util.mjs';

const SWITCHES = 16;
const WINDOW = 64;

const variants = {
  rconn: () => startFastReply10(),
  bare: () => startBare10({ batched: false }),
  bareBatched: () => startBare10({ batched: true }),
};

export async function p4FastReply() {
  const gen = startPeer('peers/cbench.mjs');
  try {
    const rounds = smoke() ? 1 : 3;
    const [warmMs, ms] = smoke() ? [50, 100] : [500, 2000];
    const switches = smoke() ? 2 : SWITCHES;
    const rates = { rconn: [], bare: [], bareBatched: [] };
    for (let i = 0; i < rounds; i++) {
      for (const [name, start] of Object.entries(variants)) {
        const ctl = await start();
        try {
          const r = await gen.request({ cmd: 'run', port: ctl.port, switches, window: WINDOW, warmMs, ms });
          rates[name].push(r.rate);
        } finally {
          await ctl.close();
        }
      }
    }
    const value = median(rates.rconn);
    // send() leaves one write per event-loop turn, so the fair bare controller batches likewise.
    const baseline = median(rates.bareBatched);
    const round = (xs) => xs.map(Math.round);
    return [row(`P4 fast-reply controller, ${switches} switches`, Math.round(value), 'PACKET_OUT/s', Math.round(baseline),
      Number((value / baseline).toFixed(3)), { op: '>=', value: 0.7, unit: ' of bare' },
      {
        rounds: { rconn: round(rates.rconn), bare: round(rates.bare), bareBatched: round(rates.bareBatched) },
        bareUnbatchedMedian: Math.round(median(rates.bare)),
        ratioToBareUnbatched: Number((value / median(rates.bare)).toFixed(3)),
        windowPerSwitch: WINDOW,
      })];
  } finally {
    await gen.stop();
  }
}
