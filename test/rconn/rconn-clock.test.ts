import { describe, expect, it } from 'vitest';
import { Rconn } from '../../src/rconn/index.js';
import { TxCounter } from '../../src/rconn/tx-counter.js';
import type { RconnOptions } from '../../src/rconn/options.js';
import { echoRequest, type OfpMessage } from '../../src/ofp/index.js';
import { FakeClock } from '../support/fake-clock.js';
import { MemoryVconn } from '../support/memory-vconn.js';
import { KeepaliveKernel } from '../support/keepalive-kernel.js';

/** An rconn on a fake clock whose connector hands out scripted in-memory connections. */
function setup(options: RconnOptions = {}, prepare: (v: MemoryVconn) => void = () => {}) {
  const clock = new FakeClock();
  const conns: MemoryVconn[] = [];
  const rconn = new Rconn({
    backoffJitter: 0,
    ...options,
    clock,
    connector: async () => {
      const v = new MemoryVconn(4);
      prepare(v);
      conns.push(v);
      return v;
    },
  });
  const disconnects: Array<{ at: number; code: string | null; dropped: number }> = [];
  rconn.on('disconnected', (d) => disconnects.push({ at: clock.now(), code: d.error ? (d.error as { code?: string }).code ?? null : null, dropped: d.dropped }));
  return { clock, rconn, conns, disconnects, current: () => conns[conns.length - 1]! };
}

const features = (xid: number): OfpMessage => ({ type: 'FEATURES_REQUEST', version: 4, xid });

describe('probe mode selection', () => {
  it('uses transport probing when setKeepalive succeeds, with the probe interval in seconds', async () => {
    const { clock, rconn, current } = setup();
    rconn.connect('tcp:127.0.0.1:6653');
    await clock.advance(0);
    expect(rconn.state).toBe('ACTIVE');
    expect(current().keepaliveCalls).toEqual([5]);
    expect(rconn.status().probe).toBe('transport');
    await rconn.close();
  });

  it('falls back to echo when the stream answers EOPNOTSUPP, and says why', async () => {
    const { clock, rconn } = setup({}, (v) => { v.keepaliveResult = 'EOPNOTSUPP'; });
    rconn.connect('tcp:127.0.0.1:6653');
    await clock.advance(0);
    expect(rconn.status().probe).toBe('echo');
    expect(rconn.status().keepaliveError).toBe('EOPNOTSUPP');
    await rconn.close();
  });

  it("probe: 'echo' never touches keepalive", async () => {
    const { clock, rconn, current } = setup({ probe: 'echo' });
    rconn.connect('tcp:127.0.0.1:6653');
    await clock.advance(0);
    expect(current().keepaliveCalls).toEqual([]);
    expect(rconn.status().probe).toBe('echo');
    await rconn.close();
  });

  it("probe: 'transport' on a stream that cannot probe is permanent: EOPNOTSUPP, one 'error', DISCONNECTED, no retry", async () => {
    const { clock, rconn, conns } = setup({ probe: 'transport' }, (v) => { v.keepaliveResult = 'EOPNOTSUPP'; });
    const failures: Array<{ code: string; retryIn: number | null }> = [];
    const errors: string[] = [];
    rconn.on('connectFailed', (f) => failures.push({ code: (f.error as unknown as { code: string }).code, retryIn: f.retryIn }));
    rconn.on('error', (e) => errors.push((e as unknown as { code: string }).code));
    rconn.connect('unix:/tmp/x');
    await clock.advance(0);
    expect(failures).toEqual([{ code: 'EOPNOTSUPP', retryIn: null }]);
    expect(errors).toEqual(['EOPNOTSUPP']);
    expect(conns[0]!.closed).toBe(true);
    expect(rconn.state).toBe('DISCONNECTED');
    await clock.advance(60_000);
    expect(conns).toHaveLength(1);
    expect(clock.pending).toBe(0);
    await rconn.close();
  });

  it('probeInterval 0 turns probing off and the idle rconn never wakes', async () => {
    const { clock, rconn, current } = setup({ probeInterval: 0 });
    rconn.connect('tcp:127.0.0.1:6653');
    await clock.advance(0);
    expect(rconn.status().probe).toBe('off');
    expect(current().keepaliveCalls).toEqual([0]);
    const before = rconn.status().wakeups;
    await clock.advance(60_000);
    expect(rconn.status().wakeups - before).toBe(0);
    expect(clock.pending).toBe(0);
    expect(rconn.state).toBe('ACTIVE');
    await rconn.close();
  });

  it('clamps a probe interval in (0, 5) to 5 s, and re-applies keepalive when it changes', async () => {
    const { clock, rconn, current } = setup({ probeInterval: 2 });
    rconn.connect('tcp:127.0.0.1:6653');
    await clock.advance(0);
    expect(rconn.status().probeInterval).toBe(5);
    rconn.setProbeInterval(0.5);
    expect(current().keepaliveCalls).toEqual([5]);
    rconn.setProbeInterval(30);
    expect(current().keepaliveCalls).toEqual([5, 30]);
    expect(rconn.status().probeInterval).toBe(30);
    await rconn.close();
  });
});

