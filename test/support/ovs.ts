/**
 * A private, throw-away Open vSwitch (ovsdb-server + ovs-vswitchd) for interop tests.
 *
 * It runs with the dummy datapath (`--enable-dummy --disable-system --disable-system-route`), so it
 * needs no kernel module, no systemd, and creates no network interface on the host. Everything
 * lives in a fresh /tmp/ovsXXXXXX directory: unix socket paths are limited to 108 bytes, so the
 * directory must stay short (`ovs-vswitchd.<pid>.ctl` is appended to it).
 *
 * Facts about OVS 3.1 worth knowing when writing tests against it:
 * - before its FIRST successful connection to an active `tcp:` controller, OVS retries with backoff
 *   1, 2, 4, 8 s whatever `max_backoff` says; start your listener before `setController`.
 * - `inactivity_probe` below 5000 ms is clamped to 5 s; after 5 s idle it sends ECHO_REQUEST and
 *   disconnects 5 s later without an answer.
 * - a peer that sends no HELLO is dropped after about 1 s.
 */
import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { commandPath } from './peers.js';

const run = promisify(execFile);

export interface OvsStartOptions {
  /** Bridge to create (default br0). */
  bridge?: string;
  /** Datapath id: 16 hex digits, a number or a bigint (default 1). */
  dpid?: string | number | bigint;
  /** Bridge `protocols`, e.g. 'OpenFlow10,OpenFlow13' or ['OpenFlow13']; unset = OVS default (1.0-1.5). */
  protocols?: string | readonly string[];
  /** Controller targets, e.g. ['tcp:127.0.0.1:6653', 'ptcp:6654:127.0.0.1']. */
  controllers?: readonly string[];
  /** `inactivity_probe` in ms for every controller (OVS clamps < 5000 to 5000; 0 = off). */
  probeMs?: number;
  /** `max_backoff` in ms for every controller. */
  maxBackoffMs?: number;
  /** `fail_mode` (default secure: no flows of its own when no controller is connected). */
  failMode?: 'secure' | 'standalone';
  /** Log every OpenFlow message (vconn and rconn at debug level) in ovs-vswitchd.log. */
  vconnDebug?: boolean;
  /** Stable MAC for the bridge's local port (other-config:hwaddr), so captured bytes repeat. */
  hwaddr?: string;
}

export interface ControllerStatus {
  target: string;
  isConnected: boolean;
  role: string;
}

/** A command run against the sandbox failed (non-zero exit, timeout, or missing binary). */
export class OvsCommandError extends Error {
  override readonly name = 'OvsCommandError';
  readonly code = 'ERR_OVS_COMMAND';
  constructor(
    message: string,
    readonly command: string,
    readonly stderr: string,
  ) {
    super(message);
  }
}

/** The sandbox is not in a state where the call makes sense (e.g. vsctl before start). */
export class OvsSandboxStateError extends Error {
  override readonly name = 'OvsSandboxStateError';
  readonly code = 'ERR_OVS_SANDBOX_STATE';
}

// Sandboxes not stopped yet: the daemons are detached, so a test file that crashes or forgets
// stop() would otherwise leave them running after the test process is gone.
const live = new Set<OvsSandbox>();
process.once('exit', () => {
  for (const sb of [...live]) sb.killNow();
});

/** Every child command gets at most this long; ovs-vsctl also gets its own --timeout. */
const COMMAND_TIMEOUT_MS = 15_000;
const VSCTL_TIMEOUT_S = 10;
const DAEMONS = ['ovs-vswitchd', 'ovsdb-server'] as const;
type Daemon = (typeof DAEMONS)[number];

export class OvsSandbox {
  #dir: string | undefined;
  #bridge = 'br0';
  #stopping: Promise<void> | undefined;
  #finalLog = '';

