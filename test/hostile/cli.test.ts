/**
 * The CLI on a long-running controller: thousands of short connections must not pile up in the
 * reporter, and with --json a burst of messages must not stall the event loop (each message is a
 * JSON line; output that waits for a slow reader must not hold everything else up).
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import type { Output } from '../../src/cli/reporter.js';
import { header, heapUsed, legitSwitch, mib, report, Sampler, size, sleep } from './support.js';

/** stdout as on Linux for a file or pipe: every write a synchronous system call. Keeps the first lines. */
function syncOutput(): Output & { lines: string[]; close(): void } {
  const fd = openSync('/dev/null', 'w');
  const lines: string[] = [];
  return {
    lines,
    write(chunk: string) {
      if (lines.length < 20) lines.push(...chunk.split('\n').filter(Boolean).slice(0, 20 - lines.length));
      writeSync(fd, chunk);
      return true;
    },
    close: () => closeSync(fd),
  };
}

async function startController(args: string[]): Promise<{ port: number; out: ReturnType<typeof syncOutput>; stop(): Promise<number> }> {
  const out = syncOutput();
  const ac = new AbortController();
  const exited = run(['controller', 'ptcp:0:127.0.0.1', '--probe-interval', '0', ...args], { stdout: out, stderr: out, stop: ac.signal });
  const until = Date.now() + 10_000;
  let port: number | undefined;
  while (port === undefined && Date.now() < until) {
    const m = /listening on ptcp:(\d+)/.exec(out.lines.join('\n'));
    if (m) port = Number(m[1]);
    else await sleep(10);
  }
  if (port === undefined) throw new Error(`controller did not listen: ${out.lines.join('\n')}`);
  return { port, out, stop: async () => { ac.abort('SIGTERM'); const code = await exited; out.close(); return code; } };
}

/** One short-lived switch: HELLO, FEATURES_REPLY, then gone. */
async function shortConnection(port: number, dpid: bigint): Promise<void> {
  const s = await legitSwitch(port, dpid);
  await sleep(5);
  s.destroy();
}

describe('the CLI controller under churn and bursts', () => {
  it('after many short connections its heap after GC is back within 5 MB', async () => {
    const total = size(300, 15_000);
    const ctl = await startController(['--json']);
    try {
      const batch = async (from: number, n: number): Promise<void> => {
        for (let i = from; i < from + n; i += 25) {
          await Promise.all(Array.from({ length: Math.min(25, from + n - i) }, (_, j) => shortConnection(ctl.port, BigInt(i + j + 1))));
        }
      };
      await batch(0, 200); // warm-up: code compiled, pools allocated
      await sleep(300);
      const start = heapUsed();
      await batch(200, total - 200);
      await sleep(500);
      const end = heapUsed();
      report({ attack: `CLI controller --json, ${total} short connections`, measured: `heap after GC ${mib(start)} -> ${mib(end)} (${end >= start ? '+' : ''}${mib(end - start)})`, bound: 'within 5 MB', ok: end - start <= 5 * 2 ** 20 });
      expect(end - start).toBeLessThanOrEqual(5 * 2 ** 20);
    } finally {
      expect(await ctl.stop()).toBe(0);
    }
  }, 600_000);

  it('--json with a burst of 10,000 messages: event-loop delay p99 <= 50 ms', async () => {
    const ctl = await startController(['--json']);
    let m: ReturnType<Sampler['stop']>;
    try {
      const s = await legitSwitch(ctl.port, 7n);
      await sleep(200);
      const burst = Buffer.concat(Array.from({ length: 10_000 }, (_, i) => header(4, 3, 8, 0x10000 + i))); // ECHO_REPLY nobody asked for
      const sampler = new Sampler();
      s.write(burst);
      await sleep(2000);
      m = sampler.stop();
      s.destroy();
    } finally {
      await ctl.stop();
    }
    report({ attack: 'CLI controller --json, a burst of 10,000 messages', measured: `loop delay p99 ${m.loopP99Ms.toFixed(1)} ms, max ${m.loopMaxMs.toFixed(0)} ms`, bound: 'p99 <= 50 ms', ok: m.loopP99Ms <= 50 });
    // Under `npm test` the suite's other files share the CPU: a wider bound there (see fairness.test.ts).
    expect(m.loopP99Ms).toBeLessThanOrEqual(size(500, 50));
  }, 60_000);
});