describe('echo probing', () => {
  it('sends a probe after P of silence and disconnects with ETIMEDOUT at about 2P', async () => {
    const { clock, rconn, current, disconnects } = setup({ probe: 'echo', probeInterval: 5 });
    rconn.connect('tcp:127.0.0.1:6653');
    await clock.advance(0);
    const connectedAt = clock.now();
    await clock.advance(4_999);
    expect(current().sentOfType('ECHO_REQUEST')).toHaveLength(0);
    await clock.advance(1);
    expect(current().sentOfType('ECHO_REQUEST')).toHaveLength(1);
    expect(rconn.state).toBe('IDLE');
    await clock.advance(6_000);
    expect(disconnects).toHaveLength(1);
    expect(disconnects[0]!.code).toBe('ETIMEDOUT');
    const detectedAfter = disconnects[0]!.at - connectedAt;
    expect(detectedAfter).toBeGreaterThanOrEqual(10_000);
    expect(detectedAfter).toBeLessThanOrEqual(11_000);
    await rconn.close();
  });

  it('matches the probe reply by xid only (no payload), consumes it and records the RTT', async () => {
    const { clock, rconn, current } = setup({ probe: 'echo' });
    const delivered: OfpMessage[] = [];
    rconn.on('message', (m) => delivered.push(m));
    rconn.connect('tcp:127.0.0.1:6653');
    await clock.advance(5_000);
    const probe = current().sentOfType('ECHO_REQUEST')[0]!;
    await clock.advance(37);
    current().receive({ type: 'ECHO_REPLY', version: 4, xid: probe.xid, data: Buffer.alloc(0) });
    expect(delivered).toHaveLength(0);
    expect(rconn.status().rtt.last).toBe(37);
    expect(rconn.status().probeReplies).toBe(1);
    expect(rconn.state).toBe('ACTIVE');
    // An echo reply we did not ask for is the application's.
    current().receive({ type: 'ECHO_REPLY', version: 4, xid: 99, data: Buffer.alloc(0) });
    expect(delivered.map((m) => m.xid)).toEqual([99]);
    await rconn.close();
  });

  it("answers the peer's ECHO_REQUEST with the same xid and payload, and any message counts as liveness", async () => {
    const { clock, rconn, current, disconnects } = setup({ probe: 'echo' });
    rconn.connect('tcp:127.0.0.1:6653');
    await clock.advance(0);
    current().receive(echoRequest(4, 0x1234, Buffer.from('payload')));
    const reply = current().sentOfType('ECHO_REPLY')[0]!;
    expect(reply.xid).toBe(0x1234);
    expect(reply.version).toBe(4);
    expect(Buffer.from(reply.data).toString()).toBe('payload');
    // A message every 4 s for a minute: never idle for P, never probed.
    for (let i = 0; i < 15; i++) {
      await clock.advance(4_000);
      current().receive(features(i));
    }
    expect(current().sentOfType('ECHO_REQUEST')).toHaveLength(0);
    expect(disconnects).toHaveLength(0);
    await rconn.close();
  });
});

/**
 * An rconn whose transport reports the kernel's keepalive schedule (keepaliveCheckOf): P = 5 s,
 * the kernel's probes 100 ms later than tcp_info lets the rconn reckon (its timer wheel). `looks`
 * holds the times of the rconn's looks, `events` its probe and state events, from t0 = connected.
 */
