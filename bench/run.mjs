// npm run bench: runs every measure (or those named: `node bench/run.mjs P3 P5`), prints a table
// and writes bench/results/latest.json. Needs a built dist/ (npm run build).
import fs from 'node:fs';
import { MEASURES, machineInfo } from './index.mjs';
import { benchFile } from './lib/util.mjs';

const wanted = process.argv.slice(2).map((a) => a.toUpperCase());
const unknown = wanted.filter((id) => !(id in MEASURES));
if (unknown.length) {
  console.error(`unknown measure ${unknown.join(', ')}; known: ${Object.keys(MEASURES).join(', ')}`);
  process.exit(2);
}
const ids = wanted.length ? wanted : Object.keys(MEASURES);
const machine = machineInfo();
console.log(`${machine.cpuModel}, ${machine.cores} cores, node ${machine.node}, ${machine.platform}`);

const results = [];
let failed = false;
for (const id of ids) {
  const t0 = performance.now();
  process.stdout.write(`${id} ${MEASURES[id].title} ... `);
  try {
    const rows = await MEASURES[id].run();
    results.push(...rows);
    console.log(`${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } catch (err) {
    failed = true;
    console.log('FAILED');
    console.error(err);
    results.push({ name: `${id} ${MEASURES[id].title}`, value: null, unit: '', baseline: null, ratio: null, goal: '', met: false, error: String(err?.message ?? err) });
  }
}

const fmt = (x) => (x === null || x === undefined ? '' : String(x));
const table = [['measure', 'value', 'unit', 'baseline', 'ratio', 'goal', 'met']]
  .concat(results.map((r) => [r.name, fmt(r.value), r.unit, fmt(r.baseline), fmt(r.ratio), r.goal, r.error ? 'ERROR' : r.met ? 'yes' : 'NO']));
const widths = table[0].map((_, c) => Math.max(...table.map((line) => line[c].length)));
console.log();
for (const [i, line] of table.entries()) {
  console.log(line.map((cell, c) => (c === 0 || c === 2 || c === 5 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));
  if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
}

// A partial run (`run.mjs P3`) updates only its own rows, so latest.json always holds every measure.
// Token runs (BENCH_SMOKE=1) must never pass for figures: they go to their own file.
const out = benchFile(process.env.BENCH_SMOKE === '1' ? 'results/smoke.json' : 'results/latest.json');
let previous = [];
if (wanted.length) {
  try { previous = JSON.parse(fs.readFileSync(out, 'utf8')).results ?? []; } catch { previous = []; }
}
const fresh = new Set(ids);
const merged = [...previous.filter((r) => !fresh.has(r.name.split(' ')[0].toUpperCase())), ...results]
  .sort((a, b) => a.name.split(' ')[0].localeCompare(b.name.split(' ')[0]));
fs.mkdirSync(benchFile('results'), { recursive: true });
fs.writeFileSync(out, `${JSON.stringify({ machine, date: new Date().toISOString(), results: merged }, null, 2)}\n`);
console.log(`\nwrote ${out}`);
process.exit(failed ? 1 : 0);
