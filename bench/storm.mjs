// A controller restart under a fleet of emulated switches, run through the CLI:
// `ofrconn switch tcp:127.0.0.1:PORT --count N [--backoff-jitter J]` in a child process, a
// controller here (listen() with the standard handshake, which learns each datapath id). Once all N
// are connected the controller stops (every connection closed), stays down DOWN_MS, and listens
// again on the same port; we record when each switch's HELLO exchange completes (its arrival),
// then learn its datapath id with the standard handshake to check that every one came back.
// Reported per jitter setting: reconnect arrivals per 100 ms (peak and p99 over the recovery
// span), the time until all N are back, and whether every datapath id came back exactly once.
//
//   npm run build && node bench/storm.mjs [--count 1000] [--down-ms 2500] [--json]
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { featuresHandshake, formatDatapathId, listen } from '../dist/index.js';

const BUCKET_MS = 100;
const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const COUNT = option('count', 1000);
const DOWN_MS = option('down-ms', 2500);
const TIMEOUT_MS = option('timeout-ms', 60_000);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** `onSwitch(dpid, ms)` for every switch: ms when its HELLO completed, dpid from the handshake. */
async function controller(port, onSwitch) {
  const server = await listen(`ptcp:${port}:127.0.0.1`, { probeInterval: 30 });
  server.on('error', () => {});
  server.on('rconn', (sw) => {
    const arrived = performance.now();
    featuresHandshake(sw, { timeout: 30 }).then((f) => onSwitch(formatDatapathId(f.datapathId), arrived), () => {});
  });
  return server;
}

async function waitFor(pred, ms, what) {
  const deadline = performance.now() + ms;
  while (!pred()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function stormOnce(jitter) {
  let connected = new Map();
  let server = await controller(0, (dpid, t) => connected.set(dpid, t));
  const port = server.address().port;
  const args = [CLI, 'switch', `tcp:127.0.0.1:${port}`, '--count', String(COUNT), '--probe-interval', '30'];
  if (jitter !== null) args.push('--backoff-jitter', String(jitter));
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    await waitFor(() => connected.size === COUNT, TIMEOUT_MS, `${COUNT} switches to connect`);
    // Let the fleet settle into its connected state before pulling the plug.
    await sleep(1500);

    const arrivals = [];
    const back = new Map();
    const t0 = performance.now();
    await server.close();
    await sleep(DOWN_MS);
    const upAt = performance.now() - t0;
    server = await controller(port, (dpid, t) => { arrivals.push(t - t0); back.set(dpid, (back.get(dpid) ?? 0) + 1); });
    await waitFor(() => back.size === COUNT, TIMEOUT_MS, `${COUNT} switches to come back`);
    await sleep(300);

    const first = Math.min(...arrivals);
    const last = Math.max(...arrivals);
    const buckets = new Array(Math.floor((last - first) / BUCKET_MS) + 1).fill(0);
    for (const t of arrivals) buckets[Math.floor((t - first) / BUCKET_MS)]++;
    const sorted = [...buckets].sort((a, b) => a - b);
    return {
      jitter: jitter ?? 'default (0.25)',
      switches: COUNT,
      controllerDownMs: Math.round(upAt),
      allBack: back.size === COUNT,
      duplicates: [...back.values()].filter((n) => n > 1).length,
      firstArrivalMs: Math.round(first),
      allBackMs: Math.round(last),
      spreadMs: Math.round(last - first),
      peakPer100ms: sorted.at(-1),
      p99Per100ms: percentile(sorted, 99),
      nonEmptyBuckets: buckets.filter((n) => n > 0).length,
      buckets,
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await server.close();
  }
}

const results = [];
for (const jitter of [null, 0]) results.push(await stormOnce(jitter));
if (process.argv.includes('--json')) {
  console.log(JSON.stringify(results, null, 2));
} else {
  console.log(`controller restart under ${COUNT} emulated switches (ofrconn switch --count ${COUNT}), down ${DOWN_MS} ms`);
  console.log('jitter           | all back | first arrival | all back at | peak /100ms | p99 /100ms | buckets with arrivals');
  for (const r of results) {
    console.log(`${String(r.jitter).padEnd(16)} | ${String(r.allBack).padEnd(8)} | ${`${r.firstArrivalMs} ms`.padEnd(13)} | ${`${r.allBackMs} ms`.padEnd(11)} | ${String(r.peakPer100ms).padEnd(11)} | ${String(r.p99Per100ms).padEnd(10)} | ${r.nonEmptyBuckets}`);
  }
  for (const r of results) console.log(`arrivals per 100 ms from the first, jitter ${r.jitter}: ${r.buckets.join(' ')}`);
}
