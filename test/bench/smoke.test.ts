// Smoke test of the benchmarks (issue 7): every measure runs at token size (BENCH_SMOKE=1: tiny
// batches, 2 switches, 20 idle pairs for 1 s) and must produce finite figures. No timing
// assertions: these machines are too noisy, and the real figures come from `npm run bench`.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BenchRow } from '../../bench/index.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
let MEASURES: typeof import('../../bench/index.mjs').MEASURES;

beforeAll(async () => {
  // The benchmarks import the built library; build it once if this checkout has no dist/ yet.
  if (!fs.existsSync(`${root}dist/rconn/index.js`)) {
    execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', `${root}tsconfig.build.json`], { cwd: root });
  }
  process.env.BENCH_SMOKE = '1';
  ({ MEASURES } = await import('../../bench/index.mjs'));
}, 120_000);

function checkRows(id: string, rows: BenchRow[], expected: number): void {
  expect(rows).toHaveLength(expected);
  for (const r of rows) {
    expect(r.name.startsWith(`${id} `)).toBe(true);
    expect(Number.isFinite(r.value)).toBe(true);
    expect(r.value).toBeGreaterThanOrEqual(0);
    expect(typeof r.met).toBe('boolean');
    if (r.baseline !== null) {
      expect(Number.isFinite(r.baseline)).toBe(true);
      expect(r.baseline).toBeGreaterThan(0);
      expect(Number.isFinite(r.ratio)).toBe(true);
    }
  }
}

describe('benchmarks at smoke size', () => {
  it('P1 codec rows: eight operations, each with a baseline', async () => {
    const rows = await MEASURES.P1.run();
    checkRows('P1', rows, 8);
    for (const r of rows) expect(r.value).toBeGreaterThan(0);
  });

  it('P2 pipelined echo moves messages in both variants', async () => {
    const [row] = await MEASURES.P2.run();
    checkRows('P2', [row!], 1);
    expect(row!.value).toBeGreaterThan(0);
  });

  it('P3 ping-pong completes round trips in both variants', async () => {
    const [row] = await MEASURES.P3.run();
    checkRows('P3', [row!], 1);
    expect(row!.value).toBeGreaterThan(0);
  });

  for (const id of ['P4', 'P4B'] as const) {
    it(`${id} fast-reply controllers answer the cbench-like generator; their CPU per answer; Jain's index over the switches`, async () => {
      const rows = await MEASURES[id].run();
      checkRows(id === 'P4' ? 'P4' : 'P4b', rows, 3);
      expect(rows[0]!.value).toBeGreaterThan(0);
      const perSwitch = (rows[0]!.extra as { perSwitch: { rconn: number[][] } }).perSwitch.rconn[0]!;
      expect(perSwitch).toHaveLength(2);
      expect(rows[1]!.name).toMatch(/CPU per PACKET_OUT/);
      expect(rows[1]!.value).toBeGreaterThan(0);
      expect(rows[1]!.baseline).toBeGreaterThan(0);
      expect(rows[2]!.value).toBeGreaterThan(0);
      expect(rows[2]!.value).toBeLessThanOrEqual(1);
    });
  }

  it('P5 opens 20 idle pairs in transport mode and reports CPU, heap, wakeups, and the wakeups with watchIdle', async () => {
    const rows = await MEASURES.P5.run();
    checkRows('P5', rows, 4);
    expect(rows[3]!.name).toMatch(/watchIdle: timer wakeups/);
    expect((rows[3]!.extra as { probeModes: { client: Record<string, number> } }).probeModes.client.transport).toBe(20);
    const extra = rows[0]!.extra as { connections: number; probeModes: { server: Record<string, number> } };
    expect(extra.connections).toBe(40);
    expect(extra.probeModes.server.transport).toBe(20);
    // The floor: the same pairs with probing off, measured first in the same run.
    const floor = (extra as unknown as { floor: { probeModes: { server: Record<string, number> } } }).floor;
    expect(floor.probeModes.server.off).toBe(20);
  });
});
