/** Shared by the robustness tests: event recording for an Rconn, scripted raw peers, OFPT_ERROR parsing. */
import * as net from 'node:net';
import type { Rconn } from '../../src/index.js';
import { RawPeer, splitMessages, type Transport } from '../support/raw-peer.js';

/** One failure of a reliable rconn: a connect attempt that failed, or a connection that dropped. */
export interface Failure {
  at: number;
  phase: 'connectFailed' | 'disconnected';
  error: Error & { code?: string };
  dropped?: number;
}

/** Records what an rconn reports, with the time of each report. */
export class RconnWatch {
  readonly failures: Failure[] = [];
  readonly connects: number[] = [];
  readonly disconnects: { at: number; error: (Error & { code?: string }) | null; dropped: number }[] = [];

  constructor(readonly rconn: Rconn) {
    rconn.on('connectFailed', ({ error }) => this.failures.push({ at: Date.now(), phase: 'connectFailed', error }));
    rconn.on('connected', () => this.connects.push(Date.now()));
    rconn.on('disconnected', ({ error, dropped }) => {
      this.disconnects.push({ at: Date.now(), error, dropped });
      if (error) this.failures.push({ at: Date.now(), phase: 'disconnected', error, dropped });
    });
  }
}

/** An OFPT_ERROR as the peer received it. */
export interface ReceivedError {
  version: number;
  xid: number;
  errorType: number;
  code: number;
  data: Buffer;
}

/** The OFPT_ERROR messages in the bytes one connection carried (parsed by hand, not by the library). */
export function errorsIn(bytes: Buffer): ReceivedError[] {
  return splitMessages(bytes).filter((m) => m[1] === 1 && m.length >= 12).map((m) => ({
    version: m[0]!, xid: m.readUInt32BE(4), errorType: m.readUInt16BE(8), code: m.readUInt16BE(10), data: m.subarray(12),
  }));
}

/** One accepted connection of a {@link ScriptedPeer}: when it arrived and what it carried. */
export interface PeerConnection {
  at: number;
  socket: net.Socket;
  chunks: Buffer[];
  /** Our side ended or reset the connection: everything we sent has arrived. */
  closed: boolean;
  bytes(): Buffer;
}

/** A RawPeer that keeps each connection's bytes apart and runs `script` on every accepted socket. */
export class ScriptedPeer {
  private constructor(readonly raw: RawPeer, readonly connections: PeerConnection[]) {}

  static async listen(transport: Transport, script: (s: net.Socket) => void): Promise<ScriptedPeer> {
    const connections: PeerConnection[] = [];
    const raw = await RawPeer.listen(transport, (socket) => {
      const c: PeerConnection = { at: Date.now(), socket, chunks: [], closed: false, bytes: () => Buffer.concat(c.chunks) };
      socket.on('data', (d: Buffer) => c.chunks.push(Buffer.from(d)));
      socket.on('end', () => { c.closed = true; });
      socket.on('close', () => { c.closed = true; });
      connections.push(c);
      script(socket);
    });
    return new ScriptedPeer(raw, connections);
  }

  get target(): string {
    return this.raw.target;
  }

  close(): Promise<void> {
    return this.raw.close();
  }
}

/** A loopback port with nothing listening on it (bound once, then released). */
export async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** Milliseconds between consecutive times. */
export function gaps(times: number[]): number[] {
  return times.slice(1).map((t, i) => t - times[i]!);
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A promise's outcome as a value, so a rejection can wait for its test without being "unhandled". */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };
export function settled<T>(p: Promise<T>): Promise<Settled<T>> {
  return p.then((value) => ({ ok: true as const, value }), (error: unknown) => ({ ok: false as const, error }));
}
export function unwrap<T>(s: Settled<T>): T {
  if (!s.ok) throw s.error;
  return s.value;
}
