/**
 * The peer of the model-based test: a real loopback listener, written without the library, whose
 * behaviour the test switches between steps (answer normally, fall silent, refuse HELLO, reset,
 * restart). It counts what reaches it so the test can check delivery.
 */
import * as net from 'node:net';

export type PeerMode = 'normal' | 'silent' | 'badHello';

const OFP13 = 4;
const OFPT_ECHO_REQUEST = 2;
const OFPT_ECHO_REPLY = 3;
const OFPT_FEATURES_REQUEST = 5;
/** Our app messages are EXPERIMENTER (type 4) frames; the rconn's probes are ECHO_REQUESTs. */
export const APP_TYPE = 4;

function header(type: number, length: number, xid: number, version = OFP13): Buffer {
  const h = Buffer.alloc(length);
  h.writeUInt8(version, 0);
  h.writeUInt8(type, 1);
  h.writeUInt16BE(length, 2);
  h.writeUInt32BE(xid, 4);
  return h;
}

/** HELLO 1.3 with a VERSIONBITMAP of {1.3}. */
function hello(): Buffer {
  const b = header(0, 16, 1);
  b.writeUInt16BE(1, 8);
  b.writeUInt16BE(8, 10);
  b.writeUInt32BE(1 << OFP13, 12);
  return b;
}

/** An application message of `size` bytes (>= 16; the body is an experimenter id and padding). */
export function appMessage(size: number, xid: number): Buffer {
  return header(APP_TYPE, size, xid);
}

class Conn {
  private pending: Buffer = Buffer.alloc(0);
  constructor(readonly socket: net.Socket, private readonly peer: ScriptedPeer) {
    socket.on('error', () => {});
    socket.on('data', (d) => this.onData(d));
    // A peer that stops reading keeps its FIN unread too; end our side once theirs is seen.
    socket.on('end', () => socket.end());
  }

  private onData(chunk: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    let off = 0;
    while (off + 8 <= this.pending.length) {
      const len = this.pending.readUInt16BE(off + 2);
      if (len < 8 || off + len > this.pending.length) break;
      const type = this.pending[off + 1]!;
      const xid = this.pending.readUInt32BE(off + 4);
      if (type === APP_TYPE) this.peer.appReceived++;
      else if (type === OFPT_ECHO_REQUEST) {
        this.peer.probesReceived++;
        if (this.peer.mode === 'normal') this.socket.write(header(OFPT_ECHO_REPLY, 8, xid));
      }
      off += len;
    }
    this.pending = this.pending.subarray(off);
  }
}

export class ScriptedPeer {
  mode: PeerMode = 'normal';
  appReceived = 0;
  probesReceived = 0;
  port = 0;
  private server: net.Server | null = null;
  private readonly conns = new Set<Conn>();

  get target(): string {
    return `tcp:127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const server = net.createServer((s) => this.accept(s));
    server.on('error', () => {});
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => { server.off('error', reject); resolve(); });
    });
    this.server = server;
    this.port = (server.address() as net.AddressInfo).port;
  }

  private accept(s: net.Socket): void {
    const conn = new Conn(s, this);
    this.conns.add(conn);
    s.on('close', () => this.conns.delete(conn));
    if (this.mode === 'normal') s.write(hello());
    else if (this.mode === 'badHello') s.write(header(OFPT_FEATURES_REQUEST, 8, 1));
    else s.pause();
  }

  /** Sends `n` FEATURES_REQUESTs on every open connection (what messages() then receives). */
  send(n: number): void {
    for (const c of this.conns) {
      if (c.socket.destroyed || c.socket.isPaused()) continue;
      for (let i = 0; i < n; i++) c.socket.write(header(OFPT_FEATURES_REQUEST, 8, 1000 + i));
    }
  }

  /** Stops reading and answering on every connection (and the next ones). */
  silence(): void {
    this.mode = 'silent';
    for (const c of this.conns) c.socket.pause();
  }

  recover(): void {
    this.mode = 'normal';
    for (const c of this.conns) c.socket.resume();
  }

  /** New connections get a non-HELLO first message; current ones are reset. */
  badHello(): void {
    this.mode = 'badHello';
    this.reset();
  }

  /** RST on every connection. */
  reset(): void {
    for (const c of this.conns) c.socket.resetAndDestroy();
  }

  /** The peer process dies and comes back on the same port. */
  async restart(): Promise<void> {
    await this.stop();
    this.mode = 'normal';
    await this.start();
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const c of this.conns) c.socket.destroy();
    this.conns.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
