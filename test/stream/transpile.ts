/**
 * Compiles src/ files to plain JavaScript in a temporary directory, for child processes that run
 * our code outside vitest (e.g. inside a network namespace). Type checking is tsc's job; this only
 * strips types. The directory gets a node_modules link so that optional packages (koffi) resolve.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Transpiles `paths` (files or folders, relative to the repository root); returns the output root. */
export function transpileToTemp(paths: string[]): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'ofrc-js-'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  for (const p of paths) for (const file of walk(join(ROOT, p))) emit(file, dir);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

function walk(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).flatMap((name) => walk(join(path, name)));
}

function emit(file: string, outRoot: string): void {
  if (!file.endsWith('.ts') || file.endsWith('.d.ts')) return;
  const out = ts.transpileModule(readFileSync(file, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    fileName: file,
  });
  const target = join(outRoot, relative(ROOT, file)).replace(/\.ts$/, '.js');
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, out.outputText);
}
