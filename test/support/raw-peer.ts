import * as net from 'node:net';
import * as tls from 'node:tls';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES_DIR } from './fixtures.js';

export type Transport = 'tcp' | 'ssl' | 'unix';
export const TRANSPORTS: Transport[] = ['tcp', 'ssl', 'unix'];

export const tlsFiles = {
  ca: () => readFileSync(join(FIXTURES_DIR, 'tls', 'ca.crt')),
  cert: () => readFileSync(join(FIXTURES_DIR, 'tls', 'server.crt')),
  key: () => readFileSync(join(FIXTURES_DIR, 'tls', 'server.key')),
};

/** Client-side TLS options that trust the test CA. */
export const clientTls = () => ({ ca: tlsFiles.ca() });

/**
 * A hand-driven peer listening on tcp, ssl or unix, written without the library so that it checks
 * our bytes independently. `onSocket` scripts what the peer does with each connection.
 */
export class RawPeer {
  readonly received: Buffer[] = [];
  readonly sockets: net.Socket[] = [];
  private server!: net.Server;
  private dir: string | null = null;
  target = '';

  static async listen(transport: Transport, onSocket: (s: net.Socket, peer: RawPeer) => void): Promise<RawPeer> {
    const peer = new RawPeer();
    const handler = (s: net.Socket): void => {
      peer.sockets.push(s);
      s.on('error', () => {});
      s.on('data', (d) => peer.received.push(Buffer.from(d)));
      onSocket(s, peer);
    };
    if (transport === 'ssl') {
      peer.server = tls.createServer({ cert: tlsFiles.cert(), key: tlsFiles.key() }, handler);
      peer.server.on('tlsClientError', () => {});
    } else {
      peer.server = net.createServer(handler);
    }
    if (transport === 'unix') {
      peer.dir = mkdtempSync(join(tmpdir(), 'ofr-'));
      const path = join(peer.dir, 'peer.sock');
      await new Promise<void>((r) => peer.server.listen(path, r));
      peer.target = `unix:${path}`;
    } else {
      await new Promise<void>((r) => peer.server.listen(0, '127.0.0.1', r));
      const port = (peer.server.address() as net.AddressInfo).port;
      peer.target = `${transport}:127.0.0.1:${port}`;
    }
    return peer;
  }

  /** Everything the peer received, concatenated. */
  bytes(): Buffer {
    return Buffer.concat(this.received);
  }

  /** Resolves once the first accepted socket has closed. */
  async socketClosed(timeoutMs = 5000): Promise<void> {
    const start = Date.now();
    while (this.sockets.length === 0 || !this.sockets[0]!.destroyed) {
      if (Date.now() - start > timeoutMs) throw new Error('peer socket still open');
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A HELLO built by hand: header version, optional VERSIONBITMAP element. */
export function rawHello(version: number, bitmap?: number[], xid = 1): Buffer {
  const body: Buffer[] = [];
  if (bitmap) {
    let word = 0;
    for (const v of bitmap) word |= 1 << v;
    const el = Buffer.alloc(8);
    el.writeUInt16BE(1, 0); // OFPHET_VERSIONBITMAP
    el.writeUInt16BE(8, 2);
    el.writeUInt32BE(word >>> 0, 4);
    body.push(el);
  }
  const payload = Buffer.concat(body);
  const h = Buffer.alloc(8);
  h.writeUInt8(version, 0);
  h.writeUInt8(0, 1);
  h.writeUInt16BE(8 + payload.length, 2);
  h.writeUInt32BE(xid, 4);
  return Buffer.concat([h, payload]);
}

/** A raw message: header + body, with an optional lying length. */
export function rawMessage(version: number, type: number, body: Buffer = Buffer.alloc(0), xid = 2, length?: number): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt8(version, 0);
  h.writeUInt8(type, 1);
  h.writeUInt16BE(length ?? 8 + body.length, 2);
  h.writeUInt32BE(xid, 4);
  return Buffer.concat([h, body]);
}

/** Splits a byte string into OpenFlow messages by their length fields (no validation). */
export function splitMessages(bytes: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let off = 0;
  while (off + 8 <= bytes.length) {
    const len = bytes.readUInt16BE(off + 2);
    if (len < 8 || off + len > bytes.length) break;
    out.push(bytes.subarray(off, off + len));
    off += len;
  }
  return out;
}

export async function waitFor(cond: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
