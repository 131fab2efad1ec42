/**
 * Everything `ofrconn` prints about connections goes through one Reporter, in one of three modes:
 * - `json`: one JSON object per line, for every event plus a status line per connection each second;
 * - `tty`: log lines scrolling above a live status block (one line per connection) redrawn ~1/s;
 * - `plain`: log lines only (stdout is a pipe or a file: no escape codes, no redraws).
 */
import type { Rconn, RconnStatus } from '../rconn/index.js';
import { versionName } from '../ofp/index.js';
import { sockoptUnavailableReason } from '../stream/index.js';
import { JsonWriter } from './json-writer.js';

export type OutputMode = 'json' | 'plain' | 'tty';
export type Role = 'controller' | 'switch';

/** The part of a stream the reporter writes to (process.stdout in the CLI, a buffer in tests). */
export interface Output {
  /** False asks the JSON writer to wait for 'drain' (when `once` exists) before writing more. */
  write(chunk: string): unknown;
  once?(event: 'drain', listener: () => void): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** What the reporter remembers about one connection beyond the rconn's own status(). */
interface View {
  rconn: Rconn;
  role: Role;
  /** Most recent echo round trip, ours or the rconn's own probe, in ms. */
  rttMs: number | null;
  datapathId: string | null;
  /** OpenFlow controller role of the connection (a switch with several controllers); null if none. */
  controllerRole: string | null;
}

/** What is left of a connection that ended: its summary, already formatted (no rconn kept). */
interface Ended {
  line: string;
  json: Record<string, unknown>;
}

/** The fields every JSON line carries; null where an event concerns no connection. */
export interface StatusFields {
  name: string;
  state: string | null;
  version: string | null;
  probe: string | null;
  seqno: number | null;
  rttMs: number | null;
  txq: number | null;
}

const STATUS_EVERY_MS = 1000;
const SUMMARY_MAX_CONNECTIONS = 20;
/**
 * Ended connections remembered for the summary. A long-running controller sees connections come
 * and go by the thousand: beyond this only their count and totals are kept, not the connections.
 */
export const ENDED_HISTORY = 100;

export class Reporter {
  /** The connections being tracked that have not ended. */
  private readonly views = new Map<Rconn, View>();
  private readonly ended: Ended[] = [];
  private endedCount = 0;
  private endedConnections = 0;
  private readonly json: JsonWriter;
  private readonly started = performance.now();
  private timer: NodeJS.Timeout | null = null;
  /** Lines of the live status block currently on screen (tty mode). */
  private drawn = 0;

  constructor(
    private readonly out: Output,
    readonly mode: OutputMode,
    readonly verbose = false,
  ) {
    this.json = new JsonWriter(out);
  }

  /** Seconds since the reporter was created. */
  elapsed(): number {
    return (performance.now() - this.started) / 1000;
  }

