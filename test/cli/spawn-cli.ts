/**
 * Runs the BUILT `ofrconn` (dist/cli/main.js) as a child process, the way a user runs it: build
 * once when dist is missing or older than src, then spawn, collect output line by line, wait for
 * lines, signal by pid.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export { ROOT, DIST_CLI as MAIN } from '../support/dist.js';
export { ensureDist as ensureBuilt } from '../support/dist.js';
import { ROOT, DIST_CLI as MAIN } from '../support/dist.js';

export interface CliRun {
  readonly child: ChildProcess;
  readonly stdout: string[];
  readonly stderr: string[];
  /** Resolves with the exit code (signal -> null) once the process ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first stdout line (past or future) matching, or rejects after `ms`. */
  waitFor(match: RegExp | ((line: string) => boolean), ms?: number): Promise<string>;
  signal(sig: NodeJS.Signals): void;
  /** Everything printed so far, for failure messages. */
  dump(): string;
}

const running = new Set<ChildProcess>();

/** Starts `node dist/cli/main.js ...args`; stdout is a pipe, so output is plain or JSON lines. */
export function startCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): CliRun {
  return startScript(MAIN, args, env);
}

/** Starts `node SCRIPT ...args` (the CLI, a compiled example) with the same line collection. */
export function startScript(script: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): CliRun {
  const child = spawn(process.execPath, [script, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  const stdout: string[] = [];
  const stderr: string[] = [];
  const waiters: Array<{ test: (l: string) => boolean; resolve: (l: string) => void }> = [];
  const collect = (into: string[], notify: boolean) => {
    let partial = '';
    return (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop()!;
      for (const line of lines) {
        into.push(line);
        if (!notify) continue;
        for (let i = waiters.length - 1; i >= 0; i--) {
          if (waiters[i]!.test(line)) waiters.splice(i, 1)[0]!.resolve(line);
        }
      }
    };
  };
  child.stdout!.on('data', collect(stdout, true));
  child.stderr!.on('data', collect(stderr, false));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      // Let the last 'data' events arrive before anyone reads stdout.
      setImmediate(() => resolve({ code, signal }));
    });
  });
  const dump = () => `--- stdout ---\n${stdout.join('\n')}\n--- stderr ---\n${stderr.join('\n')}`;
  return {
    child, stdout, stderr, exited, dump,
    waitFor(match, ms = 10_000) {
      const test = typeof match === 'function' ? match : (l: string) => match.test(l);
      const seen = stdout.find(test);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no line matching ${String(match)} within ${ms} ms\n${dump()}`)), ms);
        waiters.push({ test, resolve: (l) => { clearTimeout(timer); resolve(l); } });
        void exited.then(() => setTimeout(() => reject(new Error(`ofrconn exited before printing ${String(match)}\n${dump()}`)), 50));
      });
    },
    signal(sig) {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) process.kill(child.pid, sig);
    },
  };
}

/** Runs to completion. */
export async function runCli(args: readonly string[], timeoutMs = 20_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const run = startCli(args);
  const timer = setTimeout(() => run.signal('SIGKILL'), timeoutMs);
  const { code } = await run.exited;
  clearTimeout(timer);
  return { code, stdout: run.stdout.join('\n'), stderr: run.stderr.join('\n') };
}

/** Kills whatever a failed test left running (only the children this module started). */
export function killLeftovers(): void {
  for (const child of running) if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGKILL');
  running.clear();
}

/** Parses JSON lines, failing with the offending line. */
export function jsonLines(lines: readonly string[]): Array<Record<string, unknown>> {
  return lines.filter((l) => l.trim() !== '').map((l) => {
    try {
      return JSON.parse(l) as Record<string, unknown>;
    } catch {
      throw new Error(`not a JSON line: ${l}`);
    }
  });
}
