#!/usr/bin/env node
/**
 * npm run fuzz: the property tests of test/fuzz/ at ten times their `npm test` budget
 * (1,000,000 cases in all), then the model-based rconn test (test/model/) with 50,000 sequences
 * (25 times its `npm test` budget) on real loopback sockets, printing the count and the time of
 * each and the total.
 *
 *   node scripts/fuzz.mjs [--scale N] [--only SUBSTRING]
 *   FUZZ_SEED=123 node scripts/fuzz.mjs --only 'mutated'   # replay a failure fast-check reported
 *
 * The TypeScript sources (src/ and test/fuzz/) are transpiled to a temporary directory first:
 * type checking is tsc's job (npm run typecheck), this only strips types so plain node can run them.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import ts from 'typescript';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

function parseArgs(argv) {
  const opts = { scale: 10, only: '' };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--scale') opts.scale = Number(argv[++i]);
    else if (argv[i] === '--only') opts.only = argv[++i] ?? '';
    else if (argv[i] === '--help') {
      console.log('usage: node scripts/fuzz.mjs [--scale N] [--only SUBSTRING]   (FUZZ_SEED=n to replay)');
      process.exit(0);
    } else throw new Error(`unknown argument ${argv[i]}`);
  }
  if (!(opts.scale > 0)) throw new Error('--scale must be a positive number');
  return opts;
}

function walk(path) {
  return statSync(path).isDirectory() ? readdirSync(path).flatMap((n) => walk(join(path, n))) : [path];
}

function transpile(dirs) {
  const out = mkdtempSync(join(tmpdir(), 'ofrc-fuzz-'));
  symlinkSync(join(ROOT, 'node_modules'), join(out, 'node_modules'), 'dir');
  writeFileSync(join(out, 'package.json'), '{ "type": "module" }\n');
  for (const file of dirs.flatMap((d) => walk(join(ROOT, d)))) {
    if (!file.endsWith('.ts') || file.endsWith('.d.ts') || file.endsWith('.test.ts')) continue;
    const js = ts.transpileModule(readFileSync(file, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      fileName: file,
    }).outputText;
    const target = join(out, relative(ROOT, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, js);
  }
  return out;
}

const opts = parseArgs(process.argv.slice(2));
const dir = transpile(['src', 'test/fuzz', 'test/model', 'test/support']);
// Model sequences per unit of --scale: 50,000 at the default scale of 10.
const MODEL_RUNS_PER_SCALE = 5000;
let failed = false;
try {
  const { allProperties } = await import(pathToFileURL(join(dir, 'test/fuzz/all.props.js')).href);
  const { runProperty } = await import(pathToFileURL(join(dir, 'test/fuzz/fuzz-property.js')).href);
  const chosen = allProperties.filter((p) => p.name.includes(opts.only));
  let cases = 0;
  const start = performance.now();
  for (const p of chosen) {
    const runs = p.runs * opts.scale;
    const t0 = performance.now();
    try {
      runProperty(p, opts.scale);
    } catch (err) {
      failed = true;
      console.log(`FAIL  ${p.name}\n${err instanceof Error ? err.message : String(err)}`);
      continue;
    }
    cases += runs;
    const s = (performance.now() - t0) / 1000;
    console.log(`ok    ${String(runs).padStart(9)} cases  ${s.toFixed(1).padStart(6)} s  ${p.name}`);
  }
  if ('rconn model'.includes(opts.only)) {
    const { runRconnModel } = await import(pathToFileURL(join(dir, 'test/model/rconn-model.js')).href);
    const runs = Math.round(MODEL_RUNS_PER_SCALE * opts.scale);
    const seed = process.env['FUZZ_SEED'];
    try {
      const stats = await runRconnModel(runs, seed ? { seed: Number(seed) } : {});
      cases += stats.sequences;
      console.log(`ok    ${String(stats.sequences).padStart(9)} seqs   ${(stats.ms / 1000).toFixed(1).padStart(6)} s  rconn model (${stats.steps} steps; reached ${JSON.stringify(stats.reached)})`);
    } catch (err) {
      failed = true;
      console.log(`FAIL  rconn model\n${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const total = (performance.now() - start) / 1000;
  console.log(`\n${failed ? 'FAILED' : 'passed'}: ${cases.toLocaleString('en-US')} cases in ${total.toFixed(1)} s`
    + ` (${Math.round(cases / total).toLocaleString('en-US')} cases/s)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
