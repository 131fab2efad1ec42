/**
 * Transport probing against a broken network (docs/DESIGN.md, "Transport probing"): an idle peer blackholed, a peer
 * blackholed while we send, an injected RST, and the cost of an idle connection (wakeups, the
 * kernel's keepalive timer). Each scenario has its own namespace; the rconn (transport probing,
 * P = 5 s) and a library listener run there as child processes on 127.0.0.1.
 */
import { beforeAll, describe, expect } from 'vitest';
import { itWithNetns, withNetns, type Netns } from '../support/netns.js';
import { P, baseOptions, ensureDist, isEvent, reportFault, sleep, startPeer, startRconns, type ChildEvent, type JsonChild } from './harness.js';

const MAX_BACKOFF_MS = baseOptions.maxBackoff * 1000;
// Disconnect bound of the brief: TCP_USER_TIMEOUT is 2P, plus slack for scheduling.
const DETECT_BOUND_MS = 2 * P * 1000 + 2000;

/**
 * A library listener on `port` in `ns` and one transport-probing rconn `name`, connected to it;
 * `watchIdle` as given (the default looks only when asked).
 */
async function connectedRconn(ns: Netns, name: string, port: number, watchIdle = false): Promise<{ rc: JsonChild; up: ChildEvent }> {
  await startPeer(ns, 'listener', port);
  const rc = startRconns(ns, [{ name, target: `tcp:127.0.0.1:${port}`, options: { ...baseOptions, probe: 'transport', watchIdle } }]);
  const up = await rc.waitFor(isEvent(name, 'connected'), 10_000, 0, 'connected');
  return { rc, up };
}

