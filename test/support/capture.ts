/**
 * Packet capture with tshark, so tests can have Wireshark's OpenFlow dissectors (written by
 * people outside this project) judge the bytes we put on the wire.
 *
 *   const cap = await startCapture(port);   // resolves once tshark is really capturing
 *   ... traffic on 127.0.0.1:port ...
 *   await cap.stop();
 *   const d = await cap.dissect();          // messages, malformed packets, expert warnings
 *
 * Needs root (Debian installs dumpcap without capture capabilities when install-setuid=false).
 * Debian 12's tshark 4.0 has openflow_v1 (1.0), openflow_v4 (1.3), openflow_v5 (1.4) and
 * openflow_v6 (1.5). Its "openflow" heuristic only claims port 6653 by itself, so reading uses
 * `-d tcp.port==PORT,openflow` for any other port.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { commandPath } from './peers.js';

const run = promisify(execFile);

export interface CaptureOptions {
  /** Interface to capture on (default lo). */
  iface?: string;
  /** tshark stops by itself after this many seconds, so a forgotten capture cannot run forever (default 300). */
  maxSeconds?: number;
  /** How long to wait for tshark to report it is capturing (default 10000 ms). */
  startTimeoutMs?: number;
}

/** One OpenFlow message as decoded by tshark. */
export interface DissectedMessage {
  frame: number;
  srcPort: number;
  dstPort: number;
  /** tshark protocol name: openflow_v1 | openflow_v4 | openflow_v5 | openflow_v6. */
  protocol: string;
  version: number;
  type: number;
  length: number;
  xid: number;
  /** Every field of the message as tshark printed it (names like "openflow_v4.xid"). */
  fields: Record<string, unknown>;
}

export interface ExpertEntry {
  frame: number;
  message: string;
  severity: 'chat' | 'note' | 'warn' | 'error' | 'comment' | 'unknown';
  /** The key path to the entry inside the packet's layers, e.g. "openflow_v4/...". */
  where: string;
}

export interface Dissection {
  /** All OpenFlow messages, in capture order. */
  messages: DissectedMessage[];
  /** tshark's Info column per frame that carried OpenFlow (e.g. "Type: OFPT_HELLO"). */
  info: Map<number, string>;
  /** Frames tshark flagged with _ws.malformed. */
  malformed: number[];
  /** Expert entries of note level and above, outside the frame/eth/ip/tcp layers. */
  experts: ExpertEntry[];
}

export class CaptureError extends Error {
  override readonly name = 'CaptureError';
  readonly code = 'ERR_CAPTURE';
}

const OPENFLOW_LAYER = /^openflow_v\d+$/;
// TCP's own notes (connection closing, retransmissions) describe the capture, not our bytes.
const TRANSPORT_PATH = /^(frame|eth|ip|ipv6|tcp)(\/|$)/;
const SEVERITY: Record<string, ExpertEntry['severity']> = {
  '1048576': 'comment',
  '2097152': 'chat',
  '4194304': 'note',
  '6291456': 'warn',
  '8388608': 'error',
};

export class Capture {
  #proc: ChildProcess | undefined;
  #exited: Promise<void>;
  #stderr = '';