  /** Reports every event of `rconn` from now on. Call before connect()/adopt() to see them all. */
  track(rconn: Rconn, role: Role): void {
    if (this.views.has(rconn)) return;
    const view: View = { rconn, role, rttMs: null, datapathId: null, controllerRole: null };
    this.views.set(rconn, view);
    rconn.on('state', (state, previous) => {
      this.event('state', rconn, `state ${previous} -> ${state}`, { previous }, this.verbose);
    });
    rconn.on('connected', (info) => {
      const s = rconn.status();
      const how = info.probe === 'transport'
        ? `TCP keepalive after ${s.probeInterval} s idle${s.echoInterval ? `, plus echo after ${s.echoInterval} s` : ''}`
        : info.probe === 'echo'
          ? `OFPT_ECHO after ${s.probeInterval} s idle${s.keepaliveError ? `; transport cannot probe: ${s.keepaliveError}` : ''}`
          : 'probing off';
      const what = !s.reliable ? 'connection accepted' : s.name === s.target ? 'connected' : `connected to ${s.target}`;
      this.event('connected', rconn, `${what}: OpenFlow ${versionName(info.version)} negotiated, probe ${info.probe} (${how})`);
    });
    rconn.on('disconnected', (info) => {
      const why = info.error ? describeError(info.error, rconn.status().target) : 'closed by us';
      const lost = (info.dropped ? `, ${info.dropped} queued messages dropped` : '') +
        (info.unackedBytes ? `, ${info.unackedBytes} bytes sent but never acknowledged (possibly lost)` : '');
      this.event('disconnected', rconn, `disconnected: ${why}${lost}`, { error: info.error, dropped: info.dropped, unackedBytes: info.unackedBytes });
    });
    rconn.on('connectFailed', (info) => {
      const retry = info.retryIn === null ? ', giving up' : `, retrying in ${(info.retryIn / 1000).toFixed(1)} s`;
      this.event('connectFailed', rconn, `connection attempt ${info.attempts} failed: ${describeError(info.error, rconn.status().target)}${retry}`,
        { error: info.error, retryInMs: info.retryIn, attempts: info.attempts });
    });
    rconn.on('probe', (ev) => {
      if (ev.kind === 'echo' && ev.phase === 'reply') {
        view.rttMs = ev.rttMs;
        this.event('probe', rconn, `echo probe answered in ${ev.rttMs.toFixed(2)} ms`, { kind: ev.kind, phase: ev.phase, xid: ev.xid });
      } else if (ev.kind === 'echo') {
        this.event('probe', rconn, `idle: sent echo probe (xid ${ev.xid})`, { kind: ev.kind, phase: ev.phase, xid: ev.xid }, this.verbose);
      } else if (ev.phase === 'idle') {
        this.event('probe', rconn, 'idle: TCP keepalive probe outstanding, waiting for the peer kernel', { kind: ev.kind, phase: ev.phase });
      } else {
        this.event('probe', rconn, 'TCP keepalive answered: the peer is alive', { kind: ev.kind, phase: ev.phase });
      }
    });
    rconn.on('message', (msg) => {
      this.event('message', rconn, `received ${msg.type} (xid ${msg.xid})`, { type: msg.type, xid: msg.xid }, this.verbose);
    });
    rconn.on('close', () => this.event('close', rconn, 'closed', {}, this.verbose));
  }

  /**
   * The connection is over (an accepted one that ended): it leaves the live view; its summary is
   * kept as text among the last ENDED_HISTORY, and only counted beyond that.
   */
  finish(rconn: Rconn): void {
    const view = this.views.get(rconn);
    if (!view) return;
    this.views.delete(rconn);
    this.endedCount++;
    this.endedConnections += rconn.status().nSuccessfulConnections;
    this.ended.push({ line: this.summaryLine(view), json: { ...this.fields(rconn, view), ...this.totals(view) } });
    if (this.ended.length > ENDED_HISTORY) this.ended.shift();
  }

  /** A round trip measured by the application (the controller's own echo). */
  recordRtt(rconn: Rconn, ms: number): void {
    const view = this.views.get(rconn);
    if (view) view.rttMs = ms;
  }

  recordDatapath(rconn: Rconn, datapathId: string): void {
    const view = this.views.get(rconn);
    if (view) view.datapathId = datapathId;
  }

  /** The controller role a switch's connection has now (MASTER, SLAVE, EQUAL), or null. */
  recordControllerRole(rconn: Rconn, controllerRole: string | null): void {
    const view = this.views.get(rconn);
    if (view) view.controllerRole = controllerRole;
  }

  /**
   * An event about `rconn`. In plain/tty modes it becomes a log line unless `show` is false; in
   * json mode every event is printed.
   */
  event(event: string, rconn: Rconn, text: string, extra: Record<string, unknown> = {}, show = true): void {
    const view = this.views.get(rconn);
    if (this.mode === 'json') {
      this.writeJson({ event, ...this.fields(rconn, view), ...extra, text });
    } else if (show) {
      this.log(`${rconn.name}: ${text}`);
    }
  }

