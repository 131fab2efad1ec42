/**
 * Examples that run as separate processes (a controller per process, Node's cluster workers):
 * they import 'openflow-rconn' by name, which inside this repository resolves to the package
 * itself (dist/). This builds dist/ and then the examples into dist/examples (never packed),
 * under a lock so parallel test files do not write the same files at once.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, ensureDist } from './dist.js';

const OUT = join(ROOT, 'dist/examples');

/** Builds every example; returns the path of the .js of each `entries` (relative to examples/). */
export async function buildExamples(...entries: string[]): Promise<string[]> {
  await ensureDist();
  const lock = join(tmpdir(), `ofrconn-examples-${Buffer.from(ROOT).toString('hex').slice(-24)}.lock`);
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      try { if (Date.now() - statSync(lock).mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true }); } catch { /* gone */ }
      if (Date.now() > deadline) throw new Error('timed out waiting for another test file to build the examples');
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    const r = spawnSync(join(ROOT, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.examples.json', '--outDir', OUT], { cwd: ROOT, encoding: 'utf8' });
    const outputs = entries.map((e) => join(OUT, e.replace(/\.ts$/, '.js')));
    if (r.status !== 0 || !outputs.every((f) => existsSync(f))) throw new Error(`building the examples failed:\n${r.stdout}${r.stderr}`);
    return outputs;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
