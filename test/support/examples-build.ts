/**
 * Examples that run as separate processes (a controller per process, Node's cluster workers)
 * need JavaScript: this compiles the given example entry points, with the library sources they
 * import, into node_modules/.cache (inside the repository, so `etcd3` and friends resolve).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './dist.js';

const OUT = join(ROOT, 'node_modules/.cache/ofrconn-examples');

/** Compiles `entries` (paths relative to the repository) and returns the path of each .js. */
export async function buildExamples(...entries: string[]): Promise<string[]> {
  const lock = `${OUT}.lock`;
  mkdirSync(join(ROOT, 'node_modules/.cache'), { recursive: true });
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
    const r = spawnSync(join(ROOT, 'node_modules/.bin/tsc'), [
      '--outDir', OUT, '--rootDir', ROOT, '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022',
      '--skipLibCheck', '--types', 'node', '--sourceMap', 'false', ...entries.map((e) => join(ROOT, e)),
    ], { cwd: ROOT, encoding: 'utf8' });
    const outputs = entries.map((e) => join(OUT, e.replace(/\.ts$/, '.js')));
    if (!outputs.every((f) => existsSync(f))) throw new Error(`building ${entries.join(' ')} failed:\n${r.stdout}${r.stderr}`);
    return outputs;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