  /** An event about no particular connection (listening, a peer that failed HELLO, demo steps). */
  note(event: string, name: string, text: string, extra: Record<string, unknown> = {}, show = true): void {
    if (this.mode === 'json') {
      const base: StatusFields = { name, state: null, version: null, probe: null, seqno: null, rttMs: null, txq: null };
      this.writeJson({ event, ...base, ...extra, text });
    } else if (show) {
      this.log(name ? `${name}: ${text}` : text);
    }
  }

  /** Starts the once-a-second status output (json lines or the tty block). */
  start(): void {
    if (this.timer || this.mode === 'plain') return;
    this.timer = setInterval(() => this.tick(), STATUS_EVERY_MS);
    // The process must be able to exit on its own once the connections are closed.
    this.timer.unref();
    this.tick();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.mode === 'tty') this.clearBlock();
    this.json.flushNow();
  }

  /** Final report: one entry per open connection and per remembered ended one, with the totals of all. */
  summary(): void {
    this.stop();
    const views = [...this.views.values()];
    const entries = views.length + this.endedCount;
    const made = totalConnections(views) + this.endedConnections;
    const forgotten = this.endedCount - this.ended.length;
    const secs = this.elapsed();
    if (this.mode === 'json') {
      for (const e of this.ended) this.writeJson({ event: 'summary', ...e.json });
      for (const v of views) this.writeJson({ event: 'summary', ...this.fields(v.rconn, v), ...this.totals(v) });
      this.note('exit', 'ofrconn', `ran ${secs.toFixed(1)} s`, { elapsedS: secs, connections: made, entries, endedNotListed: forgotten });
      this.json.flushNow();
      return;
    }
    // The header counts what the lines below count (connections made), so the numbers add up.
    this.out.write(`summary after ${secs.toFixed(1)} s: ${plural(made, 'connection')}${entries > 1 ? ` over ${entries} entries` : ''}\n`);
    const lines = [...this.ended.map((e) => e.line), ...views.map((v) => this.summaryLine(v))];
    const shown = lines.slice(-SUMMARY_MAX_CONNECTIONS);
    for (const line of shown) this.out.write(`  ${line}\n`);
    if (entries > shown.length) this.out.write(`  ... and ${entries - shown.length} more (the most recent are listed)\n`);
  }

  // ---- formatting ------------------------------------------------------------------------------

  private fields(rconn: Rconn, view: View | undefined): StatusFields & Record<string, unknown> {
    const s = rconn.status();
    return {
      name: s.name,
      role: view?.role ?? null,
      target: s.target,
      state: s.state,
      version: s.version ? versionName(s.version) : null,
      wireVersion: s.version || null,
      probe: s.probe,
      seqno: s.seqno,
      // Exact in JSON; only the human-readable lines round.
      rttMs: view?.rttMs ?? null,
      txq: s.txq,
      rx: s.rxPackets,
      tx: s.txPackets,
      reconnects: reconnects(s),
      datapathId: view?.datapathId ?? null,
      controllerRole: view?.controllerRole ?? null,
    };
  }

  private totals(v: View): Record<string, unknown> {
    const s = v.rconn.status();
    return {
      connections: s.nSuccessfulConnections,
      attempts: s.nAttemptedConnections,
      connectedMs: s.totalConnectedDuration,
      rxBytes: s.rxBytes,
      txBytes: s.txBytes,
      dropped: s.dropped,
      probeRtt: s.rtt,
      lastError: s.lastError,
    };
  }

  private summaryLine(v: View): string {
    const s = v.rconn.status();
    const rtt = s.rtt.samples > 0
      ? `echo probe rtt last ${fmtMs(s.rtt.last)}, min ${fmtMs(s.rtt.min)}, max ${fmtMs(s.rtt.max)}`
      : v.rttMs !== null ? `echo rtt ${fmtMs(v.rttMs)}` : 'no echo rtt';
    const dp = v.datapathId ? `datapath ${v.datapathId}; ` : '';
    const now = s.version ? `${s.state} (OpenFlow ${versionName(s.version)}, probe ${s.probe})` : s.state === 'VOID' ? 'closed' : s.state;
    const err = s.lastError ? `; last error ${s.lastError.code}` : '';
    return `${s.name}: ${dp}${plural(s.nSuccessfulConnections, 'connection')} ` +
      `(${plural(reconnects(s), 'reconnect')}), connected ${(s.totalConnectedDuration / 1000).toFixed(1)} s; ` +
      `${s.rxPackets} messages in, ${s.txPackets} out; ${rtt}; now ${now}${err}`;
  }

