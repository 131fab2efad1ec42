/**
 * Descriptor exhaustion: a controller with `ulimit -n 64` and more connections than it can take.
 * Each burst of EMFILE is one 'acceptError' event and one log line, not one per failed accept, and
 * accepting resumes by itself: a switch connects within 1 s once descriptors free up.
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { DIST_INDEX, ensureDist } from '../support/dist.js';
import { Attacker, legitSwitch, report, size, sleep } from './support.js';

const CHILD = join(dirname(fileURLToPath(import.meta.url)), 'children', 'emfile-child.mjs');

beforeAll(async () => { await ensureDist(); }, 180_000);

describe('accept errors', () => {
  it('EMFILE: one event and one log line per burst; a switch connects within 1 s once descriptors free up', async () => {
    const proc = spawn('bash', ['-c', `ulimit -n 64 && exec "${process.execPath}" "${CHILD}" "${DIST_INDEX}"`], { stdio: ['pipe', 'pipe', 'pipe'] });
    const events: Array<Record<string, unknown>> = [];
    createInterface({ input: proc.stdout! }).on('line', (l) => events.push(JSON.parse(l) as Record<string, unknown>));
    let stderr = '';
    proc.stderr!.on('data', (d) => (stderr += d));
    const count = (ev: string): number => events.filter((e) => e.ev === ev).length;
    const until = async (cond: () => boolean, ms: number, what: string): Promise<void> => {
      const end = Date.now() + ms;
      while (!cond()) {
        if (Date.now() > end) throw new Error(`no ${what} within ${ms} ms; child events ${JSON.stringify(events.slice(-5))} stderr ${stderr}`);
        await sleep(20);
      }
    };
    const connectTimes: number[] = [];
    try {
      await until(() => count('listening') === 1, 15_000, 'listening');
      const port = events.find((e) => e.ev === 'listening')!.port as number;
      for (let burst = 1; burst <= size(2, 3); burst++) {
        const attacker = Attacker.start({ kind: 'hold', port, n: 120 });
        await attacker.waitFor('ready', 20_000);
        await until(() => count('acceptError') >= burst, 5000, `acceptError of burst ${burst}`);
        await sleep(300);
        attacker.release();
        await attacker.stop();
        // Accepting resumes without help: a switch completes TCP + HELLO + FEATURES_REQUEST.
        const t0 = performance.now();
        for (;;) {
          try {
            const s = await Promise.race([legitSwitch(port, BigInt(burst)), sleep(1500).then(() => { throw new Error('timeout'); })]);
            s.destroy();
            break;
          } catch {
            if (performance.now() - t0 > 5000) throw new Error('no switch connected within 5 s');
            await sleep(50);
          }
        }
        connectTimes.push(performance.now() - t0);
        // A burst ends after a second without failures.
        await sleep(1200);
      }
    } finally {
      proc.stdin!.end();
      proc.kill();
    }
    const bursts = connectTimes.length;
    const logLines = events.filter((e) => e.ev === 'log').length;
    report({
      attack: `EMFILE bursts (ulimit -n 64, 120 connections each) x ${bursts}`,
      measured: `${count('acceptError')} acceptError events, ${logLines} log lines; switch connected ${connectTimes.map((t) => t.toFixed(0)).join(', ')} ms after release`,
      bound: 'one event + one log line per burst; <= 1000 ms',
      ok: count('acceptError') === bursts && logLines === bursts && connectTimes.every((t) => t <= 1000),
    });
    expect(count('acceptError')).toBe(bursts);
    expect(logLines).toBe(bursts);
    expect(events.find((e) => e.ev === 'acceptError')!.code).toBe('EMFILE');
    for (const t of connectTimes) expect(t).toBeLessThanOrEqual(1000);
  }, 120_000);
});
