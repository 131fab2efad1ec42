/**
 * `ofrconn demo` (what `npm start` runs): a controller and a switch emulator on loopback in one
 * process. The script, scaled to `--duration` (default 20 s):
 *   0 s      controller listens on 127.0.0.1 (ephemeral port), the switch connects: HELLO
 *            negotiation, the probe mode chosen, the datapath id, an echo round trip;
 *   0.4 x D  the controller "restarts": it drops the switch and refuses connections for 0.2 x D,
 *            so the switch's attempts fail and its backoff grows (1 s, 2 s, ...);
 *   0.6 x D  the controller listens again on the same port; the switch reconnects on its next try;
 *   D        summary, exit 0.
 */
import type { CliArgs } from './args.js';
import { startController } from './controller.js';
import type { Endpoint, RoleContext } from './endpoint.js';
import { startSwitch } from './switch.js';

/** The demo shows echo RTTs from the library's own probes too: hybrid probing every 5 s of silence. */
const DEMO_ECHO_INTERVAL = 5;
const LOOPBACK = '127.0.0.1';

export async function runDemo(args: CliArgs, base: RoleContext, stop: AbortSignal): Promise<void> {
  const { reporter } = base;
  const duration = args.duration;
  const ctx = (label: string): RoleContext => ({
    ...base,
    label,
    rconnOptions: { echoInterval: DEMO_ECHO_INTERVAL, ...base.rconnOptions },
  });
  const t0 = performance.now();
  const at = (seconds: number): Promise<void> => sleep(seconds * 1000 - (performance.now() - t0), stop);

  reporter.note('demo', 'demo', `a controller and a switch emulator on loopback for ${duration} s (Ctrl-C ends it early)`);
  reporter.note('demo', 'demo', 'probe transport = TCP keepalive: the peer\'s kernel answers, so a busy peer process is never ' +
    'dropped; probe echo (OFPT_ECHO_REQUEST) is the fallback where the transport cannot probe');
  let controller: Endpoint | null = await startController(`ptcp:0:${LOOPBACK}`, ctx('controller'));
  const port = controller.port!;
  const sw = await startSwitch(`tcp:${LOOPBACK}:${port}`, ctx('switch'), args.datapathId ?? 1n);
  reporter.start();

  try {
    const dropAt = duration * 0.4;
    const backAt = duration * 0.6;
    await at(dropAt);
    if (stop.aborted) return;
    reporter.note('demo', 'demo', `forced disconnect: the controller drops the switch and refuses connections for ` +
      `${(backAt - dropAt).toFixed(1)} s; watch the switch back off and retry`);
    const closing = controller;
    controller = null;
    await closing.close();

    await at(backAt);
    if (stop.aborted) return;
    reporter.note('demo', 'demo', `the controller listens again on ptcp:${port}:${LOOPBACK}; the switch reconnects on its next attempt`);
    controller = await startController(`ptcp:${port}:${LOOPBACK}`, ctx('controller'));

    await at(duration);
    if (!stop.aborted) reporter.note('demo', 'demo', `${duration} s are up`);
  } finally {
    await Promise.all([sw.close(), controller?.close()]);
  }
}

/**
 * Resolves after `ms` (Infinity: never), or at once when `signal` aborts. The pending timer keeps
 * the process alive meanwhile, whatever else is or is not holding the event loop.
 */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted || ms <= 0) { resolve(); return; }
    // setTimeout treats anything above 2^31-1 ms as 1 ms; an endless wait is a long idle interval.
    const timer = Number.isFinite(ms) && ms < MAX_TIMER_MS ? setTimeout(() => done(), ms) : setInterval(() => {}, MAX_TIMER_MS);
    const done = (): void => { clearTimeout(timer); clearInterval(timer); signal.removeEventListener('abort', done); resolve(); };
    signal.addEventListener('abort', done, { once: true });
  });
}

const MAX_TIMER_MS = 2 ** 31 - 1;
