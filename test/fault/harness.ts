/**
 * Shared pieces of the fault-injection suite: the built library for child processes, children that
 * talk in JSON lines, and the two kinds of process a scenario starts inside its namespace (the
 * rconn under test and its peer). Both sides live in one namespace and talk over its loopback, so
 * an iptables rule on the scenario's port breaks exactly that connection and nothing on the host.
 */
import type { ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Netns } from '../support/netns.js';

import { DIST_INDEX } from '../support/dist.js';
export { DIST_INDEX, ensureDist } from '../support/dist.js';
const CHILDREN = join(dirname(fileURLToPath(import.meta.url)), 'children');

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** One line a child printed; `t` is the child's Date.now() when it happened. */
export interface ChildEvent {
  t: number;
  ev: string;
  name?: string;
  code?: string | null;
  message?: string | null;
  state?: string;
  previous?: string;
  probe?: string;
  kind?: string;
  phase?: string;
  retryIn?: number | null;
  seqno?: number;
  id?: number;
  status?: Record<string, unknown>;
}

export type Match = (e: ChildEvent) => boolean;

/** A child process inside a namespace that prints JSON lines and reads JSON commands. */
export class JsonChild {
  readonly events: ChildEvent[] = [];
  private stderr = '';
  private readonly waiters = new Set<() => void>();
  private exitCode: number | null | undefined;
  private nextId = 1;

  constructor(readonly label: string, readonly proc: ChildProcess) {
    proc.stderr!.on('data', (d) => (this.stderr += d));
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      try {
        this.events.push(JSON.parse(line) as ChildEvent);
      } catch {
        this.stderr += `(not JSON) ${line}\n`;
      }
      this.wake();
    });
    proc.once('exit', (code) => {
      this.exitCode = code;
      this.wake();
    });
  }

  get pid(): number {
    return this.proc.pid!;
  }

  /** The first event at index >= `from` that matches; rejects after `ms` or when the child exits. */
  waitFor(match: Match, ms: number, from = 0, what = 'event'): Promise<ChildEvent> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.events.slice(from).find(match);
        if (found) {
          done();
          resolve(found);
          return true;
        }
        if (this.exitCode !== undefined) {
          done();
          reject(new Error(`${this.label} exited (${this.exitCode}) before ${what}\n${this.dump()}`));
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`${this.label}: no ${what} within ${ms} ms\n${this.dump()}`));
      }, ms);
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(onWake);
      };
      const onWake = (): void => void check();
      if (!check()) this.waiters.add(onWake);
    });
  }

  send(cmd: Record<string, unknown>): void {
    this.proc.stdin!.write(JSON.stringify(cmd) + '\n');
  }

  /** Asks an rconn child for every rconn's status() and waits for the answer. */
  async status(): Promise<Record<string, RconnBrief>> {
    const id = this.nextId++;
    const from = this.events.length;
    this.send({ cmd: 'status', id });
    const e = await this.waitFor((x) => x.ev === 'status' && x.id === id, 5_000, from, 'status');
    return e.status as Record<string, RconnBrief>;
  }

  /** Events of one rconn, optionally of one kind, between two times. */
  of(name: string, ev?: string, after = -Infinity, before = Infinity): ChildEvent[] {
    return this.events.filter((e) => e.name === name && (ev === undefined || e.ev === ev) && e.t >= after && e.t <= before);
  }

  dump(): string {
    const tail = this.events.slice(-40).map((e) => JSON.stringify(e)).join('\n');
    return `--- ${this.label} events (last 40) ---\n${tail}\n--- ${this.label} stderr ---\n${this.stderr}`;
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }
}

/** The fields of `status()` the rconn child reports. */
export interface RconnBrief {
  state: string;
  probe: string;
  wakeups: number;
  seqno: number;
  backoff: number;
  keepaliveError: string | null;
  lastError: { code: string; message: string; at: number } | null;
  probesSent: number;
  probeReplies: number;
  rxPackets: number;
  txPackets: number;
}

export interface RconnSpec {
  name: string;
  target: string;
  options: Record<string, unknown>;
}

/** Starts the peer (`listener` or `silent`) on 127.0.0.1:`port` inside `ns` and waits until it listens. */
export async function startPeer(ns: Netns, mode: 'listener' | 'silent', port: number): Promise<JsonChild> {
  const child = new JsonChild(`peer(${mode}:${port})`, ns.spawn(process.execPath, [join(CHILDREN, 'peer-child.mjs'), DIST_INDEX, mode, String(port)]));
  await child.waitFor((e) => e.ev === 'listening', 10_000, 0, 'listening');
  return child;
}

/** Starts the rconns under test inside `ns`. */
export function startRconns(ns: Netns, rconns: RconnSpec[]): JsonChild {
  return new JsonChild('rconns', ns.spawn(process.execPath, [join(CHILDREN, 'rconn-child.mjs'), DIST_INDEX, JSON.stringify({ rconns })]));
}

/** The probe interval P of every scenario, and the options it implies. */
export const P = 5;
export const baseOptions = { probeInterval: P, backoffJitter: 0, maxBackoff: 8 } as const;

export const isEvent = (name: string, ev: string, extra: (e: ChildEvent) => boolean = () => true): Match =>
  (e) => e.name === name && e.ev === ev && extra(e);

/** One greppable line per measurement, for the issue note. */
export function reportFault(scenario: string, fields: Record<string, unknown>): void {
  const kv = Object.entries(fields).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`).join(' ');
  console.log(`FAULT ${scenario} ${kv}`);
}