  /** The sandbox directory (pidfiles, logs, sockets), once started. */
  get dir(): string {
    if (!this.#dir) throw new OvsSandboxStateError('OVS sandbox not started');
    return this.#dir;
  }

  get bridge(): string {
    return this.#bridge;
  }

  /** Creates the directory, starts both daemons and configures the bridge. */
  async start(opts: OvsStartOptions = {}): Promise<this> {
    if (this.#dir) throw new OvsSandboxStateError(`OVS sandbox already started in ${this.#dir}`);
    const dpid = formatDpid(opts.dpid ?? 1); // bad input fails before any daemon starts
    this.#stopping = undefined;
    this.#finalLog = '';
    this.#bridge = opts.bridge ?? 'br0';
    const dir = await mkdtemp('/tmp/ovs');
    this.#dir = dir;
    live.add(this);

    const pkgdata = process.env.OVS_PKGDATADIR ?? '/usr/share/openvswitch';
    await this.#exec('ovsdb-tool', ['create', `${dir}/conf.db`, `${pkgdata}/vswitch.ovsschema`]);
    // --detach returns once the daemon is ready to serve, so no polling is needed afterwards.
    await this.#exec('ovsdb-server', [
      `${dir}/conf.db`,
      `--remote=punix:${this.#dbSock}`,
      `--pidfile=${dir}/ovsdb-server.pid`,
      `--log-file=${dir}/ovsdb-server.log`,
      '--detach',
      '--no-chdir',
    ]);
    await this.vsctl('--no-wait', 'init');
    await this.#exec('ovs-vswitchd', [
      `unix:${this.#dbSock}`,
      // --enable-dummy registers the dummy datapath/netdev classes (OVS's own testsuite uses them);
      // --disable-system keeps it away from the kernel datapath.
      '--enable-dummy',
      '--disable-system',
      '--disable-system-route',
      `--pidfile=${dir}/ovs-vswitchd.pid`,
      `--log-file=${dir}/ovs-vswitchd.log`,
      '--detach',
      '--no-chdir',
    ]);
    if (opts.vconnDebug) await this.appctl('vlog/set', 'vconn:file:dbg', 'rconn:file:dbg');

    const br = this.#bridge;
    const bridgeCfg = [
      'datapath_type=dummy',
      `fail_mode=${opts.failMode ?? 'secure'}`,
      `other-config:datapath-id=${dpid}`,
      // in-band control would look for a route to each controller every second and log a
      // warning each time (the dummy datapath has no routes); out-of-band is what tests mean.
      'other-config:disable-in-band=true',
    ];
    if (opts.hwaddr) bridgeCfg.push(`other-config:hwaddr=${JSON.stringify(opts.hwaddr)}`);
    if (opts.protocols !== undefined) bridgeCfg.push(`protocols=${protocolList(opts.protocols)}`);
    await this.vsctl('add-br', br, '--', 'set', 'bridge', br, ...bridgeCfg);
    if (opts.controllers?.length) {
      await this.setController(opts.controllers, { probeMs: opts.probeMs, maxBackoffMs: opts.maxBackoffMs });
    }
    return this;
  }

  /** ovs-vsctl against this sandbox's database; resolves with stdout. */
  vsctl(...args: string[]): Promise<string> {
    return this.#exec('ovs-vsctl', [`--db=unix:${this.#dbSock}`, `--timeout=${VSCTL_TIMEOUT_S}`, ...args]);
  }

  /** ovs-ofctl with OVS_RUNDIR pointing here, so a bare bridge name ("br0") finds br0.mgmt. */
  ofctl(...args: string[]): Promise<string> {
    return this.#exec('ovs-ofctl', [`--timeout=${VSCTL_TIMEOUT_S}`, ...args]);
  }

  /** ovs-appctl to this sandbox's ovs-vswitchd. */
  async appctl(...args: string[]): Promise<string> {
    const pid = await this.pid('ovs-vswitchd');
    if (pid === undefined) throw new OvsSandboxStateError('ovs-vswitchd is not running');
    return this.#exec('ovs-appctl', ['-t', `${this.dir}/ovs-vswitchd.${pid}.ctl`, `--timeout=${VSCTL_TIMEOUT_S}`, ...args]);
  }

  /**
   * Adds another bridge to the running sandbox (same defaults as start(): dummy datapath, secure
   * fail mode, out-of-band), e.g. to run several controller connections side by side.
   */
  async addBridge(
    name: string,
    opts: Pick<OvsStartOptions, 'dpid' | 'protocols' | 'controllers' | 'probeMs' | 'maxBackoffMs' | 'failMode' | 'hwaddr'> = {},
  ): Promise<void> {
    const dpid = formatDpid(opts.dpid ?? 1);
    const cfg = [
      'datapath_type=dummy',
      `fail_mode=${opts.failMode ?? 'secure'}`,
      `other-config:datapath-id=${dpid}`,
      'other-config:disable-in-band=true',
    ];
    if (opts.hwaddr) cfg.push(`other-config:hwaddr=${JSON.stringify(opts.hwaddr)}`);
    if (opts.protocols !== undefined) cfg.push(`protocols=${protocolList(opts.protocols)}`);
    await this.vsctl('add-br', name, '--', 'set', 'bridge', name, ...cfg);
    if (opts.controllers?.length) {
      await this.setController(opts.controllers, { probeMs: opts.probeMs, maxBackoffMs: opts.maxBackoffMs, bridge: name });
    }
  }

  /** Replaces the bridge's (default: the sandbox bridge's) controllers; empty list = no controller. */
  async setController(
    targets: readonly string[],
    opts: { probeMs?: number | undefined; maxBackoffMs?: number | undefined; bridge?: string | undefined } = {},
  ): Promise<void> {
    const br = opts.bridge ?? this.#bridge;
    if (targets.length === 0) {
      await this.vsctl('del-controller', br);
      return;
    }
    // One transaction: the controller rows are created with their settings, so OVS never runs
    // a connection attempt with the defaults first.
    const args: string[] = [];
    const names = targets.map((_, i) => `@c${i}`);
    targets.forEach((target, i) => {
      const cfg = [`target=${JSON.stringify(target)}`];
      if (opts.probeMs !== undefined) cfg.push(`inactivity_probe=${opts.probeMs}`);
      if (opts.maxBackoffMs !== undefined) cfg.push(`max_backoff=${opts.maxBackoffMs}`);
      args.push('--', `--id=${names[i]}`, 'create', 'controller', ...cfg);
    });
    args.push('--', 'set', 'bridge', br, `controller=[${names.join(',')}]`);
    await this.vsctl(...args.slice(1));
  }

  /** Sets the bridge's `protocols`; undefined or empty clears it (OVS default). */
  async setProtocols(protocols: string | readonly string[] | undefined, bridge = this.#bridge): Promise<void> {
    const list = protocols === undefined ? '' : protocolList(protocols);
    if (list === '') await this.vsctl('clear', 'bridge', bridge, 'protocols');
    else await this.vsctl('set', 'bridge', bridge, `protocols=${list}`);
  }

  /**
   * `ovs-vsctl get controller BRIDGE is_connected` (the bridge must have exactly one controller).
   * Lags the real connection by up to about 5 s, like {@link controllers}.
   */
  async bridgeControllerConnected(bridge = this.#bridge): Promise<boolean> {
    return (await this.vsctl('get', 'controller', bridge, 'is_connected')).trim() === 'true';
  }

  /**
   * Status of every controller row, as ovs-vswitchd last wrote it to the database. It rewrites
   * controller status on its periodic status update, so is_connected may lag the real connection
   * by up to about 5 s (measured with OVS 3.1); the log ("connected") is immediate.
   */
  async controllers(): Promise<ControllerStatus[]> {
    const out = await this.vsctl('--format=csv', '--no-headings', '--data=bare', '--columns=target,is_connected,role', 'list', 'controller');
    return out
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((line) => {
        const [target = '', connected = '', role = ''] = parseCsvLine(line);
        return { target, isConnected: connected === 'true', role };
      });
  }

  /** Whether the controller with `target` (or any controller, when omitted) is connected. */
  async isConnected(target?: string): Promise<boolean> {
    const rows = await this.controllers();
    return rows.some((r) => r.isConnected && (target === undefined || r.target === target));
  }

  /** Polls isConnected() until true; throws OvsSandboxStateError after `timeoutMs`. */
  async waitConnected(target?: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await this.isConnected(target))) {
      if (Date.now() > deadline) {
        throw new OvsSandboxStateError(`controller ${target ?? '(any)'} not connected after ${timeoutMs} ms`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** The ovs-vswitchd log so far; after stop(), the log as it was at stop ('' when there is none). */
  async log(): Promise<string> {
    if (!this.#dir) return this.#finalLog;
    return readFile(`${this.#dir}/ovs-vswitchd.log`, 'utf8').catch(() => '');
  }

  /** Pid of a live daemon of this sandbox, from its pidfile. */
  async pid(daemon: Daemon): Promise<number | undefined> {
    if (!this.#dir) return undefined;
    const text = await readFile(`${this.#dir}/${daemon}.pid`, 'utf8').catch(() => '');
    const pid = Number.parseInt(text.trim(), 10);
    if (!Number.isInteger(pid) || pid <= 0) return undefined;
    return (await isDaemonAlive(pid, daemon)) ? pid : undefined;
  }

  /**
   * Stops both daemons (graceful, then SIGKILL) and removes the directory. Idempotent and safe
   * when start() failed half-way: it only touches processes named in this sandbox's pidfiles.
   */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    const dir = this.#dir;
    if (!dir) return;
    for (const daemon of DAEMONS) await this.#stopDaemon(daemon);
    this.#finalLog = await this.log();
    await rm(dir, { recursive: true, force: true });
    this.#dir = undefined;
    live.delete(this);
  }

  /** Last resort at process exit: SIGKILL by pidfile and remove the directory, synchronously. */
  killNow(): void {
    const dir = this.#dir;
    if (!dir) return;
    for (const daemon of DAEMONS) {
      try {
        const pid = Number.parseInt(readFileSync(`${dir}/${daemon}.pid`, 'utf8').trim(), 10);
        if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === daemon) signal(pid, 'SIGKILL');
      } catch {
        // no pidfile or no such process
      }
    }
    rmSync(dir, { recursive: true, force: true });
    this.#dir = undefined;
    live.delete(this);
  }

  async #stopDaemon(daemon: Daemon): Promise<void> {
    const pid = await this.pid(daemon);
    if (pid === undefined) return;
    if (daemon === 'ovs-vswitchd') {
      // graceful: --cleanup removes datapath ports (matters for datapath types other than dummy)
      const ctl = `${this.dir}/ovs-vswitchd.${pid}.ctl`;
      await this.#exec('ovs-appctl', ['-t', ctl, '--timeout=3', 'exit', '--cleanup']).catch(() => undefined);
    } else {
      signal(pid, 'SIGTERM');
    }
    if (await waitForExit(pid, daemon, 5_000)) return;
    signal(pid, 'SIGKILL');
    await waitForExit(pid, daemon, 2_000);
  }

  get #dbSock(): string {
    return `${this.dir}/db.sock`;
  }

  async #exec(command: string, args: string[]): Promise<string> {
    const path = commandPath(command);
    const shown = `${command} ${args.join(' ')}`;
    if (!path) throw new OvsCommandError(`${command} not installed (apt-get install openvswitch-switch)`, shown, '');
    const dir = this.dir;
    try {
      const { stdout } = await run(path, args, {
        timeout: COMMAND_TIMEOUT_MS,
        killSignal: 'SIGKILL',
        env: {
          ...process.env,
          OVS_RUNDIR: dir,
          OVS_DBDIR: dir,
          OVS_LOGDIR: dir,
          OVS_SYSCONFDIR: dir,
          OVS_PKGDATADIR: process.env.OVS_PKGDATADIR ?? '/usr/share/openvswitch',
        },
      });
      return stdout;
    } catch (err) {
      const e = err as NodeJS.ErrnoException & { stderr?: string; killed?: boolean };
      const why = e.killed ? `timed out after ${COMMAND_TIMEOUT_MS} ms` : (e.stderr?.trim() || e.message);
      throw new OvsCommandError(`${shown}: ${why}`, shown, e.stderr ?? '');
    }
  }
}

