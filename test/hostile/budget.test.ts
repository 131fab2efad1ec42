/**
 * Byte budgets: peers that make us answer and never read. Echo replies of 64 KiB count against
 * the send budget, so reading pauses once it is used up and memory stays within it; a peer that
 * provokes error replies faster than the documented rate (100/s, burst 200) is dropped with EFLOOD.
 */
import { spawn } from 'node:child_process';
import * as net from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS, listen, Rconn, type RconnStatus } from '../../src/index.js';
import { Attacker, header, mib, report, size, sleep } from './support.js';
import { JsonChild } from '../fault/harness.js';
import { DIST_INDEX, ensureDist } from '../support/dist.js';

const BUDGET = DEFAULTS.sendBudget;

interface FloodCost {
  rssPeak: number;
  rssAfterGc: number;
  retained: number;
  maxBacklog: number;
}

const SERVER_CHILD = join(dirname(fileURLToPath(import.meta.url)), 'children', 'echo-server-child.mjs');

// n peers flood a server with 64 KiB ECHO_REQUESTs and never read. The server runs in a fresh
// process (the library's listener, or 'bare' Node doing the same replies), because whichever flood
// a process meets first grows its RSS (V8's young generation, malloc's arenas) and a second one
// reuses those pages: measured in one process, the order would decide the result. The cost counts
// from a baseline that already holds n idle connections, so it is the flood's, not the
// connections' (about 50 KiB of objects each).
async function echoFlood(target: string, n: number): Promise<FloodCost> {
  const child = new JsonChild(target === 'bare' ? 'bare-echo' : 'library-echo', spawn(process.execPath, ['--expose-gc', SERVER_CHILD, target, String(BUDGET)], { stdio: ['pipe', 'pipe', 'pipe'] }));
  const say = (line: string): void => void child.proc.stdin!.write(`${line}\n`);
  try {
    const { port } = (await child.waitFor((e) => e.ev === 'listening', 20_000)) as unknown as { port: number };
    const idle = Attacker.start({ kind: 'hold', port, n });
    await idle.waitFor('ready', 20_000);
    await sleep(200);
    say('mark');
    await child.waitFor((e) => e.ev === 'marked', 10_000);
    await idle.stop();
    const attacker = Attacker.start({ kind: 'flood', port, n, message: 'echo64k', read: false });
    try {
      await attacker.waitFor('ready', 20_000);
      await sleep(size(3000, 15_000));
      // Measured during the flood: what the attack holds on to, after a GC, rather than garbage
      // the collector has not reached yet.
      say('measure');
      return (await child.waitFor((e) => e.ev === 'cost', 20_000)) as unknown as FloodCost;
    } finally {
      await attacker.stop();
    }
  } finally {
    child.proc.stdin!.end();
    child.proc.kill();
  }
}

