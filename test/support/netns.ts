/**
 * Network namespaces for tests that need to break a network (iptables DROP) without touching the
 * host: create a uniquely named namespace with lo up, run commands in it, add iptables rules, and
 * always delete it again, also when a test fails or the process exits early.
 */
import { execFileSync, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { it } from 'vitest';

export interface Netns {
  readonly name: string;
  /** Runs a command to completion inside the namespace; throws with its stderr on failure. */
  run(cmd: string, args: string[]): string;
  /** Starts a long-running command inside the namespace; it is killed on cleanup. */
  spawn(cmd: string, args: string[], opts?: SpawnOptions): ChildProcess;
  /** `iptables -w ARGS` inside the namespace. */
  iptables(args: string[]): void;
  /** Silently drops every TCP segment to or from `port` (both directions) inside the namespace. */
  dropPort(port: number): void;
  /** Removes what {@link dropPort} added for `port`. */
  undropPort(port: number): void;
  /** Answers every TCP segment sent to `port` inside the namespace with a RST (iptables REJECT). */
  resetPort(port: number): void;
  /** Removes what {@link resetPort} added for `port`. */
  unresetPort(port: number): void;
  /** Kills what {@link spawn} started and deletes the namespace. Idempotent. */
  cleanup(): void;
}

const live = new Set<Netns>();
let exitHookInstalled = false;
let capability: { ok: boolean; reason?: string } | undefined;

/** Whether this process can create namespaces and use iptables in them (root, `ip`, `iptables`). */
export function canUseNetns(): { ok: boolean; reason?: string } {
  if (capability) return capability;
  capability = probe();
  return capability;
}

function probe(): { ok: boolean; reason?: string } {
  // Lets a developer see what a machine without the capability does (skip, or fail under CI).
  if (process.env.OPENFLOW_RCONN_TEST_NO_NETNS === '1') return { ok: false, reason: 'OPENFLOW_RCONN_TEST_NO_NETNS=1' };
  if (process.platform !== 'linux') return { ok: false, reason: `platform is ${process.platform}, not linux` };
  if (process.getuid?.() !== 0) return { ok: false, reason: 'not running as root' };
  for (const [cmd, arg] of [['ip', '-V'], ['iptables', '-V']] as const) {
    try {
      execFileSync(cmd, [arg], { stdio: 'pipe' });
    } catch {
      return { ok: false, reason: `'${cmd}' is not installed (apt-get install iproute2 iptables)` };
    }
  }
  // Being root is not enough inside some containers: try the real thing once.
  let ns: Netns | undefined;
  try {
    ns = createNetns('ofrcprobe');
    ns.iptables(['-L', 'INPUT', '-n']);
    return { ok: true };
  } catch (err) {
    return { ok: false, reason: `cannot create a network namespace or use iptables in it: ${(err as Error).message}` };
  } finally {
    ns?.cleanup();
  }
}

/** Creates a fresh namespace `PREFIX-PID-RANDOM` with lo up. Call cleanup() (or use withNetns). */
export function createNetns(prefix = 'ofrc'): Netns {
  const name = `${prefix}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const children = new Set<ChildProcess>();
  let deleted = false;
  const sh = (cmd: string, args: string[]): string => {
    try {
      return execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new Error(`${cmd} ${args.join(' ')}: ${e.stderr?.trim() || e.message}`);
    }
  };
  sh('ip', ['netns', 'add', name]);
  const ns: Netns = {
    name,
    run: (cmd, args) => sh('ip', ['netns', 'exec', name, cmd, ...args]),
    spawn(cmd, args, opts = {}) {
      const child = spawn('ip', ['netns', 'exec', name, cmd, ...args], { stdio: 'pipe', ...opts });
      children.add(child);
      child.once('exit', () => children.delete(child));
      return child;
    },
    iptables: (args) => void ns.run('iptables', ['-w', ...args]),
    dropPort(port) {
      ns.iptables(['-I', 'INPUT', '-p', 'tcp', '--dport', String(port), '-j', 'DROP']);
      ns.iptables(['-I', 'INPUT', '-p', 'tcp', '--sport', String(port), '-j', 'DROP']);
    },
    undropPort(port) {
      ns.iptables(['-D', 'INPUT', '-p', 'tcp', '--dport', String(port), '-j', 'DROP']);
      ns.iptables(['-D', 'INPUT', '-p', 'tcp', '--sport', String(port), '-j', 'DROP']);
    },
    resetPort(port) {
      ns.iptables(['-I', 'INPUT', '-p', 'tcp', '--dport', String(port), '-j', 'REJECT', '--reject-with', 'tcp-reset']);
    },
    unresetPort(port) {
      ns.iptables(['-D', 'INPUT', '-p', 'tcp', '--dport', String(port), '-j', 'REJECT', '--reject-with', 'tcp-reset']);
    },
    cleanup() {
      if (deleted) return;
      deleted = true;
      live.delete(ns);
      // Only the processes we started; `ip netns exec` execs the command, so the pid is the child's.
      for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
      try {
        execFileSync('ip', ['netns', 'del', name], { stdio: 'ignore' });
      } catch {
        // Already gone.
      }
    },
  };
  live.add(ns);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const n of [...live]) n.cleanup();
    });
  }
  try {
    sh('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
  } catch (err) {
    ns.cleanup();
    throw err;
  }
  return ns;
}

/** Runs `fn` with a fresh namespace and deletes the namespace afterwards, whatever happens. */
export async function withNetns<T>(fn: (ns: Netns) => Promise<T>, prefix?: string): Promise<T> {
  const ns = createNetns(prefix);
  try {
    return await fn(ns);
  } finally {
    ns.cleanup();
  }
}

/**
 * `it()` for a test that needs namespaces. Without the capability: under CI (CI=true) the test
 * FAILS, because a CI that silently skips it would hide a broken keepalive; elsewhere it is skipped
 * with a loud warning.
 */
export function itWithNetns(name: string, fn: () => Promise<void>, timeoutMs?: number): void {
  const cap = canUseNetns();
  if (cap.ok) {
    it(name, fn, timeoutMs);
  } else if (process.env.CI === 'true') {
    it(name, () => {
      throw new Error(`CI needs network namespaces for this test, but: ${cap.reason}`);
    });
  } else {
    const bar = '!'.repeat(78);
    console.warn(`\n${bar}\n!! SKIPPED "${name}": network namespaces unavailable (${cap.reason}).\n!! Run as root with iproute2 + iptables to exercise it; under CI=true this FAILS.\n${bar}\n`);
    it.skip(name, fn);
  }
}
