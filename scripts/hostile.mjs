#!/usr/bin/env node
/**
 * npm run hostile: the hostile-peer suite of test/hostile/ at the sizes of its issue (8,191 HELLO
 * bitmap sizes, 100 x 64 KiB HELLOs, 500 silent TLS clients, 200 flooding peers, 15,000 CLI
 * connections...), one file at a time so attacks do not overlap, then one table: each attack, what
 * was measured, the bound, and whether it held. Exit status 1 when a test failed.
 *
 *   node scripts/hostile.mjs [vitest file filters...]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = mkdtempSync(join(tmpdir(), 'ofrc-hostile-'));
const reportFile = join(dir, 'rows.jsonl');
const filters = process.argv.slice(2);

const vitest = spawnSync(process.execPath, [
  join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', ...(filters.length ? filters : ['test/hostile']),
  '--maxWorkers=1', '--no-file-parallelism', '--testTimeout=900000', '--hookTimeout=300000',
], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, HOSTILE_FULL: '1', HOSTILE_REPORT: reportFile } });

const rows = existsSync(reportFile)
  ? readFileSync(reportFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l))
  : [];
rmSync(dir, { recursive: true, force: true });

const cols = [['', (r) => (r.ok ? 'ok' : 'FAIL')], ['attack', (r) => r.attack], ['measured', (r) => r.measured], ['bound', (r) => r.bound]];
const widths = cols.map(([h, f]) => Math.min(90, Math.max(h.length, ...rows.map((r) => String(f(r)).length))));
const line = (cells) => cells.map((c, i) => String(c).slice(0, widths[i]).padEnd(widths[i])).join(' | ');
console.log(`\nhostile peers, full size (${new Date().toISOString()}, load average ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')})`);
console.log(line(cols.map(([h]) => h)));
console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
for (const r of rows) {
  // Long cells wrap onto continuation lines rather than being cut.
  const cells = cols.map(([, f]) => String(f(r)));
  for (let off = 0; cells.some((c) => c.length > off); off += 90) console.log(line(cells.map((c) => c.slice(off, off + 90))));
}
process.exitCode = vitest.status === 0 ? 0 : 1;
