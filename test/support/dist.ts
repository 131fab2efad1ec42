/**
 * The built library for tests that run it in child processes (the CLI, the fault scenarios, the
 * keepalive child in a namespace): plain node cannot load .ts, so they need dist/.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const DIST_INDEX = join(ROOT, 'dist/index.js');
export const DIST_CLI = join(ROOT, 'dist/cli/main.js');

function newestTs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestTs(p));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

function distFresh(): boolean {
  const src = newestTs(join(ROOT, 'src'));
  return [DIST_INDEX, DIST_CLI].every((f) => existsSync(f) && statSync(f).mtimeMs >= src);
}

/**
 * Runs `build` holding a lock directory named after `what`: test files run in parallel processes,
 * and two of them must not run tsc over the same output at once.
 */
export async function withBuildLock(what: string, build: () => void): Promise<void> {
  const lock = join(tmpdir(), `ofrconn-${what}-${Buffer.from(ROOT).toString('hex').slice(-24)}.lock`);
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Someone else builds; a lock older than 2 minutes is left over from a killed run.
      try { if (Date.now() - statSync(lock).mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true }); } catch { /* gone */ }
      if (Date.now() > deadline) throw new Error(`timed out waiting for another test file to build ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    build();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Compiles src/ to dist/ unless dist is newer than every source file. */
export async function ensureDist(): Promise<void> {
  if (distFresh()) return;
  await withBuildLock('build', () => {
    if (distFresh()) return;
    const r = spawnSync(join(ROOT, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.build.json'], { cwd: ROOT, encoding: 'utf8' });
    // tsc still emits on type errors; `npm test` runs its own typecheck and reports them.
    if (!existsSync(DIST_INDEX) || !existsSync(DIST_CLI)) throw new Error(`build failed:\n${r.stdout}${r.stderr}`);
    if (r.status !== 0) console.warn(`tsc -p tsconfig.build.json reported errors (dist was still written):\n${r.stdout}`);
  });
}