async function kernelSetup(options: RconnOptions = {}) {
  const s = setup({ probeInterval: 5, ...options });
  s.rconn.connect('tcp:127.0.0.1:6653');
  await s.clock.advance(0);
  const t0 = s.clock.now();
  const events: string[] = [];
  s.rconn.on('probe', (p) => events.push(`${p.kind}:${p.phase}@${s.clock.now() - t0}`));
  s.rconn.on('state', (state) => events.push(`${state}@${s.clock.now() - t0}`));
  const kernel = new KeepaliveKernel(s.clock, 5000, 100);
  const looks: number[] = [];
  s.current().keepaliveModel = () => { looks.push(s.clock.now() - t0); return kernel.check(); };
  return { ...s, t0, kernel, looks, events };
}

describe('transport probing, looks on demand (the default)', () => {
  it('a quiet healthy connection arms no timer: 60 s idle, no wakeup, no look, and the state is fresh when asked', async () => {
    const { clock, rconn, looks, disconnects } = await kernelSetup();
    const before = rconn.status().wakeups;
    const armedBefore = clock.armed.length;
    await clock.advance(60_000);
    expect(clock.armed.slice(armedBefore)).toEqual([]);
    expect(clock.pending).toBe(0);
    expect(looks).toEqual([]);
    const status = rconn.status();
    expect(status.wakeups - before).toBe(0);
    expect(status.state).toBe('ACTIVE');
    expect(looks).toEqual([60_000]);
    expect(disconnects).toHaveLength(0);
    await rconn.close();
  });

  it('asked while a keepalive probe is outstanding: IDLE and the probe event, each look standing until the next can see more; a message: ACTIVE', async () => {
    const { clock, rconn, kernel, current, looks, events } = await kernelSetup();
    await clock.advance(2000);
    kernel.peerGone();
    // Asked at 5000, on the eve of the kernel's first probe (5100): nothing to see before that
    // probe has had its second to be answered, so the answer stands until 6000.
    await clock.advance(3000);
    expect(rconn.state).toBe('ACTIVE');
    await clock.advance(200);
    expect(rconn.state).toBe('ACTIVE');
    await clock.advance(800);
    expect(rconn.state).toBe('IDLE');
    expect(events).toEqual(['transport:idle@6000', 'IDLE@6000']);
    await clock.advance(900);
    expect(rconn.status().state).toBe('IDLE');
    expect(looks).toEqual([5000, 6000]);
    // Nothing timed: the kernel, not the rconn, ends the connection.
    expect(clock.pending).toBe(0);
    current().receive(features(9));
    expect(rconn.state).toBe('ACTIVE');
    await rconn.close();
  });

  it('a look that saw the next probe far off answers from it until then: one look per kernel probe at most, however often asked', async () => {
    const { clock, rconn, looks } = await kernelSetup();
    for (let i = 0; i < 200; i++) {
      await clock.advance(100);
      expect(rconn.state).toBe('ACTIVE');
    }
    // Asked every 100 ms, looked at 5000 (the first probe is due within the second: the answer
    // stands until it has had its second), then 1 s after each next probe as reckoned from
    // tcp_info at the previous look (the kernel's own come 100 ms later, at 5100, 10200, 15300).
    expect(looks).toEqual([5000, 6000, 11100, 16200]);
    expect(rconn.status().wakeups).toBe(0);
    await rconn.close();
  });

  it('watchIdle is validated where it is given', () => {
    expect(() => new Rconn({ watchIdle: 'yes' as unknown as boolean })).toThrow(/watchIdle/);
  });
});

