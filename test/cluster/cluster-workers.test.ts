/**
 * examples/cluster: 4 workers of Node's cluster module share one listening socket; 400 emulated
 * switches spread across them. Killing a worker: its switches reconnect within their backoff and
 * land on the other workers, and no switch is ever served by two live workers at once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rconn, SwitchEmulator, formatDatapathId } from '../../src/index.js';
import { buildExamples } from '../support/examples-build.js';
import { until } from '../interop/helpers.js';

const WORKERS = 4;
const SWITCHES = 400;
const MAX_BACKOFF_S = 2;

interface LogEvent { t: number; event: string; worker: number; dpid?: string; port?: number; signal?: string }

describe('a controller on every core (node:cluster)', () => {
  let primary: ChildProcess;
  const events: LogEvent[] = [];
  const switches: Rconn[] = [];
  /** dpid -> the live worker serving it; a second live worker for the same dpid is a violation. */
  const servedBy = new Map<string, number>();
  const violations: string[] = [];
  const deadWorkers = new Set<number>();

  beforeAll(async () => {
    const [script] = await buildExamples('cluster/controller.ts');
    primary = spawn(process.execPath, [script!, '--workers', String(WORKERS), '--listen', 'ptcp:0:127.0.0.1'], { stdio: ['ignore', 'pipe', 'inherit'] });
    createInterface({ input: primary.stdout! }).on('line', (line) => {
      let e: LogEvent;
      try { e = JSON.parse(line) as LogEvent; } catch { return; }
      events.push(e);
      if (e.event === 'switch') {
        const holder = servedBy.get(e.dpid!);
        if (holder !== undefined && holder !== e.worker && !deadWorkers.has(holder)) violations.push(`${e.dpid} on ${holder} and ${e.worker}`);
        servedBy.set(e.dpid!, e.worker);
      } else if (e.event === 'gone' && servedBy.get(e.dpid!) === e.worker) {
        servedBy.delete(e.dpid!);
      } else if (e.event === 'workerExit') {
        deadWorkers.add(e.worker);
      }
    });
    await until(() => events.filter((e) => e.event === 'listening').length === WORKERS, 30_000, `${WORKERS} workers listening`);
    const ports = new Set(events.filter((e) => e.event === 'listening').map((e) => e.port));
    expect(ports.size).toBe(1);
    const target = `tcp:127.0.0.1:${[...ports][0]}`;
    for (let i = 1; i <= SWITCHES; i++) {
      const emulator = new SwitchEmulator({ datapathId: BigInt(i) });
      const rconn = new Rconn({ name: `sw${i}`, maxBackoff: MAX_BACKOFF_S, probeInterval: 5 });
      rconn.on('message', (msg) => { const reply = emulator.reply(msg); if (reply) rconn.send(reply); });
      switches.push(rconn.connect(target));
    }
  }, 180_000); // builds dist/ and the examples first

  afterAll(async () => {
    await Promise.all(switches.map((s) => s.close()));
    primary?.kill('SIGTERM');
  });

  it('spreads the switches, and a killed worker\'s switches reconnect to the others within the backoff', async () => {
    await until(() => servedBy.size === SWITCHES, 60_000, `all ${SWITCHES} switches served`);
    const perWorker = new Map<number, number>();
    for (const w of servedBy.values()) perWorker.set(w, (perWorker.get(w) ?? 0) + 1);
    expect(perWorker.size).toBe(WORKERS);
    for (const n of perWorker.values()) expect(n).toBeGreaterThan(SWITCHES / WORKERS / 4);

    const [victim, count] = [...perWorker.entries()][0]!;
    const orphans = new Set([...servedBy].filter(([, w]) => w === victim).map(([d]) => d));
    const downAt = new Map<string, number>();
    const back = new Map<string, number>();
    /** The backoff each orphan's rconn chose when it lost its worker. */
    const backoff = new Map<string, number>();
    for (const sw of switches) {
      sw.once('disconnected', () => {
        downAt.set(sw.name, Date.now());
        backoff.set(sw.name, sw.status().backoff);
        sw.once('connected', () => back.set(sw.name, Date.now()));
      });
    }
    process.kill(victim, 'SIGKILL');
    await until(() => [...orphans].every((d) => { const w = servedBy.get(d); return w !== undefined && w !== victim; }), 15_000, `the ${count} orphaned switches on other workers`);
    // Each orphan was connected again within the backoff its rconn chose (jitter only shortens
    // it), plus slack for a loaded 2-core machine where 100 switches reconnect at once.
    const names = [...orphans].map((d) => `sw${Number.parseInt(d, 16)}`);
    expect(switches.filter((s) => downAt.has(s.name)).map((s) => s.name).sort()).toEqual(names.sort());
    const delays = names.map((n) => back.get(n)! - downAt.get(n)!);
    for (const n of names) expect(back.get(n)! - downAt.get(n)!, n).toBeLessThan(backoff.get(n)! + 3000);
    expect(violations).toEqual([]);
    expect(new Set(servedBy.values()).has(victim)).toBe(false);
    expect(servedBy.size).toBe(SWITCHES);
    console.log(`cluster: ${WORKERS} workers, ${SWITCHES} switches (${[...perWorker.values()].join('/')}); killed worker served ${count}, back in max ${Math.max(...delays)} ms (backoff chosen: ${[...new Set(backoff.values())].join('/')} ms)`);
  }, 60_000);
});
