/**
 * Examples that run as separate processes (a controller per process, Node's cluster workers):
 * they import 'openflow-rconn' by name, which inside this repository resolves to the package
 * itself (dist/). This builds dist/ and then the examples into dist/examples (never packed).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, ensureDist, withBuildLock } from './dist.js';

const OUT = join(ROOT, 'dist/examples');

/** Builds every example; returns the path of the .js of each `entries` (relative to examples/). */
export async function buildExamples(...entries: string[]): Promise<string[]> {
  await ensureDist();
  const outputs = entries.map((e) => join(OUT, e.replace(/\.ts$/, '.js')));
  await withBuildLock('examples', () => {
    const r = spawnSync(join(ROOT, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.examples.json', '--outDir', OUT], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0 || !outputs.every((f) => existsSync(f))) throw new Error(`building the examples failed:\n${r.stdout}${r.stderr}`);
  });
  return outputs;
}