describe('transport probing with watchIdle', () => {
  it('wakes at most once per second over 60 s of idle (at most 61 wakeups) and stays connected', async () => {
    const { clock, rconn, current, disconnects } = setup({ probeInterval: 5, watchIdle: true });
    rconn.connect('tcp:127.0.0.1:6653');
    await clock.advance(0);
    const before = rconn.status().wakeups;
    await clock.advance(60_000);
    const wakeups = rconn.status().wakeups - before;
    expect(wakeups).toBeGreaterThan(0);
    expect(wakeups).toBeLessThanOrEqual(61);
    expect(current().idleChecks).toBeGreaterThan(50);
    expect(current().sentOfType('ECHO_REQUEST')).toHaveLength(0);
    expect(disconnects).toHaveLength(0);
    await rconn.close();
  });

  it('shows IDLE while the transport has a probe outstanding and ACTIVE once it is answered', async () => {
    const { clock, rconn, current } = setup({ probeInterval: 5, watchIdle: true });
    const probes: string[] = [];
    rconn.on('probe', (p) => probes.push(`${p.kind}:${p.phase}`));
    rconn.connect('tcp:127.0.0.1:6653');
    await clock.advance(6_000);
    current().idle = true;
    await clock.advance(1_000);
    expect(rconn.state).toBe('IDLE');
    current().idle = false;
    await clock.advance(1_000);
    expect(rconn.state).toBe('ACTIVE');
    expect(probes).toEqual(['transport:idle', 'transport:recovered']);
    // The kernel, not the rconn, times a transport-probed connection out.
    current().idle = true;
    await clock.advance(120_000);
    expect(rconn.state).toBe('IDLE');
    current().fail(Object.assign(new Error('read ETIMEDOUT'), { code: 'ETIMEDOUT' }));
    expect(rconn.state).toBe('BACKOFF');
    await rconn.close();
  });

  it('a quiet healthy connection is looked at 1 s after the first kernel probe, then after every other one, each look allowed to come late', async () => {
    const { clock, rconn, t0, looks, disconnects } = await kernelSetup({ watchIdle: true });
    await clock.advance(60_000);
    // 5000: on the eve of the first probe (5100); 6000: it was answered; from then on 1 s after
    // every other probe as reckoned from tcp_info at each look (probes at 10200, 15300, ...).
    expect(looks).toEqual([5000, 6000, 16100, 26300, 36500, 46700, 56900]);
    // The first look is timed from the last message and must come before the kernel's probe; the
    // ones a look scheduled (1 s after a probe, 4 s before the next) may come 250 ms late.
    // (From the first look on: before it, only the HELLO deadline at 1000 was armed.)
    const armed = clock.armed.filter((a) => a.at >= t0 + 5000).map((a) => [a.at - t0, a.slackMs ?? 0]);
    expect(armed).toEqual([[5000, 0], [6000, 250], [16100, 250], [26300, 250], [36500, 250], [46700, 250], [56900, 250], [67100, 250]]);
    expect(rconn.state).toBe('ACTIVE');
    expect(disconnects).toHaveLength(0);
    await rconn.close();
  });

  it('a peer gone with its last message shows IDLE 1 s after the kernel\'s first probe, as before', async () => {
    const { clock, rconn, kernel, current, events } = await kernelSetup({ watchIdle: true });
    await clock.advance(2000);
    current().receive(features(7));
    kernel.received();
    kernel.peerGone();
    // Probe at 7100 unanswered; looks at 7000 (its eve) and 8000.
    await clock.advance(kernel.deadAt() - clock.now());
    expect(events).toEqual(['transport:idle@8000', 'IDLE@8000']);
    current().fail(Object.assign(new Error('read ETIMEDOUT'), { code: 'ETIMEDOUT' }));
    expect(rconn.state).toBe('BACKOFF');
    await rconn.close();
  });

  it('in a long quiet period a peer gone before a probe that is looked at shows IDLE within 1 s of it', async () => {
    const { clock, rconn, kernel, events } = await kernelSetup({ watchIdle: true });
    await clock.advance(22_000);
    kernel.peerGone();
    // Probe at 25500 unanswered, looked at 26300; the kernel gives up at 30400 (2 x 5 s after 20400).
    expect(kernel.deadAt()).toBe(clock.now() - 22_000 + 30_400);
    await clock.advance(8000);
    expect(events).toEqual(['transport:idle@26300', 'IDLE@26300']);
    await rconn.close();
  });

  it('in a long quiet period a peer gone after a probe that was looked at is ended by the kernel before the next look: ACTIVE to BACKOFF, no IDLE, no later than before', async () => {
    const { clock, rconn, kernel, current, events, disconnects, t0 } = await kernelSetup({ watchIdle: true });
    await clock.advance(16_200);
    kernel.peerGone();
    // The look at 16100 saw the probe of 15300 answered; the one at 20400 goes unanswered and the
    // kernel gives up at 25300, a second before the next look (26300). Looking at every probe
    // would have shown IDLE at 21400; the disconnect comes at the same time either way.
    const dead = kernel.deadAt();
    expect(dead - t0).toBe(25_300);
    await clock.advance(dead - clock.now());
    current().fail(Object.assign(new Error('read ETIMEDOUT'), { code: 'ETIMEDOUT' }));
    expect(events).toEqual(['BACKOFF@25300']);
    expect(disconnects.map((d) => [d.at - t0, d.code])).toEqual([[25_300, 'ETIMEDOUT']]);
    await rconn.close();
  });

  it('hybrid: transport probing plus an end-to-end echo every E s catches a hung peer at about 2E', async () => {
    const { clock, rconn, current, disconnects } = setup({ probeInterval: 5, echoInterval: 20 });
    rconn.connect('tcp:127.0.0.1:6653');
    await clock.advance(0);
    const t0 = clock.now();
    await clock.advance(20_000);
    expect(current().sentOfType('ECHO_REQUEST')).toHaveLength(1);
    await clock.advance(21_000);
    expect(disconnects.map((d) => d.code)).toEqual(['ETIMEDOUT']);
    expect(disconnects[0]!.at - t0).toBeGreaterThanOrEqual(40_000);
    expect(disconnects[0]!.at - t0).toBeLessThanOrEqual(41_000);
    await rconn.close();
  });
});