  private statusLine(v: View): string {
    const s = v.rconn.status();
    const version = s.version ? versionName(s.version) : '-';
    const rtt = v.rttMs === null ? 'rtt -' : `rtt ${fmtMs(v.rttMs)}`;
    const role = v.controllerRole ? ` role ${v.controllerRole}` : '';
    return `  ${s.name.padEnd(32)} ${s.state.padEnd(12)} ${version.padEnd(6)} ${s.probe.padEnd(9)} ${rtt.padEnd(13)} ` +
      `in ${String(s.rxPackets).padEnd(5)} out ${String(s.txPackets).padEnd(5)} reconnects ${reconnects(s)}${role}`;
  }

  private tick(): void {
    if (this.mode === 'json') {
      for (const v of this.views.values()) this.writeJson({ event: 'status', ...this.fields(v.rconn, v) });
    } else if (this.mode === 'tty') {
      this.clearBlock();
      this.drawBlock();
    }
  }

  private log(line: string): void {
    const stamped = `[${this.elapsed().toFixed(3).padStart(8)}s] ${line}\n`;
    if (this.mode !== 'tty' || !this.timer) {
      this.out.write(stamped);
      return;
    }
    this.clearBlock();
    this.out.write(stamped);
    this.drawBlock();
  }

  private drawBlock(): void {
    const live = [...this.views.values()];
    const width = Math.max(20, (this.out.columns || 120) - 1);
    // A wrapped line would break the cursor arithmetic of the next redraw, so lines are cut to fit.
    const header = `  ${'connection'.padEnd(32)} ${'state'.padEnd(12)} ${'ver'.padEnd(6)} ${'probe'.padEnd(9)} echo rtt      messages`;
    const rows = live.length > 0 ? live.map((v) => this.statusLine(v)) : ['  (no connections)'];
    const lines = [header, ...rows].map((l) => l.slice(0, width));
    this.out.write(`${lines.join('\n')}\n`);
    this.drawn = lines.length;
  }

  private clearBlock(): void {
    if (this.drawn === 0) return;
    // Cursor to the start of the block's first line, then erase to the end of the screen.
    this.out.write(`\x1b[${this.drawn}F\x1b[J`);
    this.drawn = 0;
  }

  private writeJson(record: Record<string, unknown>): void {
    this.json.write(JSON.stringify({ time: new Date().toISOString(), elapsedS: round(this.elapsed(), 3), ...record }, jsonValue));
  }
}

function totalConnections(views: View[]): number {
  return views.reduce((n, v) => n + v.rconn.status().nSuccessfulConnections, 0);
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** Connections after the first one, for a reliable rconn; an accepted one never reconnects. */
function reconnects(s: RconnStatus): number {
  return s.reliable ? Math.max(0, s.nSuccessfulConnections - 1) : 0;
}

/** bigints become strings, errors become their stable code and message. */
export function jsonValue(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) return { name: value.name, code: errCode(value), message: value.message };
  return value;
}

export function errCode(err: Error): string {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : 'EIO';
}

/**
 * An error for a line that already names the connection: without the `TARGET: ` prefix stream
 * errors carry, and with the stable code only when the message does not say it already.
 */
export function describeError(err: Error, target: string): string {
  const message = err.message.startsWith(`${target}: `) ? err.message.slice(target.length + 2) : err.message;
  return withCode(message, errCode(err));
}

export function withCode(message: string, code: string): string {
  return message.includes(code) ? message : `${message} (${code})`;
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function fmtMs(ms: number | null): string {
  if (ms === null) return '-';
  return `${ms < 10 ? ms.toFixed(2) : ms.toFixed(0)} ms`;
}