  private constructor(
    readonly port: number,
    readonly file: string,
    private readonly dir: string,
    proc: ChildProcess,
  ) {
    this.#proc = proc;
    proc.stderr?.setEncoding('utf8').on('data', (s: string) => (this.#stderr += s));
    this.#exited = new Promise((resolve) => proc.once('close', () => resolve()));
  }

  /** What tshark wrote to stderr (for diagnostics). */
  get stderr(): string {
    return this.#stderr;
  }

  static async start(port: number, opts: CaptureOptions = {}): Promise<Capture> {
    const tshark = commandPath('tshark');
    if (!tshark) throw new CaptureError('tshark not installed (apt-get install tshark)');
    const dir = await mkdtemp(join(tmpdir(), 'ofcap'));
    const file = join(dir, `port${port}.pcapng`);
    const args = ['-n', '-q', '-i', opts.iface ?? 'lo', '-f', `tcp port ${port}`];
    args.push('-a', `duration:${opts.maxSeconds ?? 300}`, '-w', file);
    const proc = spawn(tshark, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    const cap = new Capture(port, file, dir, proc);
    try {
      await cap.#waitCapturing(opts.startTimeoutMs ?? 10_000);
    } catch (err) {
      await cap.stop();
      await cap.dispose();
      throw err;
    }
    return cap;
  }

  // tshark prints "Capturing on 'Loopback: lo'" BEFORE dumpcap has opened the interface; only
  // once dumpcap writes the pcapng section header (the file is no longer empty) are packets
  // really being captured. Stopping earlier loses everything ("0 packets captured").
  async #waitCapturing(ms: number): Promise<void> {
    const proc = this.#proc!;
    const deadline = Date.now() + ms;
    for (;;) {
      const size = await stat(this.file).then((s) => s.size, () => 0);
      if (size > 0) return;
      if (proc.exitCode !== null || proc.signalCode !== null) {
        throw new CaptureError(`tshark exited before capturing: ${this.#stderr.trim()}`);
      }
      if (Date.now() > deadline) throw new CaptureError(`tshark did not start within ${ms} ms: ${this.#stderr.trim()}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /**
   * Stops tshark (SIGINT lets it finish the file; SIGKILL if it hangs). Idempotent.
   *
   * dumpcap receives packets from the kernel in blocks handed over every ~250 ms and drops the
   * block still pending when it is interrupted (measured with tshark 4.0: traffic 0-100 ms before
   * SIGINT was lost, 300 ms before was kept), so stop() first waits `settleMs` (default 600).
   */
  async stop(opts: { settleMs?: number } = {}): Promise<void> {
    const proc = this.#proc;
    if (!proc) return;
    this.#proc = undefined;
    const running = () => proc.exitCode === null && proc.signalCode === null;
    if (running()) await new Promise((r) => setTimeout(r, opts.settleMs ?? 600));
    if (running()) proc.kill('SIGINT');
    const killer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
    await this.#exited;
    clearTimeout(killer);
  }

  /** Decodes the capture. Call after stop(). */
  async dissect(): Promise<Dissection> {
    const [json, fields] = await Promise.all([
      this.#read(['-T', 'json', '--no-duplicate-keys']),
      this.#read(['-Y', 'openflow_v1 || openflow_v4 || openflow_v5 || openflow_v6', '-T', 'fields', '-E', 'separator=\t', '-e', 'frame.number', '-e', '_ws.col.Info']),
    ]);
    const result: Dissection = { messages: [], info: new Map(), malformed: [], experts: [] };
    for (const line of fields.split('\n')) {
      const tab = line.indexOf('\t');
      if (tab > 0) result.info.set(Number(line.slice(0, tab)), line.slice(tab + 1));
    }
    const packets = JSON.parse(json || '[]') as Array<{ _source: { layers: Record<string, unknown> } }>;
    for (const pkt of packets) collectPacket(pkt._source.layers, result);
    return result;
  }

  /**
   * The TCP payload of every segment that carried data, in capture order, with its direction: the
   * raw bytes, for checks tshark's dissectors do not go into (e.g. the text of a 1.0 ERROR).
   */
  async payloads(): Promise<Array<{ frame: number; srcPort: number; dstPort: number; payload: Buffer }>> {
    const out = await this.#read(['-Y', 'tcp.len > 0', '-T', 'fields', '-E', 'separator=\t',
      '-e', 'frame.number', '-e', 'tcp.srcport', '-e', 'tcp.dstport', '-e', 'tcp.payload']);
    return out.split('\n').filter((l) => l.trim() !== '').map((line) => {
      const [frame = '', src = '', dst = '', hex = ''] = line.split('\t');
      return { frame: Number(frame), srcPort: Number(src), dstPort: Number(dst), payload: Buffer.from(hex.replace(/:/g, ''), 'hex') };
    });
  }

  /** tshark's full verbose text of the OpenFlow layers (`-V`), for failure messages. */
  verbose(): Promise<string> {
    return this.#read(['-Y', 'openflow_v1 || openflow_v4 || openflow_v5 || openflow_v6', '-O', 'openflow_v1,openflow_v4,openflow_v5,openflow_v6', '-V']);
  }

  /** Removes the capture file and its directory. */
  async dispose(): Promise<void> {
    await this.stop();
    await rm(this.dir, { recursive: true, force: true });
  }

  async #read(extra: string[]): Promise<string> {
    if (this.#proc) throw new CaptureError('stop() the capture before reading it');
    const tshark = commandPath('tshark')!;
    const args = ['-n', '-r', this.file, '-d', `tcp.port==${this.port},openflow`, ...extra];
    try {
      const { stdout } = await run(tshark, args, { timeout: 30_000, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024 });
      return stdout;
    } catch (err) {
      const e = err as Error & { stderr?: string };
      throw new CaptureError(`tshark ${args.join(' ')}: ${e.stderr?.trim() || e.message}`);
    }
  }
}

export function startCapture(port: number, opts: CaptureOptions = {}): Promise<Capture> {
  return Capture.start(port, opts);
}

function collectPacket(layers: Record<string, unknown>, out: Dissection): void {
  const frameLayer = layers.frame as Record<string, string> | undefined;
  const tcp = layers.tcp as Record<string, string> | undefined;
  const frame = Number(frameLayer?.['frame.number']);
  const srcPort = Number(tcp?.['tcp.srcport']);
  const dstPort = Number(tcp?.['tcp.dstport']);
  for (const [key, value] of Object.entries(layers)) {
    if (!OPENFLOW_LAYER.test(key)) continue;
    // with --no-duplicate-keys, several messages in one segment become an array
    for (const msg of Array.isArray(value) ? value : [value]) {
      const f = msg as Record<string, unknown>;
      // header field names differ per dissector: openflow_v4.type, but openflow.version and
      // openflow_1_0.type for 1.0; the header fields come first, so take the first match
      const num = (name: string) => Number(Object.entries(f).find(([k]) => k.endsWith(`.${name}`))?.[1]);
      out.messages.push({ frame, srcPort, dstPort, protocol: key, version: num('version'), type: num('type'), length: num('length'), xid: num('xid'), fields: f });
    }
  }
  walk(layers, '', (path, k, v) => {
    if (k === '_ws.malformed' && !out.malformed.includes(frame)) out.malformed.push(frame);
    if (k === '_ws.expert') {
      for (const e of (Array.isArray(v) ? v : [v]) as Array<Record<string, string>>) {
        const severity = SEVERITY[e['_ws.expert.severity'] ?? ''] ?? 'unknown';
        if (severity === 'chat' || severity === 'comment' || TRANSPORT_PATH.test(path)) continue;
        out.experts.push({ frame, message: e['_ws.expert.message'] ?? '', severity, where: path });
      }
    }
  });
}

function walk(node: unknown, path: string, visit: (path: string, key: string, value: unknown) => void): void {
  if (node === null || typeof node !== 'object') return;
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    visit(path, k, v);
    walk(v, path ? `${path}/${k}` : k, visit);
  }
}
