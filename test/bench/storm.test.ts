/**
 * bench/storm.mjs at toy size (20 switches): the script still runs against the built CLI and
 * reports every switch back, with and without jitter. The 1,000-switch figures come from running
 * it by hand (`node bench/storm.mjs`).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, test } from 'vitest';
import { ROOT, ensureDist } from '../support/dist.js';

const exec = promisify(execFile);
beforeAll(ensureDist, 120_000);

describe('bench/storm.mjs', () => {
  test('20 switches, controller down 1 s: all come back, once each, in both runs', async () => {
    const { stdout } = await exec(process.execPath, ['bench/storm.mjs', '--count', '20', '--down-ms', '1000', '--json'], { cwd: ROOT, timeout: 60_000 });
    const runs = JSON.parse(stdout) as Array<{ jitter: unknown; allBack: boolean; duplicates: number; peakPer100ms: number; buckets: number[] }>;
    expect(runs.map((r) => r.jitter)).toEqual(['default (0.25)', 0]);
    for (const r of runs) {
      expect(r).toMatchObject({ allBack: true, duplicates: 0 });
      expect(r.buckets.reduce((a, b) => a + b, 0)).toBe(20);
      expect(r.peakPer100ms).toBe(Math.max(...r.buckets));
    }
  }, 70_000);
});
