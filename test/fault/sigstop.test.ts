/**
 * A hung peer (SIGSTOP for 60 s) on an intact network (docs/DESIGN.md, "Transport probing", hybrid echo): the peer's kernel keeps ACKing,
 * so transport probing alone stays connected (the blind spot the hybrid echo covers), echo probing drops it
 * after about 2P, and the hybrid (transport + echoInterval E) after about 2E. The three rconns run
 * side by side in one child against one peer, so the 60 s are spent once.
 */
import { spawn } from 'node:child_process';
import { beforeAll, describe, expect } from 'vitest';
import { itWithNetns, withNetns } from '../support/netns.js';
import { P, baseOptions, ensureDist, isEvent, reportFault, sleep, startPeer, startRconns } from './harness.js';

const E = 15;
const STOP_MS = 60_000;

/**
 * SIGSTOP, wait, SIGCONT, done by a small detached shell rather than by this process: if the test
 * process dies during the minute, the peer is still resumed, sees its stdin closed and exits.
 */
async function freezeFor(pid: number, ms: number): Promise<{ t0: number; t1: number }> {
  const script = 'kill -STOP "$1" && echo stopped && sleep "$2"; kill -CONT "$1"';
  const helper = spawn('sh', ['-c', script, 'freeze', String(pid), String(ms / 1000)], { detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((r) => helper.once('exit', () => r()));
  try {
    await new Promise<void>((resolve, reject) => {
      helper.stdout!.once('data', () => resolve());
      void exited.then(() => reject(new Error(`could not SIGSTOP ${pid}`)));
    });
    const t0 = Date.now();
    await exited;
    return { t0, t1: Date.now() };
  } finally {
    if (helper.exitCode === null && helper.signalCode === null) {
      process.kill(pid, 'SIGCONT');
      helper.kill();
    }
  }
}

describe('fault injection: peer stopped with SIGSTOP (network namespace)', () => {
  beforeAll(() => ensureDist(), 120_000);

  itWithNetns('60 s SIGSTOP: transport stays connected, echo drops at ~2P, hybrid at ~2E', () =>
    withNetns(async (ns) => {
      const port = 6657;
      const peer = await startPeer(ns, 'listener', port);
      const target = `tcp:127.0.0.1:${port}`;
      const rc = startRconns(ns, [
        { name: 'transport', target, options: { ...baseOptions, probe: 'transport' } },
        { name: 'echo', target, options: { ...baseOptions, probe: 'echo' } },
        { name: 'hybrid', target, options: { ...baseOptions, probe: 'transport', echoInterval: E } },
      ]);
      for (const [name, probe] of [['transport', 'transport'], ['echo', 'echo'], ['hybrid', 'transport']] as const) {
        const up = await rc.waitFor(isEvent(name, 'connected'), 10_000, 0, `${name} connected`);
        expect(up.probe).toBe(probe);
      }
      await sleep(2000);
      const seqnoBefore = (await rc.status()).transport!.seqno;

      const { t0, t1 } = await freezeFor(peer.pid, STOP_MS);
      const during = (name: string) => rc.of(name, 'disconnected', t0, t1);
      const transportAfter = (await rc.status()).transport!;
      const echoDown = during('echo')[0];
      const hybridDown = during('hybrid')[0];
      const ms = (e: { t: number } | undefined) => (e ? e.t - t0 : 'none');
      reportFault('sigstop-transport', { disconnects: during('transport').length, state: transportAfter.state, stopped_ms: t1 - t0 });
      reportFault('sigstop-echo', { detect_ms: ms(echoDown), err: echoDown?.code ?? 'none', disconnects: during('echo').length });
      reportFault('sigstop-hybrid', { detect_ms: ms(hybridDown), err: hybridDown?.code ?? 'none', echo_interval_s: E });

      // Transport probing cannot see a hung process whose kernel answers keepalives.
      expect(during('transport')).toEqual([]);
      expect(transportAfter.seqno).toBe(seqnoBefore);
      expect(['ACTIVE', 'IDLE']).toContain(transportAfter.state);

      expect(echoDown, 'echo mode never disconnected').toBeDefined();
      expect(echoDown!.code).toBe('ETIMEDOUT');
      // Silence starts at the last echo reply, up to P before the stop: detection in (P, 2P].
      expect(echoDown!.t - t0).toBeGreaterThanOrEqual(P * 1000 - 1000);
      expect(echoDown!.t - t0).toBeLessThanOrEqual(2 * P * 1000 + 2000);

      expect(hybridDown, 'hybrid mode never disconnected').toBeDefined();
      expect(hybridDown!.code).toBe('ETIMEDOUT');
      expect(hybridDown!.t - t0).toBeGreaterThanOrEqual(E * 1000 - 1000);
      expect(hybridDown!.t - t0).toBeLessThanOrEqual(2 * E * 1000 + 2000);
      // The hybrid connection was not dropped early by its transport half.
      expect(during('hybrid')).toHaveLength(1);

      // Once the peer runs again, the dropped rconns come back.
      for (const name of ['echo', 'hybrid']) {
        await rc.waitFor(isEvent(name, 'connected', (e) => e.t > t1), 2 * baseOptions.maxBackoff * 1000 + 5000, 0, `${name} reconnect`);
      }
    }, 'ofrf-stop'), 120_000);
});
