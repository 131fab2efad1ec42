/**
 * Every example controller and every bench controller against a switch that, like stock cbench,
 * sends nothing after HELLO until the controller sends FEATURES_REQUEST: the handshake happens and
 * the answers flow (PACKET_IN -> PACKET_OUT for the fast-reply controllers).
 */
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { FakeSwitch, T } from '../../bench/peers/cbench-switch.mjs';
import { main as controllerMain } from '../../examples/controller.js';
import { main as fastReplyMain } from '../../examples/fast-reply-10.js';
import { ensureDist } from '../support/dist.js';

const OFPT_SET_CONFIG = 9;
const SWITCHES = 2;
const WINDOW = 4;

interface Controller { port: number; close(): Promise<void> }

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

beforeAll(() => ensureDist(), 120_000);

async function switches(port: number, options: { version?: 1 | 4; flood?: boolean } = {}): Promise<FakeSwitch[]> {
  const sws = Array.from({ length: SWITCHES }, (_, i) => new FakeSwitch(port, i, WINDOW, 5000, options));
  cleanups.push(() => { for (const s of sws) s.close(); });
  await Promise.all(sws.map((s) => s.ready));
  return sws;
}

/** The first two messages the controller sent after its HELLO. */
const afterHello = (s: FakeSwitch): number[] => s.received.filter((t) => t !== T.HELLO).slice(0, 2);

const FAST_REPLY: Record<string, () => Promise<Controller>> = {
  'examples/fast-reply-10.ts': async () => {
    const server = await fastReplyMain('ptcp:0:127.0.0.1', () => {});
    return { port: server.address().port!, close: () => server.close() };
  },
  'bench/controllers/fast-reply-10.mjs': async () => (await import('../../bench/controllers/fast-reply-10.mjs')).startFastReply10(),
  'bench/controllers/bare-10.mjs': async () => (await import('../../bench/controllers/bare-10.mjs')).startBare10(),
  'bench/controllers/bare-10.mjs (batched)': async () => (await import('../../bench/controllers/bare-10.mjs')).startBare10({ batched: true }),
};

describe('controllers against a switch that waits for FEATURES_REQUEST', () => {
  test.each(Object.keys(FAST_REPLY))('%s: FEATURES_REQUEST and SET_CONFIG arrive, then every PACKET_IN is answered', async (name) => {
    const ctl = await FAST_REPLY[name]!();
    cleanups.push(() => ctl.close());
    const sws = await switches(ctl.port);
    for (const s of sws) await expect.poll(() => afterHello(s)).toEqual([T.FEATURES_REQUEST, OFPT_SET_CONFIG]);
    for (const s of sws) s.start();
    await expect.poll(() => Math.min(...sws.map((s) => s.answered)), { timeout: 5000 }).toBeGreaterThanOrEqual(50);
  });

  test('examples/controller.ts: handshake, then it logs each switch\'s datapath id', async () => {
    const lines: string[] = [];
    const server = await controllerMain('ptcp:0:127.0.0.1', (l) => lines.push(l));
    cleanups.push(() => server.close());
    const sws = await switches(server.address().port!);
    for (const s of sws) await expect.poll(() => afterHello(s)).toEqual([T.FEATURES_REQUEST, OFPT_SET_CONFIG]);
    await expect.poll(() => lines.filter((l) => / datapath id 000000000000000[12], ports -$/.test(l)).length).toBe(SWITCHES);
  });

  const FAST_REPLY_13: Record<string, () => Promise<Controller>> = {
    'bench/controllers/fast-reply-13.mjs': async () => (await import('../../bench/controllers/fast-reply-13.mjs')).startFastReply13(),
    'bench/controllers/bare-13.mjs (batched)': async () => (await import('../../bench/controllers/bare-13.mjs')).startBare13({ batched: true }),
  };

  test.each(Object.keys(FAST_REPLY_13))('%s: OpenFlow 1.3 switches flooding like cbench get PACKET_OUTs to the in_port of the match', async (name) => {
    const ctl = await FAST_REPLY_13[name]!();
    cleanups.push(() => ctl.close());
    const sws = await switches(ctl.port, { version: 4, flood: true });
    for (const s of sws) await expect.poll(() => afterHello(s)).toEqual([T.FEATURES_REQUEST, OFPT_SET_CONFIG]);
    for (const s of sws) s.start();
    await expect.poll(() => Math.min(...sws.map((s) => s.answered)), { timeout: 5000 }).toBeGreaterThanOrEqual(50);
    // The PACKET_INs' match says in_port 1: the answers carry it.
    for (const s of sws) expect(s.lastInPort).toBe(1);
  });
});
