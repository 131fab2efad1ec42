// Shared plumbing for the benchmarks: machine facts, statistics, child processes.
import { fork, spawn } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** BENCH_SMOKE=1 shrinks every measure to a token run (the smoke test), never for real figures. */
export const smoke = () => process.env.BENCH_SMOKE === '1';

export function machineInfo() {
  return {
    cores: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    node: process.version,
    platform: `${process.platform} ${os.release()} ${process.arch}`,
  };
}

export function median(values) {
  const v = [...values].sort((a, b) => a - b);
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/**
 * Jain's fairness index of what each party got: 1 when all got the same, 1/n when one got all
 * (and 0 when nobody got anything).
 */
export function jain(values) {
  const sum = values.reduce((a, b) => a + b, 0);
  const squares = values.reduce((a, b) => a + b * b, 0);
  return squares === 0 ? 0 : (sum * sum) / (values.length * squares);
}

/** One row of results/latest.json. `goal` is `{ op: '>=' | '<=', value }`, compared against ratio (or value). */
export function row(name, value, unit, baseline, ratio, goal, extra) {
  const subject = ratio ?? value;
  const met = Number.isFinite(subject) && (goal.op === '>=' ? subject >= goal.value : subject <= goal.value);
  return { name, value, unit, baseline, ratio, goal: `${goal.op} ${goal.value}${goal.unit ?? ''}`, met, ...(extra ? { extra } : {}) };
}

export const benchFile = (rel) => fileURLToPath(new URL(`../${rel}`, import.meta.url));

/**
 * A peer in its own process with an IPC channel: `request(msg)` posts a command and resolves with
 * the child's answer. Its own process means its own event loop (and, on 2 cores, its own core),
 * so the side we measure is not sharing a loop with the load it is measuring.
 * `nofile`: start it as `bash -c 'ulimit -n N; exec node ...'`, a descriptor limit the parent
 * cannot give it otherwise (capped at the hard limit when raising is not permitted).
 */
export function startPeer(rel, args = [], { nodeArgs = [], nofile } = {}) {
  const argv = [...profileArgs(), ...nodeArgs, benchFile(rel), ...args.map(String)];
  const stdio = ['ignore', 'inherit', 'inherit', 'ipc'];
  let child;
  if (nofile) {
    const quoted = [process.execPath, ...argv].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    // exec keeps the IPC descriptor (NODE_CHANNEL_FD) open for the node that replaces bash.
    child = spawn('bash', ['-c', `ulimit -n ${nofile} 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec ${quoted}`], { stdio });
  } else {
    child = fork(benchFile(rel), args.map(String), { stdio, execArgv: [...profileArgs(), ...nodeArgs] });
  }
  let pending = null;
  child.on('message', (m) => {
    const p = pending;
    pending = null;
    if (!p) return;
    if (m && m.error) p.reject(new Error(`${rel}: ${m.error}`));
    else p.resolve(m);
  });
  child.on('exit', (code, signal) => pending?.reject(new Error(`${rel} exited (${code ?? signal})`)));
  return {
    request(msg) {
      if (pending) throw new Error('one request at a time');
      return new Promise((resolve, reject) => { pending = { resolve, reject }; child.send(msg); });
    },
    /** Closing the channel lets the child exit by itself (so a --cpu-prof profile gets written). */
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.disconnect();
      const t = setTimeout(() => child.kill(), 5000);
      await gone;
      clearTimeout(t);
    },
  };
}

/** The child side of startPeer: answers each command with handler(msg)'s result (or its error). */
export function servePeer(handler) {
  process.on('message', async (msg) => {
    try {
      process.send(await handler(msg));
    } catch (err) {
      process.send({ error: String(err?.stack ?? err) });
    }
  });
  process.on('disconnect', () => process.exit(0));
}

/**
 * BENCH_CPU_PROF_DIR=dir: every child process writes a V8 CPU profile there (`node --cpu-prof`);
 * run the parent with `node --cpu-prof --cpu-prof-dir=dir` too to profile the measured side.
 */
export function profileArgs() {
  const dir = process.env.BENCH_CPU_PROF_DIR;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}