/** Starts a sandbox; on failure stops what was started and rethrows. */
export async function startOvsSandbox(opts: OvsStartOptions = {}): Promise<OvsSandbox> {
  const sb = new OvsSandbox();
  try {
    return await sb.start(opts);
  } catch (err) {
    await sb.stop();
    throw err;
  }
}

function formatDpid(dpid: string | number | bigint): string {
  if (typeof dpid === 'string') {
    const hex = dpid.replace(/^0x/i, '').replace(/:/g, '');
    if (!/^[0-9a-fA-F]{1,16}$/.test(hex)) throw new RangeError(`bad datapath id ${dpid}`);
    return hex.padStart(16, '0');
  }
  return BigInt(dpid).toString(16).padStart(16, '0');
}

function protocolList(p: string | readonly string[]): string {
  return typeof p === 'string' ? p : p.join(',');
}

/** ovs-vsctl --format=csv quotes fields containing commas or quotes, doubling inner quotes. */
function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/**
 * True if `pid` is a live (non-zombie) process called `name`. The name check keeps us from
 * signalling an unrelated process that reused a stale pid; the zombie check matters because the
 * detached daemons are reparented to PID 1, which in containers may reap late.
 */
async function isDaemonAlive(pid: number, name: string): Promise<boolean> {
  try {
    const [stat, comm] = await Promise.all([
      readFile(`/proc/${pid}/stat`, 'utf8'),
      readFile(`/proc/${pid}/comm`, 'utf8'),
    ]);
    // the state field follows the ")" that closes the command name
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    // comm is the name truncated to 15 bytes
    return state !== 'Z' && state !== 'X' && comm.trim() === name.slice(0, 15);
  } catch {
    return false;
  }
}

async function waitForExit(pid: number, name: string, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!(await isDaemonAlive(pid, name))) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !(await isDaemonAlive(pid, name));
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}
