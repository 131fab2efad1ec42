/**
 * Shared by the hostile-peer suite: attack sizes (CI or full), the attacker child process, what is
 * measured in the process under attack (RSS, heap after GC, open descriptors, event-loop delay), a
 * legitimate switch's handshake, and the result rows `npm run hostile` prints as a table.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, readdirSync } from 'node:fs';
import * as net from 'node:net';
import { dirname, join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** `npm run hostile` sets HOSTILE_FULL=1: the sizes of the issue; otherwise sizes for CI. */
export const FULL = process.env.HOSTILE_FULL === '1';
export const size = (ci: number, full: number): number => (FULL ? full : ci);

const HERE = dirname(fileURLToPath(import.meta.url));
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** One line of the results table: an attack, what was measured, the bound, and whether it held. */
export interface Row {
  attack: string;
  measured: string;
  bound: string;
  ok: boolean;
}

/** Prints the row and, under `npm run hostile`, appends it to the table file. */
export function report(row: Row): void {
  console.log(`HOSTILE ${row.ok ? 'ok  ' : 'FAIL'} ${row.attack}: ${row.measured} (bound ${row.bound})`);
  const file = process.env.HOSTILE_REPORT;
  if (file) appendFileSync(file, `${JSON.stringify(row)}\n`);
}

// ---- the attacker process ---------------------------------------------------------------------

export class Attacker {
  private readonly lines: Array<Record<string, unknown>> = [];
  private readonly waiters = new Set<() => void>();
  private stderr = '';

  private constructor(private readonly proc: ChildProcess) {
    createInterface({ input: proc.stdout! }).on('line', (l) => {
      this.lines.push(JSON.parse(l) as Record<string, unknown>);
      for (const w of [...this.waiters]) w();
    });
    proc.stderr!.on('data', (d) => (this.stderr += d));
  }

  static start(cmd: Record<string, unknown>): Attacker {
    const proc = spawn(process.execPath, [join(HERE, 'attacker.mjs'), JSON.stringify(cmd)], { stdio: ['pipe', 'pipe', 'pipe'] });
    return new Attacker(proc);
  }

  /** The first line with `ev`, waiting up to `ms`. */
  waitFor(ev: string, ms: number): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.lines.find((l) => l.ev === ev);
        if (!found) return false;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`attacker: no '${ev}' within ${ms} ms; stderr: ${this.stderr}`));
      }, ms);
      if (!check()) this.waiters.add(check);
    });
  }

  release(): void {
    this.proc.stdin!.write('release\n');
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode !== null) return;
    const exited = new Promise((r) => this.proc.once('exit', r));
    this.proc.kill('SIGKILL');
    await exited;
  }
}

// ---- measurements in the process under attack --------------------------------------------------

let gcFn: (() => void) | undefined;
/** A full garbage collection (enabling --expose-gc at run time, so no special flag is needed). */
export function gc(): void {
  if (!gcFn) {
    setFlagsFromString('--expose-gc');
    gcFn = runInNewContext('gc') as () => void;
  }
  gcFn();
  gcFn();
}

export function heapUsed(): number {
  gc();
  return process.memoryUsage().heapUsed;
}

export function openFds(): number {
  return readdirSync('/proc/self/fd').length;
}

export const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/** RSS peak and event-loop delay (p99, max) over a period of attack. */
export class Sampler {
  private readonly delay = monitorEventLoopDelay({ resolution: 10 });
  private readonly rss0 = process.memoryUsage().rss;
  private peak = 0;
  private readonly timer: NodeJS.Timeout;

  constructor() {
    this.delay.enable();
    this.timer = setInterval(() => {
      this.peak = Math.max(this.peak, process.memoryUsage().rss - this.rss0);
    }, 50);
  }

  stop(): { rssGrowth: number; loopP99Ms: number; loopMaxMs: number } {
    clearInterval(this.timer);
    this.delay.disable();
    this.peak = Math.max(this.peak, process.memoryUsage().rss - this.rss0);
    return { rssGrowth: this.peak, loopP99Ms: this.delay.percentile(99) / 1e6, loopMaxMs: this.delay.max / 1e6 };
  }
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

// ---- raw OpenFlow bytes ------------------------------------------------------------------------

export function header(version: number, type: number, length: number, xid = 1): Buffer {
  const h = Buffer.alloc(8);
  h[0] = version;
  h[1] = type;
  h.writeUInt16BE(length, 2);
  h.writeUInt32BE(xid, 4);
  return h;
}

/** A HELLO whose VERSIONBITMAP has `words` words, each word from `word(i)`. */
export function bitmapHello(words: number, word: (i: number) => number, version = 4): Buffer {
  const elLen = 4 + 4 * words;
  const padded = Math.ceil(elLen / 8) * 8;
  const total = 8 + padded;
  const buf = Buffer.alloc(total);
  header(version, 0, total).copy(buf);
  buf.writeUInt16BE(1, 8);
  buf.writeUInt16BE(elLen, 10);
  for (let i = 0; i < words; i++) buf.writeUInt32BE(word(i) >>> 0, 12 + 4 * i);
  return buf;
}

/** Splits bytes into OpenFlow messages by their length fields (independently of the library). */
export function splitMessages(bytes: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let pos = 0;
  while (bytes.length - pos >= 8) {
    const len = bytes.readUInt16BE(pos + 2);
    if (len < 8 || bytes.length - pos < len) break;
    out.push(bytes.subarray(pos, pos + len));
    pos += len;
  }
  return out;
}

/**
 * A legitimate switch: connects, sends HELLO (1.3), answers the controller's FEATURES_REQUEST with
 * a FEATURES_REPLY carrying `dpid`. Resolves with the socket once the reply is written; the caller
 * times until the controller has received it.
 */
export function legitSwitch(port: number, dpid: bigint): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host: '127.0.0.1' });
    let buf = Buffer.alloc(0);
    s.once('error', reject);
    s.once('connect', () => s.write(header(4, 0, 8)));
    s.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      for (const m of splitMessages(buf)) {
        buf = buf.subarray(m.length);
        if (m[1] === 5) {
          const reply = Buffer.alloc(32);
          header(4, 6, 32, m.readUInt32BE(4)).copy(reply);
          reply.writeBigUInt64BE(dpid, 8);
          s.write(reply);
          resolve(s);
        }
      }
    });
  });
}