describe('reconnect and HELLO deadline', () => {
  it('backs off 1, 2, 4, 8, 8 s between failed attempts', async () => {
    const clock = new FakeClock();
    const attempts: number[] = [];
    const rconn = new Rconn({
      clock, backoffJitter: 0,
      connector: async () => { attempts.push(clock.now()); throw Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }); },
    });
    rconn.connect('tcp:127.0.0.1:1');
    await clock.advance(30_000);
    const gaps = attempts.slice(1).map((t, i) => t - attempts[i]!);
    expect(gaps.slice(0, 5)).toEqual([1000, 2000, 4000, 8000, 8000]);
    await rconn.close();
    expect(clock.pending).toBe(0);
  });

  it('jitter shortens each wait by backoff x jitter x random, never lengthens it', async () => {
    const clock = new FakeClock();
    const attempts: number[] = [];
    const rconn = new Rconn({
      clock, backoffJitter: 0.5, random: () => 0.5,
      connector: async () => { attempts.push(clock.now()); throw Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }); },
    });
    rconn.connect('tcp:127.0.0.1:1');
    await clock.advance(20_000);
    const gaps = attempts.slice(1).map((t, i) => t - attempts[i]!);
    expect(gaps.slice(0, 4)).toEqual([750, 1500, 3000, 6000]);
    await rconn.close();
  });

  it('aborts a connect whose HELLO never comes at max(1 s, backoff), then backs off', async () => {
    const clock = new FakeClock();
    const aborted: number[] = [];
    const rconn = new Rconn({
      clock, backoffJitter: 0,
      connector: (_t, signal) => new Promise((_, reject) => {
        signal.addEventListener('abort', () => { aborted.push(clock.now()); reject(new Error('aborted')); });
      }),
    });
    const failures: string[] = [];
    rconn.on('connectFailed', (f) => failures.push((f.error as unknown as { code: string }).code));
    rconn.connect('tcp:127.0.0.1:1');
    await clock.advance(0);
    const start = clock.now();
    await clock.advance(1_000);
    expect(aborted).toEqual([start + 1000]);
    expect(failures).toEqual(['ETIMEDOUT']);
    expect(rconn.state).toBe('BACKOFF');
    await rconn.close();
  });

  it('helloTimeout overrides the CONNECTING deadline', async () => {
    const clock = new FakeClock();
    const aborted: number[] = [];
    const rconn = new Rconn({
      clock, backoffJitter: 0, helloTimeout: 3,
      connector: (_t, signal) => new Promise((_, reject) => {
        signal.addEventListener('abort', () => { aborted.push(clock.now()); reject(new Error('aborted')); });
      }),
    });
    rconn.connect('tcp:127.0.0.1:1');
    await clock.advance(0);
    const start = clock.now();
    await clock.advance(3_000);
    expect(aborted).toEqual([start + 3000]);
    await rconn.close();
  });
});

