/**
 * Rules of the Reconnect machine that transcripts show poorly: option handling, errors, the
 * receive-attempted default, and invariants over random input sequences (fast-check).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RconnError } from '../../src/errors.js';
import { Reconnect, type ReconnectAction } from '../../src/reconnect/index.js';

describe('Reconnect options', () => {
  it('has the OVS defaults', () => {
    const r = new Reconnect(0);
    expect(r.state).toBe('VOID');
    expect(r.getProbeInterval()).toBe(5000);
    expect(r.getMaxTries()).toBe(Infinity);
    expect(r.isAppProbe()).toBe(true);
    expect(r.getMinBackoff()).toBe(1000);
    expect(r.getMaxBackoff()).toBe(8000);
    expect(r.name).toBe('void');
    expect(r.stats(0)).toMatchObject({
      lastConnected: null,
      lastDisconnected: null,
      msecSinceConnect: null,
      msecSinceDisconnect: null,
      lastReceiveAttempt: 0,
      totalConnectedDuration: 0,
      seqno: 0,
    });
  });

  it('applies constructor options with the OVS clamps', () => {
    const r = new Reconnect(0, {
      name: 'ctl',
      minBackoff: 10,
      maxBackoff: 500,
      probeInterval: 200,
      maxTries: 3,
      passive: true,
      echoInterval: 7000,
    });
    expect(r.name).toBe('ctl');
    expect(r.getMinBackoff()).toBe(1000);
    expect(r.getMaxBackoff()).toBe(1000);
    expect(r.getProbeInterval()).toBe(1000);
    expect(r.getMaxTries()).toBe(3);
    expect(r.isPassive()).toBe(true);
    expect(r.getEchoInterval()).toBe(7000);
    r.setProbeInterval(0);
    expect(r.getProbeInterval()).toBe(0);
  });

  it('rejects a jitter outside [0, 1] and negative max tries with EINVAL', () => {
    for (const bad of [-0.1, 1.5, Number.NaN]) {
      const err = (() => {
        try {
          new Reconnect(0, { jitter: bad });
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(err).toBeInstanceOf(RconnError);
      expect((err as RconnError).code).toBe('EINVAL');
    }
    expect(() => new Reconnect(0).setMaxTries(-1)).toThrow(RconnError);
  });

  it('applies jitter from options once, when BACKOFF is entered', () => {
    let calls = 0;
    const r = new Reconnect(0, { jitter: 1, random: () => (calls++, 0.5) });
    r.enable(0);
    r.connectFailed(0, 'ECONNREFUSED');
    expect(calls).toBe(2); // enable (0 ms backoff) and the failure
    expect(r.stats(0).backoff).toBe(1000);
    expect(r.timeout(0)).toBe(500);
    expect(r.timeout(100)).toBe(400);
    expect(calls).toBe(2);
  });

  it('clamps a pending backoff when the maximum is lowered', () => {
    const r = new Reconnect(0, { minBackoff: 4000, maxBackoff: 8000 });
    r.enable(0);
    r.connectFailed(0, 'ECONNREFUSED');
    r.run(4000);
    r.connectFailed(4000, 'ECONNREFUSED');
    expect(r.stats(4000).backoff).toBe(8000);
    r.setBackoff(1000, 2000);
    expect(r.stats(4000).backoff).toBe(2000);
    expect(r.deadline(4000)).toBe(6000);
  });
});

describe('Reconnect rules', () => {
  it('arms the receive-attempted guard at creation, as OVS does', () => {
    const r = new Reconnect(1000);
    r.enable(1000);
    r.connected(1000);
    // Past the probe deadline but no receive attempted since: wake at once, do nothing.
    expect(r.run(6000)).toBeNull();
    expect(r.timeout(6000)).toBe(1);
    r.receiveAttempted(6000);
    expect(r.run(6000)).toBe('probe');
  });

  it('does not count a message received while CONNECTING as a connection', () => {
    const r = new Reconnect(0);
    r.enable(0);
    r.connecting(0);
    r.activity(10);
    expect(r.state).toBe('CONNECTING');
    expect(r.isConnected()).toBe(false);
    r.connected(20);
    expect(r.stats(20)).toMatchObject({ nSuccessfulConnections: 1, seqno: 1, lastConnected: 20 });
  });

  it('switches between active and passive mode as OVS does', () => {
    const r = new Reconnect(0);
    r.enable(0);
    r.connecting(0);
    r.setPassive(true, 10);
    expect(r.state).toBe('BACKOFF');
    expect(r.run(10)).toBe('connect');
    r.listening(10);
    r.setPassive(false, 20);
    expect(r.state).toBe('BACKOFF');
    expect(r.stats(20).backoff).toBe(0);
  });

  it('never times a transport-probed connection out by itself', () => {
    const r = new Reconnect(0);
    r.receiveAttempted(Infinity);
    r.setAppProbe(false);
    r.enable(0);
    r.connected(0);
    const actions = new Set<ReconnectAction>();
    for (let now = 0; now <= 120_000; now += 250) {
      // Bounded, so a machine that repeats itself fails instead of hanging the test.
      for (let i = 0, a = r.run(now); a; a = r.run(now), i++) {
        expect(i).toBeLessThan(2);
        actions.add(a);
        if (a === 'checkIdle') r.setTransportIdle(now, true);
      }
    }
    expect([...actions]).toEqual(['checkIdle']);
    expect(r.state).toBe('IDLE');
  });
});

/* ---- Invariants over random input ----------------------------------------------------------- */

