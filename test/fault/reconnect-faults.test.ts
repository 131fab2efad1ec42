/**
 * Reconnect timing against peers that are not there or do not talk (docs/DESIGN.md, "The state machine"): a listener
 * that is down for 30 s, and a peer that accepts TCP but never sends HELLO. backoffJitter is 0, so
 * the attempt times are the plain doubling sequence 1, 2, 4, 8, 8 s.
 */
import { beforeAll, describe, expect } from 'vitest';
import { itWithNetns, withNetns } from '../support/netns.js';
import { baseOptions, ensureDist, isEvent, reportFault, sleep, startPeer, startRconns, type ChildEvent } from './harness.js';

// Timers never fire early; late by a scheduling delay at most (generous for a loaded CI machine).
const EARLY_MS = 100;
const LATE_MS = 750;

const gaps = (times: number[]): number[] => times.slice(1).map((t, i) => t - times[i]!);

function expectNear(actual: number[], expected: number[], what: string): void {
  expect(actual.length, what).toBeGreaterThanOrEqual(expected.length);
  expected.forEach((want, i) => {
    const got = actual[i]!;
    expect(got, `${what}[${i}] = ${got} ms, expected ~${want}`).toBeGreaterThanOrEqual(want - EARLY_MS);
    expect(got, `${what}[${i}] = ${got} ms, expected ~${want}`).toBeLessThanOrEqual(want + LATE_MS);
  });
}

describe.concurrent('fault injection: reconnect timing (network namespace)', () => {
  beforeAll(() => ensureDist(), 120_000);

  itWithNetns('listener down for 30 s: attempts 1, 2, 4, 8, 8 s apart, then connected', () =>
    withNetns(async (ns) => {
      const port = 6655;
      const first = await startPeer(ns, 'listener', port);
      const rc = startRconns(ns, [{ name: 'lr', target: `tcp:127.0.0.1:${port}`, options: { ...baseOptions, probe: 'transport' } }]);
      await rc.waitFor(isEvent('lr', 'connected'), 10_000, 0, 'connected');
      await sleep(500);

      first.proc.kill('SIGKILL');
      const down = await rc.waitFor(isEvent('lr', 'disconnected'), 5_000, 0, 'disconnected');
      const t0 = Date.now();
      await sleep(30_000);
      await startPeer(ns, 'listener', port);
      const t1 = Date.now();
      const back = await rc.waitFor(isEvent('lr', 'connected', (e) => e.t > t1), baseOptions.maxBackoff * 1000 + 5000, 0, 'reconnect');

      const attempts = rc.of('lr', 'state', down.t, back.t).filter((e) => e.state === 'CONNECTING').map((e) => e.t);
      const failures = rc.of('lr', 'connectFailed', down.t, back.t);
      const intervals = gaps([down.t, ...attempts]);
      reportFault('listener-restart', {
        down_ms: t1 - t0, attempt_gaps_ms: intervals, failures: failures.map((e) => e.code),
        reconnect_after_listener_ms: back.t - t1,
      });

      expect(down.code === 'EOF' || down.code === 'ECONNRESET', `disconnect code ${down.code}`).toBe(true);
      // From the disconnect: 1, 2, 4, 8, 8 s to each attempt, and 8 s from then on.
      expectNear(intervals, [1000, 2000, 4000, 8000, 8000], 'attempt gaps');
      expectNear(intervals.slice(5), intervals.slice(5).map(() => 8000), 'later attempt gaps');
      // Every attempt but the last one was refused.
      expect(failures).toHaveLength(attempts.length - 1);
      for (const f of failures) expect(f.code).toBe('ECONNREFUSED');
      expect(back.t - t1).toBeLessThanOrEqual(baseOptions.maxBackoff * 1000 + 1000);
    }, 'ofrf-lr'), 75_000);

  itWithNetns('peer never sends HELLO: dropped at max(1 s, backoff), and the backoff grows', () =>
    withNetns(async (ns) => {
      const port = 6656;
      const peer = await startPeer(ns, 'silent', port);
      const rc = startRconns(ns, [{ name: 'hello', target: `tcp:127.0.0.1:${port}`, options: { ...baseOptions, probe: 'transport' } }]);
      // Attempts start at 0, 2, 5, 11, 23 s: four full failures take 15 s.
      const fourth = await rc.waitFor((e) => e.name === 'hello' && e.ev === 'connectFailed' && rc.of('hello', 'connectFailed').indexOf(e) === 3, 25_000, 0, '4 failures');
      const fifth = await rc.waitFor((e) => e.name === 'hello' && e.ev === 'state' && e.state === 'CONNECTING' && e.t > fourth.t, 12_000, 0, '5th attempt');

      const attempts = rc.of('hello', 'state', 0, fifth.t).filter((e) => e.state === 'CONNECTING');
      const failures: ChildEvent[] = rc.of('hello', 'connectFailed', 0, fourth.t);
      const held = failures.map((f, i) => f.t - attempts[i]!.t);
      const waited = failures.map((f, i) => attempts[i + 1]!.t - f.t);
      reportFault('hello-timeout', {
        held_ms: held, backoff_ms: waited, retry_in_ms: failures.map((f) => f.retryIn), err: failures.map((f) => f.code),
        peer_accepted: peer.events.filter((e) => e.ev === 'accepted').length,
        peer_saw_close: peer.events.filter((e) => e.ev === 'peer-closed').length,
      });

      expect(rc.of('hello', 'connected')).toEqual([]);
      for (const f of failures) expect(f.code).toBe('ETIMEDOUT');
      // The HELLO deadline is max(1 s, current backoff): 1, 1, 2, 4 s for backoffs 0, 1, 2, 4.
      expectNear(held, [1000, 1000, 2000, 4000], 'HELLO wait');
      // And the backoff doubles between attempts.
      expectNear(waited, [1000, 2000, 4000, 8000], 'backoff');
      expect(failures.map((f) => f.retryIn)).toEqual([1000, 2000, 4000, 8000]);
      // Each attempt reached the peer over TCP and was then closed by us.
      await sleep(200);
      expect(peer.events.filter((e) => e.ev === 'accepted').length).toBeGreaterThanOrEqual(5);
      expect(peer.events.filter((e) => e.ev === 'peer-closed').length).toBeGreaterThanOrEqual(4);
    }, 'ofrf-hello'), 60_000);
});
