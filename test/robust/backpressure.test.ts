/**
 * A peer that stops reading while we send as fast as `send` allows, for 60 s (issue 8): memory
 * stays bounded, `send` refuses with QueueFullError (EAGAIN) at txqLimit, `sendWithLimit` refuses
 * at its counter's limit, and every message is accounted for: written, still queued, refused
 * (counted), or dropped by a disconnect (reported) — none silently.
 *
 * Two rconns run side by side for the same 60 s (so the file costs 60 s, not 120):
 * - probing off: the connection stays up, the queue sits full for the whole minute;
 * - default probing (transport keepalive on tcp): Linux aborts a connection whose zero window
 *   outlasts TCP_USER_TIMEOUT (2 x probe interval), so it drops and reconnects every ~10 s; the
 *   accounting must hold across the reconnects.
 * Each round of sending waits one timer tick once refused: refusals are instant, so a busy loop
 * would only burn CPU (and heat the rest of the suite) to collect more of the same refusal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueFullError, Rconn, TxCounter, type OfpMessage } from '../../src/index.js';
import { rawHello } from '../support/raw-peer.js';
import { RconnWatch, ScriptedPeer, settled, sleep, unwrap, type Settled } from './helpers.js';

const DURATION_MS = 60_000;
const TXQ_LIMIT = 1000; // the documented default, not set below
const COUNTER_LIMIT = 100;
const RSS_BOUND_MB = 200;

const payload = Buffer.alloc(1024, 0x5a);
const packetOut = (xid: number): OfpMessage => ({
  type: 'PACKET_OUT', version: 4, xid, bufferId: 0xffffffff, inPort: 0xfffffffd, actions: [], data: payload,
});

const mb = (bytes: number): number => Math.round(bytes / 2 ** 20);

interface Tally {
  accepted: number;
  refusedSend: number;
  refusedLimited: number;
  notConnected: number;
  otherErrors: string[];
  maxTxq: number;
  maxCounterQueued: number;
  /** txq when a refusal by send() was seen: must be the limit. */
  txqAtRefusal: Set<number>;
}

/** Sends until refused, round after round, for `ms`; classifies every outcome. */
async function hammer(rconn: Rconn, counter: TxCounter, ms: number): Promise<Tally> {
  const t: Tally = {
    accepted: 0, refusedSend: 0, refusedLimited: 0, notConnected: 0, otherErrors: [], maxTxq: 0, maxCounterQueued: 0,
    txqAtRefusal: new Set(),
  };
  const classify = (err: unknown, limited: boolean): void => {
    const code = (err as { code?: string }).code;
    if (err instanceof QueueFullError && code === 'EAGAIN') {
      if (limited) t.refusedLimited++;
      else { t.refusedSend++; t.txqAtRefusal.add(rconn.status().txq); }
    } else if (code === 'ENOTCONN') t.notConnected++;
    else t.otherErrors.push(`${(err as Error).name}/${code}`);
  };
  const end = Date.now() + ms;
  let xid = 1;
  while (Date.now() < end) {
    for (let limited = true; ; limited = false) {
      try {
        for (;;) {
          if (limited) rconn.sendWithLimit(packetOut(xid++), counter, COUNTER_LIMIT);
          else rconn.send(packetOut(xid++));
          t.accepted++;
        }
      } catch (err) {
        classify(err, limited);
      }
      if (!limited) break;
    }
    t.maxTxq = Math.max(t.maxTxq, rconn.status().txq);
    t.maxCounterQueued = Math.max(t.maxCounterQueued, counter.queued);
    await sleep(0);
  }
  return t;
}

interface Outcome {
  tally: Tally;
  counter: TxCounter;
  watch: RconnWatch;
  before: ReturnType<Rconn['status']>;
  after: ReturnType<Rconn['status']>;
  dropEvent: { dropped: number; code: string | undefined } | undefined;
}

/** Runs one rconn against a peer that never reads; ends by having the peer reset the connection. */
async function stalledPeer(probeInterval: number | undefined): Promise<Outcome> {
  const peer = await ScriptedPeer.listen('tcp', (s) => { s.write(rawHello(4)); s.pause(); });
  // The byte budget (1 MiB by default) would stop 1 KiB messages just before txqLimit; this test
  // is about the message limit, so the budget is set out of its way (test/hostile covers bytes).
  const rconn = new Rconn({ backoffJitter: 0, sendBudget: 16 * 2 ** 20, ...(probeInterval === undefined ? {} : { probeInterval }) });
  const watch = new RconnWatch(rconn);
  const counter = new TxCounter();
  try {
    rconn.connect(peer.target);
    await new Promise<void>((r) => rconn.once('connected', () => r()));
    const tally = await hammer(rconn, counter, DURATION_MS);
    // Make sure the last disconnect (if any) has reconnected before looking at the full queue.
    const deadline = Date.now() + 10_000;
    while (!rconn.isConnected() && Date.now() < deadline) await sleep(50);
    const before = rconn.status();
    const drops = watch.disconnects.length;
    // The peer gives up: a reset; whatever still waits in our queue is dropped, and must be reported.
    for (const c of peer.connections) c.socket.resetAndDestroy();
    const until = Date.now() + 5000;
    while (watch.disconnects.length === drops && Date.now() < until) await sleep(10);
    const ev = watch.disconnects[drops];
    const after = rconn.status();
    return { tally, counter, watch, before, after, dropEvent: ev && { dropped: ev.dropped, code: ev.error?.code } };
  } finally {
    await rconn.close();
    await peer.close();
  }
}