describe('send queue', () => {
  it('queues behind backpressure, refuses over the counter limit, flushes on drain', async () => {
    const { clock, rconn, current } = setup({ probeInterval: 0 });
    rconn.connect('tcp:127.0.0.1:6653');
    await clock.advance(0);
    const counter = new TxCounter();
    rconn.sendWithLimit(features(1), counter, 2); // written
    current().writable = false; // the socket is full: what is sent now is held until it drains
    rconn.sendWithLimit(features(2), counter, 2);
    rconn.sendWithLimit(features(3), counter, 2);
    expect(counter.queued).toBe(2);
    expect(() => rconn.sendWithLimit(features(4), counter, 2)).toThrow(expect.objectContaining({ code: 'EAGAIN', name: 'QueueFullError' }));
    expect(counter.refused).toBe(1);
    expect(rconn.status()).toMatchObject({ txq: 2, txPackets: 1, refused: 1 });
    expect(current().sentOfType('FEATURES_REQUEST').map((m) => m.xid)).toEqual([1]);
    current().drain();
    expect(counter.queued).toBe(0);
    expect(rconn.status()).toMatchObject({ txq: 0, txPackets: 3 });
    expect(current().sentOfType('FEATURES_REQUEST').map((m) => m.xid)).toEqual([1, 2, 3]);
    await rconn.close();
  });

  it('drops the queue on disconnect and reports the count in the event and in status()', async () => {
    const { clock, rconn, current, disconnects } = setup({ probeInterval: 0, txqLimit: 3 });
    rconn.connect('tcp:127.0.0.1:6653');
    await clock.advance(0);
    rconn.send(features(1));
    current().writable = false;
    rconn.send(features(2));
    rconn.send(features(3));
    rconn.send(features(4));
    expect(() => rconn.send(features(5))).toThrow(expect.objectContaining({ code: 'EAGAIN' }));
    current().fail(Object.assign(new Error('reset'), { code: 'ECONNRESET' }));
    expect(disconnects).toEqual([expect.objectContaining({ code: 'ECONNRESET', dropped: 3 })]);
    expect(rconn.status()).toMatchObject({ dropped: 3, refused: 1, txq: 0 });
    expect(() => rconn.send(features(6))).toThrow(expect.objectContaining({ code: 'ENOTCONN', name: 'NotConnectedError' }));
    await rconn.close();
  });

  it('copies every message to up to 8 monitors and refuses a ninth', async () => {
    const { clock, rconn, current } = setup({ probeInterval: 0 });
    rconn.connect('tcp:127.0.0.1:6653');
    await clock.advance(0);
    const seen: string[] = [];
    const removers = Array.from({ length: 8 }, (_, i) => rconn.addMonitor((dir) => { if (i === 0) seen.push(dir); }));
    expect(() => rconn.addMonitor(() => {})).toThrow(expect.objectContaining({ code: 'EMLINK' }));
    rconn.send(features(1));
    current().receive(features(2));
    expect(seen).toEqual(['tx', 'rx']);
    removers.forEach((r) => r());
    rconn.addMonitor(() => {});
    await rconn.close();
  });
});

describe('close and adoption', () => {
  it('close() leaves no timer, ends the message iterator and emits close', async () => {
    const { clock, rconn, current } = setup();
    rconn.connect('tcp:127.0.0.1:6653');
    await clock.advance(7_000);
    const it = rconn.messages();
    current().receive(features(7));
    expect((await it.next()).value).toMatchObject({ type: 'FEATURES_REQUEST', xid: 7 });
    let closed = false;
    rconn.on('close', () => { closed = true; });
    const pending = it.next();
    await rconn.close();
    expect((await pending).done).toBe(true);
    expect(closed).toBe(true);
    expect(clock.pending).toBe(0);
    expect(current().closed).toBe(true);
    expect(rconn.state).toBe('VOID');
  });

  it('an adopted connection is probed but never reconnects: DISCONNECTED at the end', async () => {
    const clock = new FakeClock();
    const conn = new MemoryVconn(1, 'tcp:10.0.0.2:40000');
    conn.keepaliveResult = 'EOPNOTSUPP';
    const rconn = new Rconn({ clock }).adopt(conn);
    expect(rconn.state).toBe('ACTIVE');
    expect(rconn.status().reliable).toBe(false);
    await clock.advance(10_000);
    expect(rconn.state).toBe('DISCONNECTED');
    expect(rconn.status().lastError?.code).toBe('ETIMEDOUT');
    await clock.advance(60_000);
    expect(rconn.state).toBe('DISCONNECTED');
    expect(clock.pending).toBe(0);
    await rconn.close();
  });
});
