/** The one {@link Stream} implementation: a raw socket, optionally with TLS layered over it. */
import type { Duplex } from 'node:stream';
import type * as net from 'node:net';
import type { KeepaliveResult, Stream, StreamKind } from './types.js';
import {
  appliedKeepalive, isSocketIdle, keepaliveCheckOf, setSocketKeepalive, type AppliedKeepalive,
} from './keepalive.js';
import { trackUnackedBytes } from './unacked.js';

export class SocketStream implements Stream {
  readonly name: string;
  readonly kind: StreamKind;
  readonly duplex: Duplex;
  readonly socket: net.Socket;
  readonly peer: string;
  readonly startedAt: number;
  private readonly unacked: (() => number | undefined) | undefined;
  /** The socket's keepalive record, once set through this stream (keepaliveCheckOf). */
  private keepalive: AppliedKeepalive | undefined;

  constructor(init: { name: string; kind: StreamKind; socket: net.Socket; duplex?: Duplex; peer: string; startedAt?: number; accepted?: boolean }) {
    this.startedAt = init.startedAt ?? performance.now();
    this.name = init.name;
    this.kind = init.kind;
    this.socket = init.socket;
    this.duplex = init.duplex ?? init.socket;
    this.peer = init.peer;
    // OpenFlow messages are small request/replies: Nagle would hold each one back for the
    // previous ACK (Open vSwitch sets TCP_NODELAY too). Writes are batched per tick above us.
    if (init.kind !== 'unix') this.socket.setNoDelay(true);
    this.unacked = init.kind === 'unix' ? undefined : trackUnackedBytes(this.socket, !init.accepted);
  }

  setKeepalive(maxIdleSeconds: number): KeepaliveResult {
    if (this.kind === 'unix') return 'EOPNOTSUPP';
    const result = setSocketKeepalive(this.socket, maxIdleSeconds, this.duplex === this.socket ? [] : [this.duplex]);
    this.keepalive ??= appliedKeepalive(this.socket);
    return result;
  }

  isIdle(): boolean {
    return this.kind !== 'unix' && isSocketIdle(this.socket);
  }

  keepaliveCheck(): { idle: boolean; nextProbeInMs?: number } | undefined {
    return this.kind === 'unix' ? undefined : keepaliveCheckOf(this.socket, this.keepalive ?? appliedKeepalive(this.socket));
  }

  unackedBytes(): number | undefined {
    const kernel = this.unacked?.();
    // Over TLS the kernel counts ciphertext; Node's TLS write buffer holds plaintext not yet encrypted.
    return kernel === undefined || this.duplex === this.socket ? kernel : kernel + this.duplex.writableLength;
  }

  destroy(err?: Error): void {
    if (!this.duplex.destroyed) this.duplex.destroy(err);
    // The TLS socket does not always take the raw one down with it (e.g. before the handshake).
    if (!this.socket.destroyed) this.socket.destroy();
  }
}