const rss: { before: number; peak: number; after: number } = { before: 0, peak: 0, after: 0 };
let sampler: NodeJS.Timeout | undefined;
let quiet: Promise<Settled<Outcome>>;
let probing: Promise<Settled<Outcome>>;

beforeAll(() => {
  rss.before = process.memoryUsage().rss;
  rss.peak = rss.before;
  sampler = setInterval(() => { rss.peak = Math.max(rss.peak, process.memoryUsage().rss); }, 250);
  quiet = settled(stalledPeer(0));
  probing = settled(stalledPeer(undefined));
});

afterAll(async () => {
  await Promise.all([quiet, probing]);
  clearInterval(sampler);
});

function report(label: string, o: Outcome): void {
  const { tally: t, after } = o;
  console.log(`${label}: accepted ${t.accepted}, written ${after.txPackets}, refused ${after.refused} `
    + `(send ${t.refusedSend}, sendWithLimit ${t.refusedLimited}), dropped ${after.dropped} over `
    + `${o.watch.disconnects.length} disconnects [${o.watch.disconnects.map((d) => `${d.error?.code ?? 'closed'}:${d.dropped}`).join(', ')}], `
    + `ENOTCONN ${t.notConnected}`);
}

/** Every accepted message was written to the socket or dropped by a reported disconnect. */
function expectAccounted(o: Outcome): void {
  const { tally: t, after, watch } = o;
  expect(t.otherErrors).toEqual([]);
  expect(after.txq).toBe(0);
  expect(t.accepted).toBe(after.txPackets + after.dropped);
  expect(after.dropped).toBe(watch.disconnects.reduce((n, d) => n + d.dropped, 0));
  expect(after.refused).toBe(t.refusedSend + t.refusedLimited);
  expect(o.counter.refused).toBe(t.refusedLimited);
  expect(o.counter.queued).toBe(0);
  expect(o.counter.queuedBytes).toBe(0);
}

describe(`a peer that stops reading while we send for ${DURATION_MS / 1000} s`, () => {
  it('with probing off: the queue stops at txqLimit, refusals are typed and counted, the drop is reported', async () => {
    const o = unwrap(await quiet);
    report('probing off', o);
    const { tally: t, before } = o;
    expect(o.watch.disconnects.length).toBe(1); // only the final reset
    // send() refuses exactly at the limit, and sendWithLimit at its counter's limit.
    expect(t.refusedSend).toBeGreaterThan(0);
    expect([...t.txqAtRefusal]).toEqual([TXQ_LIMIT]);
    expect(t.maxTxq).toBe(TXQ_LIMIT);
    expect(t.refusedLimited).toBeGreaterThan(0);
    expect(t.maxCounterQueued).toBe(COUNTER_LIMIT);
    expect(before.txq).toBe(TXQ_LIMIT);
    // The reset drops the full queue; the event, status() and the counter all say so.
    expect(o.dropEvent).toEqual({ dropped: TXQ_LIMIT, code: expect.stringMatching(/^(ECONNRESET|EPIPE|EOF)$/) });
    expect(o.after.dropped).toBe(TXQ_LIMIT);
    expect(o.counter.dropped).toBe(COUNTER_LIMIT);
    expectAccounted(o);
  }, DURATION_MS + 30_000);

  it('with transport probing: drops and reconnects as the kernel gives up, and still loses nothing silently', async () => {
    const o = unwrap(await probing);
    report('transport probing', o);
    const { tally: t } = o;
    expect(t.refusedSend).toBeGreaterThan(0);
    expect([...t.txqAtRefusal]).toEqual([TXQ_LIMIT]);
    expect(t.maxCounterQueued).toBe(COUNTER_LIMIT);
    expect(o.counter.dropped).toBeGreaterThanOrEqual(COUNTER_LIMIT);
    for (const d of o.watch.disconnects) expect(d.error?.code).toMatch(/^(ETIMEDOUT|ECONNRESET|EPIPE|EOF)$/);
    expectAccounted(o);
  }, DURATION_MS + 30_000);

  it(`process memory stays bounded (RSS growth < ${RSS_BOUND_MB} MB)`, async () => {
    await Promise.all([quiet, probing]);
    rss.after = process.memoryUsage().rss;
    console.log(`RSS before ${mb(rss.before)} MB, peak ${mb(rss.peak)} MB, after ${mb(rss.after)} MB`);
    expect(mb(rss.peak - rss.before)).toBeLessThan(RSS_BOUND_MB);
  }, DURATION_MS + 30_000);
});