describe('send budget in bytes', () => {
  beforeAll(async () => { await ensureDist(); }, 180_000);

  it('controller: peers flooding 64 KiB ECHO_REQUESTs and never reading stay within the budget', async () => {
    const n = 10;
    // One after the other, so that neither loads the CPU while the other is measured.
    const lib = await echoFlood(DIST_INDEX, n);
    const bare = await echoFlood('bare', n);
    const budgetBound = n * (BUDGET + 256 * 1024);
    // RSS beyond what is retained is the runtime's, which a bare Node server pays as well: the
    // library's RSS is bounded by the bare server's plus the bound.
    const rssBound = Math.max(0, bare.rssAfterGc) + budgetBound;
    report({
      attack: `${n} peers flooding 64 KiB ECHO_REQUESTs, never reading (controller)`,
      measured: `library: RSS peak +${mib(lib.rssPeak)}, after GC +${mib(lib.rssAfterGc)}, heap+external retained +${mib(lib.retained)}, largest send backlog ${mib(lib.maxBacklog)}; bare Node server doing the same replies: RSS peak +${mib(bare.rssPeak)}, after GC +${mib(bare.rssAfterGc)}, retained +${mib(bare.retained)}`,
      bound: `retained <= ${mib(budgetBound)} (10 x (budget ${mib(BUDGET)} + 256 KiB)); RSS after GC <= bare Node's + that = ${mib(rssBound)}`,
      ok: lib.retained <= budgetBound && lib.rssAfterGc <= rssBound && lib.maxBacklog <= BUDGET,
    });
    expect(lib.maxBacklog).toBeLessThanOrEqual(BUDGET);
    expect(lib.retained).toBeLessThanOrEqual(budgetBound);
    expect(lib.rssAfterGc).toBeLessThanOrEqual(rssBound);
  }, 120_000);

  it('switch: a controller flooding 64 KiB ECHO_REQUESTs and never reading stays within the budget', async () => {
    const burst = Buffer.concat([header(4, 2, 65535), Buffer.alloc(65535 - 8, 0x61)]);
    let flooding = true;
    const server = net.createServer((s) => {
      s.on('error', () => {});
      s.write(header(4, 0, 8));
      s.pause();
      const pump = (): void => {
        while (flooding && !s.destroyed && s.write(burst));
        if (flooding && !s.destroyed) s.once('drain', pump);
      };
      pump();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const rconn = new Rconn({ probeInterval: 0 });
    let maxBacklog = 0;
    const poll = setInterval(() => { maxBacklog = Math.max(maxBacklog, rconn.status().sendBacklog); }, 20);
    rconn.connect(`tcp:127.0.0.1:${(server.address() as net.AddressInfo).port}`);
    await sleep(size(2000, 5000));
    flooding = false;
    clearInterval(poll);
    const st = rconn.status();
    await rconn.close();
    server.close();
    expect(st.txPackets).toBeGreaterThan(0);
    expect(maxBacklog).toBeLessThanOrEqual(BUDGET);
  }, 30_000);

  it('the application is refused (EAGAIN) at the budget, not only at txqLimit', async () => {
    const server = net.createServer((s) => { s.on('error', () => {}); s.write(header(4, 0, 8)); s.pause(); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const rconn = new Rconn({ probeInterval: 0, sendBudget: 256 * 1024 });
    await new Promise<void>((r) => { rconn.once('connected', () => r()); rconn.connect(`tcp:127.0.0.1:${(server.address() as net.AddressInfo).port}`); });
    const big = Buffer.concat([header(4, 2, 60_000), Buffer.alloc(60_000 - 8)]);
    let refusal: { code?: string; message: string } | undefined;
    // The kernel takes a few MB first; the budget binds once it stops taking more.
    for (let i = 0; i < 2000 && !refusal; i++) {
      try {
        rconn.send(big);
      } catch (err) {
        refusal = err as { code?: string; message: string };
      }
      if (i % 20 === 19) await sleep(5);
    }
    const st = rconn.status();
    await rconn.close();
    server.close();
    expect(refusal?.code).toBe('EAGAIN');
    expect(refusal?.message).toMatch(/send budget/);
    expect(st.txq).toBeLessThan(1000);
    expect(st.sendBacklog).toBeLessThanOrEqual(256 * 1024);
  }, 30_000);
});

describe('error-reply rate', () => {
  it('a peer provoking error replies faster than 100/s is dropped with EFLOOD and counted', async () => {
    const listener = await listen('ptcp:0:127.0.0.1', { probeInterval: 0 });
    const ended: Array<{ code?: string; status: RconnStatus }> = [];
    listener.on('rconn', (r) => r.on('disconnected', ({ error }) => ended.push({ code: (error as { code?: string } | null)?.code, status: r.status() })));
    const s = net.connect({ port: listener.address().port!, host: '127.0.0.1' });
    s.on('error', () => {});
    s.on('data', () => {});
    await new Promise((r) => s.once('connect', r));
    // 1.0 messages on a 1.3 connection: each one is answered with BAD_REQUEST/BAD_VERSION.
    const bad = Buffer.concat(Array.from({ length: 400 }, (_, i) => header(1, 5, 8, i)));
    const t0 = performance.now();
    s.write(Buffer.concat([header(4, 0, 8), bad]));
    await new Promise((r) => s.once('close', r));
    const burstMs = performance.now() - t0;
    await sleep(20);
    await listener.close();
    report({ attack: '400 messages provoking error replies at once', measured: `dropped with ${ended[0]?.code}, after ${ended[0]?.status.rejected} rejected`, bound: 'EFLOOD after the burst of 200', ok: ended[0]?.code === 'EFLOOD' });
    expect(ended[0]?.code).toBe('EFLOOD');
    expect(ended[0]?.status.inputFaults).toBe(1);
    expect(ended[0]?.status.rejected).toBeGreaterThanOrEqual(200);
    // The bucket refills at 100/s while the burst is handled: on a loaded machine those 200
    // rejections can take tens of milliseconds, each 10 ms one more token.
    expect(ended[0]?.status.rejected).toBeLessThanOrEqual(201 + Math.ceil(burstMs / 10));
  });

  it('a peer provoking errors below the rate stays connected', async () => {
    const listener = await listen('ptcp:0:127.0.0.1', { probeInterval: 0 });
    let rejected = 0;
    let dropped = false;
    listener.on('rconn', (r) => {
      r.on('disconnected', ({ error }) => { if (error) dropped = true; });
      const t = setInterval(() => { rejected = r.status().rejected; }, 50);
      r.once('close', () => clearInterval(t));
    });
    const s = net.connect({ port: listener.address().port!, host: '127.0.0.1' });
    s.on('error', () => {});
    s.on('data', () => {});
    await new Promise((r) => s.once('connect', r));
    s.write(header(4, 0, 8));
    // 50 per second for 2 s: within the rate.
    for (let i = 0; i < 20; i++) {
      s.write(Buffer.concat(Array.from({ length: 5 }, (_, j) => header(1, 5, 8, i * 5 + j))));
      await sleep(100);
    }
    await sleep(100);
    const droppedWhileSending = dropped;
    s.destroy();
    await listener.close();
    expect(droppedWhileSending).toBe(false);
    expect(rejected).toBe(100);
  });
});
