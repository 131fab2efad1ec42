/**
 * Real learning-switch controllers for end-to-end tests of the switch emulator, each a child process
 * listening on a loopback port:
 * - os-ken (`osken-manager`, Debian python3-os-ken) running test/support/osken/learning_switch_13.py,
 *   OpenFlow 1.3; the app logs each step as a line starting with `LS `;
 * - `ovs-testcontroller`, Open vSwitch's L2 learning controller, for one OpenFlow version.
 *
 * Debian's python (with os_ken) is /usr/bin/python3: the first python3 on PATH may lack it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { commandPath } from './peers.js';

export const OSKEN_APP = join(dirname(fileURLToPath(import.meta.url)), 'osken/learning_switch_13.py');
const DEBIAN_PYTHON = '/usr/bin/python3';

export interface ControllerProcess {
  port: number;
  /** Everything the child wrote so far (stdout and stderr). */
  readonly log: string;
  /** The child has not exited. */
  readonly running: boolean;
  /** Resolves with the first log line matching `re` (already written or still to come). */
  waitFor(re: RegExp, ms?: number): Promise<string>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

function watch(proc: ChildProcess, port: number, cleanup: () => Promise<void>): ControllerProcess {
  let log = '';
  const waiters = new Set<() => void>();
  const onData = (d: string): void => {
    log += d;
    for (const w of waiters) w();
  };
  proc.stdout?.setEncoding('utf8').on('data', onData);
  proc.stderr?.setEncoding('utf8').on('data', onData);
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  return {
    port,
    get log() { return log; },
    get running() { return proc.exitCode === null && proc.signalCode === null; },
    waitFor(re, ms = 10_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const line = log.split('\n').find((l) => re.test(l));
          if (line === undefined) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(line);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no line matching ${re} within ${ms} ms; log so far:\n${log}`));
        }, ms);
        waiters.add(check);
        check();
      });
    },
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        const t = setTimeout(() => proc.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(t);
      }
      await cleanup();
    },
  };
}

/** osken-manager with the learning-switch app (or `app`), listening on 127.0.0.1. */
export async function startOsKen(app = OSKEN_APP): Promise<ControllerProcess> {
  const port = await freePort();
  const proc = spawn(DEBIAN_PYTHON, [commandPath('osken-manager')!, '--ofp-listen-host', '127.0.0.1',
    '--ofp-tcp-listen-port', String(port), app], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PYTHONUNBUFFERED: '1' } });
  const c = watch(proc, port, async () => {});
  // os-ken logs nothing when it starts listening: wait until its port accepts.
  await untilListening(port, c);
  return c;
}

/** ovs-testcontroller limited to `protocol` ('OpenFlow10', 'OpenFlow13'), logging vconn at debug. */
export async function startTestController(protocol: string): Promise<ControllerProcess> {
  const port = await freePort();
  // Its unixctl socket goes to OVS_RUNDIR; /var/run/openvswitch may not exist.
  const rundir = await mkdtemp(join(tmpdir(), 'ovstc'));
  const proc = spawn(commandPath('ovs-testcontroller')!, ['-O', protocol, '-vvconn:dbg', `ptcp:${port}:127.0.0.1`], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, OVS_RUNDIR: rundir },
  });
  const c = watch(proc, port, () => rm(rundir, { recursive: true, force: true }));
  await untilListening(port, c);
  return c;
}

async function untilListening(port: number, c: ControllerProcess, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => { s.destroy(); resolve(true); });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) {
      await c.stop();
      throw new Error(`controller on port ${port} not listening within ${ms} ms; log:\n${c.log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