describe.concurrent('fault injection: blackhole, RST, idle cost (network namespace)', () => {
  beforeAll(() => ensureDist(), 120_000);

  // watchIdle: a quiet connection is looked at 1 s after the kernel's first probe (about P after
  // connecting), then 1 s after every other probe: at about P + 1, 3P + 1, 5P + 1 s. Blackholed
  // at 2P + 2 s, the first unanswered probe (3P) is one that is looked at.
  itWithNetns('watchIdle, blackholed idle peer, before a probe that is looked at: IDLE first, then ETIMEDOUT within 2P + 2 s; reconnects once the rule is gone', () =>
    withNetns(async (ns) => {
      const port = 6651;
      const { rc, up } = await connectedRconn(ns, 'bh', port, true);
      expect(up.probe).toBe('transport');
      // Let a few keepalive rounds pass first: a healthy peer answers them and never looks idle.
      await sleep(2 * P * 1000 + 2000);
      expect(rc.of('bh', 'probe').filter((e) => e.phase === 'idle')).toEqual([]);
      expect((await rc.status()).bh!.wakeups).toBeGreaterThan(0);

      ns.dropPort(port);
      const t0 = Date.now();
      const down = await rc.waitFor(isEvent('bh', 'disconnected'), DETECT_BOUND_MS + 5000, 0, 'disconnected');
      const detectMs = down.t - t0;
      const idle = rc.of('bh', 'probe', t0, down.t).find((e) => e.phase === 'idle');

      // Keep the network broken a little longer so attempts fail and the backoff grows.
      await sleep(3000);
      ns.undropPort(port);
      const t1 = Date.now();
      const back = await rc.waitFor(isEvent('bh', 'connected', (e) => e.t > t1), MAX_BACKOFF_MS + 5000, 0, 'reconnect');
      const reconnectMs = back.t - t1;
      const failed = rc.of('bh', 'connectFailed', down.t, t1).map((e) => e.code);
      reportFault('blackhole-idle', {
        detect_ms: detectMs, err: down.code, idle_after_ms: idle ? idle.t - t0 : 'never',
        failed_attempts: failed.length ? failed : 'none', reconnect_ms: reconnectMs,
      });

      expect(down.code).toBe('ETIMEDOUT');
      expect(detectMs).toBeLessThanOrEqual(DETECT_BOUND_MS);
      expect(idle, 'status() never showed IDLE before the disconnect').toBeDefined();
      expect((idle!.status as { state: string }).state).toBe('IDLE');
      expect(reconnectMs).toBeLessThanOrEqual(MAX_BACKOFF_MS + 1000);
    }, 'ofrf-bhi'), 60_000);

  // watchIdle, blackholed at P + 2 s, after the look at P + 1 s: the kernel's next probe (2P) goes
  // unanswered and the kernel ends the connection at 3P, before the next look (3P + 1 s). No IDLE
  // then, and the disconnect is no later: it is the kernel's.
  itWithNetns('watchIdle, blackholed idle peer, after a probe that was looked at: ETIMEDOUT within 2P + 2 s all the same', () =>
    withNetns(async (ns) => {
      const port = 6655;
      const { rc } = await connectedRconn(ns, 'bh2', port, true);
      await sleep(P * 1000 + 2000);
      expect(rc.of('bh2', 'probe').filter((e) => e.phase === 'idle')).toEqual([]);
      ns.dropPort(port);
      const t0 = Date.now();
      const down = await rc.waitFor(isEvent('bh2', 'disconnected'), DETECT_BOUND_MS + 5000, 0, 'disconnected');
      const idle = rc.of('bh2', 'probe', t0, down.t).find((e) => e.phase === 'idle');
      reportFault('blackhole-idle-after-look', { detect_ms: down.t - t0, err: down.code, idle_after_ms: idle ? idle.t - t0 : 'never' });
      expect(down.code).toBe('ETIMEDOUT');
      expect(down.t - t0).toBeLessThanOrEqual(DETECT_BOUND_MS);
    }, 'ofrf-bha'), 60_000);

  // The default: no look unless asked. The kernel alone ends the connection, 2P after the last
  // segment received; a status() query while its probe is unanswered shows IDLE.
  itWithNetns('looks on demand, blackholed idle peer: no wakeup at all, IDLE when asked, ETIMEDOUT within 2P + 2 s', () =>
    withNetns(async (ns) => {
      const port = 6656;
      const { rc } = await connectedRconn(ns, 'od', port);
      const w0 = (await rc.status()).od!.wakeups;
      await sleep(P * 1000 + 2000);
      ns.dropPort(port);
      const t0 = Date.now();
      // Asked twice a second, as a monitoring loop would.
      const states: string[] = [];
      let wakeups = 0;
      while (!rc.of('od', 'disconnected').length && Date.now() - t0 < DETECT_BOUND_MS + 5000) {
        await sleep(500);
        const s = (await rc.status()).od!;
        if (rc.of('od', 'disconnected').length) break;
        states.push(s.state as string);
        wakeups = (s.wakeups as number) - w0;
      }
      const down = rc.of('od', 'disconnected')[0];
      expect(down, 'never disconnected').toBeDefined();
      reportFault('blackhole-idle-on-demand', { detect_ms: down!.t - t0, err: down!.code, idle_seen: states.includes('IDLE'), wakeups });
      expect(down!.code).toBe('ETIMEDOUT');
      expect(down!.t - t0).toBeLessThanOrEqual(DETECT_BOUND_MS);
      expect(states[0]).toBe('ACTIVE');
      expect(states).toContain('IDLE');
      expect(wakeups).toBe(0);
    }, 'ofrf-bho'), 60_000);

  itWithNetns('peer blackholed while we send every 500 ms: ETIMEDOUT within 2P + 2 s (TCP_USER_TIMEOUT)', () =>
    withNetns(async (ns) => {
      const port = 6652;
      const { rc } = await connectedRconn(ns, 'tx', port);
      rc.send({ cmd: 'send-every', name: 'tx', ms: 500 });
      await rc.waitFor(isEvent('tx', 'sending'), 5_000, 0, 'sending');
      await sleep(2000);
      // The peer answers our echoes while the network works.
      const before = (await rc.status()).tx!;
      expect(before.rxPackets).toBeGreaterThan(2);

      ns.dropPort(port);
      const t0 = Date.now();
      const down = await rc.waitFor(isEvent('tx', 'disconnected'), DETECT_BOUND_MS + 5000, 0, 'disconnected');
      const detectMs = down.t - t0;
      reportFault('blackhole-sending', { detect_ms: detectMs, err: down.code, rx_before: before.rxPackets });

      expect(down.code).toBe('ETIMEDOUT');
      expect(detectMs).toBeLessThanOrEqual(DETECT_BOUND_MS);
    }, 'ofrf-bhs'), 60_000);

  itWithNetns('injected RST (REJECT --reject-with tcp-reset): ECONNRESET at the next keepalive, then reconnect', () =>
    withNetns(async (ns) => {
      const port = 6653;
      const { rc } = await connectedRconn(ns, 'rst', port);
      await sleep(1000);

      ns.resetPort(port);
      const t0 = Date.now();
      // The idle connection sends nothing until its keepalive probe, P s after the last segment.
      const down = await rc.waitFor(isEvent('rst', 'disconnected'), P * 1000 + 7000, 0, 'disconnected');
      const detectMs = down.t - t0;
      ns.unresetPort(port);
      const t1 = Date.now();
      const back = await rc.waitFor(isEvent('rst', 'connected', (e) => e.t > down.t), MAX_BACKOFF_MS + 5000, 0, 'reconnect');
      reportFault('rst', { detect_ms: detectMs, err: down.code, reconnect_ms: back.t - t1 });

      expect(down.code).toBe('ECONNRESET');
      expect(detectMs).toBeLessThanOrEqual(P * 1000 + 2000);
      expect(back.t - t1).toBeLessThanOrEqual(MAX_BACKOFF_MS + 1000);
    }, 'ofrf-rst'), 60_000);

  itWithNetns('30 s idle in transport mode: no wakeup by default, at most 31 with watchIdle, and the kernel keepalive timer runs', () =>
    withNetns(async (ns) => {
      const port = 6654;
      await startPeer(ns, 'listener', port);
      const target = `tcp:127.0.0.1:${port}`;
      const rc = startRconns(ns, [
        { name: 'idle', target, options: { ...baseOptions, probe: 'transport' } },
        { name: 'watch', target, options: { ...baseOptions, probe: 'transport', watchIdle: true } },
      ]);
      await rc.waitFor(isEvent('idle', 'connected'), 10_000, 0, 'connected');
      await rc.waitFor(isEvent('watch', 'connected'), 10_000, 0, 'connected');
      const before = await rc.status();
      await sleep(15_000);
      const ss = ns.run('ss', ['-tnoi', 'state', 'established', `( dport = :${port} )`]);
      await sleep(15_000);
      const after = await rc.status();
      const wakeups = (name: string) => after[name]!.wakeups - before[name]!.wakeups;
      const timers = ss.match(/timer:\(keepalive,/g) ?? [];
      reportFault('idle-wakeups', { on_demand: wakeups('idle'), watch_idle: wakeups('watch'), over_ms: 30_000, keepalive_timers: timers.length });

      for (const name of ['idle', 'watch']) {
        expect(after[name]!.state).toBe('ACTIVE');
        expect(after[name]!.probe).toBe('transport');
        expect(rc.of(name, 'disconnected')).toEqual([]);
      }
      expect(wakeups('idle')).toBe(0);
      // watchIdle looks 1 s after the kernel's first probe, then after every other one: about 4
      // looks in 30 s, never more than one a second.
      expect(wakeups('watch')).toBeGreaterThan(0);
      expect(wakeups('watch')).toBeLessThanOrEqual(31);
      // Both of our sockets (remote port = the listener's) have the kernel's keepalive timer.
      expect(timers.length, ss).toBe(2);
    }, 'ofrf-wk'), 60_000);
});