type Step =
  | { kind: 'advance'; ms: number }
  | { kind: 'call'; name: (typeof CALLS)[number] }
  | { kind: 'idle'; idle: boolean }
  | { kind: 'probeInterval'; ms: number }
  | { kind: 'maxTries'; n: number };

const CALLS = [
  'enable',
  'disable',
  'forceReconnect',
  'connecting',
  'connected',
  'connectFailed',
  'disconnected',
  'activity',
  'receiveAttempted',
  'listening',
  'listenError',
  'passiveOn',
  'passiveOff',
  'appProbeOn',
  'appProbeOff',
] as const;

// Weighted towards time passing and connection events, so runs reach the probe deadlines.
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 7000 }) }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('call' as const), name: fc.constantFrom(...CALLS) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('idle' as const), idle: fc.boolean() }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('probeInterval' as const), ms: fc.constantFrom(0, 500, 1000, 5000) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('maxTries' as const), n: fc.constantFrom(0, 1, 3, Infinity) }) },
);

function apply(r: Reconnect, step: Step, now: number): void {
  switch (step.kind) {
    case 'advance':
      return;
    case 'idle':
      return r.setTransportIdle(now, step.idle);
    case 'probeInterval':
      return r.setProbeInterval(step.ms);
    case 'maxTries':
      return r.setMaxTries(step.n);
    case 'call':
      switch (step.name) {
        case 'connectFailed':
          return r.connectFailed(now, 'ECONNREFUSED');
        case 'disconnected':
          return r.disconnected(now, 'EOF');
        case 'listenError':
          return r.listenError(now, 'ENOMEM');
        case 'passiveOn':
          return r.setPassive(true, now);
        case 'passiveOff':
          return r.setPassive(false, now);
        case 'appProbeOn':
          return r.setAppProbe(true);
        case 'appProbeOff':
          return r.setAppProbe(false);
        default:
          return r[step.name](now);
      }
  }
}

const PERIODIC: ReadonlySet<ReconnectAction> = new Set(['probe', 'checkIdle']);

describe('Reconnect invariants', () => {
  it('run() acts exactly when its deadline has come, and never repeats a periodic action', () => {
    fc.assert(
      fc.property(
        fc.array(stepArb, { maxLength: 80 }),
        fc.integer({ min: 0, max: 5000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (steps, echo, jitter) => {
          let now = 1000;
          const r = new Reconnect(now, { echoInterval: echo, jitter, random: () => 0.999 });
          for (const step of steps) {
            if (step.kind === 'advance') now += step.ms;
            apply(r, step, now);
            const deadline = r.deadline(now);
            const timeout = r.timeout(now);
            expect(timeout === null).toBe(deadline === Infinity);
            if (timeout !== null) expect(timeout).toBeGreaterThanOrEqual(0);
            const first = r.run(now);
            expect(first !== null).toBe(now >= deadline);
            if (PERIODIC.has(first)) expect(r.run(now)).not.toBe(first);

            const s = r.stats(now);
            expect(s.isConnected).toBe(s.seqno % 2 === 1);
            expect(s.nSuccessfulConnections).toBeLessThanOrEqual(s.nAttemptedConnections);
            expect(s.backoff).toBeLessThanOrEqual(r.getMaxBackoff());
            if (s.state === 'BACKOFF') {
              // Jitter only ever shortens the wait: the reported backoff is an upper bound.
              // (Recomputed from two subtractions of large timestamps: allow float rounding.)
              const wait = deadline - (now - s.stateElapsed);
              expect(wait).toBeLessThanOrEqual(s.backoff + 1e-6);
              expect(wait).toBeGreaterThanOrEqual(s.backoff * (1 - jitter) - 1e-6);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('without receive attempts, never probes and never times a connection out', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 80 }), fc.integer({ min: 0, max: 5000 }), (steps, echo) => {
        let now = 1000;
        const r = new Reconnect(now, { echoInterval: echo });
        for (const step of steps) {
          if (step.kind === 'call' && step.name === 'receiveAttempted') continue;
          if (step.kind === 'advance') now += step.ms;
          apply(r, step, now);
          const connected = r.isConnected();
          const action = r.run(now);
          expect(action).not.toBe('probe');
          if (connected) expect(action).not.toBe('disconnect');
        }
      }),
      { numRuns: 300 },
    );
  });
});
