import type { Duplex } from 'node:stream';
import type * as net from 'node:net';

/** Errno-style code returned by {@link Stream.setKeepalive}; 0 means success. */
export type KeepaliveResult = 0 | 'EOPNOTSUPP' | 'EINVAL' | 'EBADF' | (string & {});

/** The transport kind behind a stream. */
export type StreamKind = 'tcp' | 'ssl' | 'unix';

/** TLS material and policy for `ssl:` and `pssl:` targets. Paths or PEM contents. */
export interface TlsOptions {
  /** CA certificate(s) (PEM) that the peer's certificate must chain to. @default the system store */
  ca?: string | Buffer | Array<string | Buffer>;
  /** Our certificate chain (PEM). Required for `pssl:`; for `ssl:` it enables mutual TLS. */
  cert?: string | Buffer;
  /** Our private key (PEM). */
  key?: string | Buffer;
  /** Verify the peer's certificate. @default true */
  rejectUnauthorized?: boolean;
  /** Passive side: ask the client for a certificate and verify it (mutual TLS). @default false */
  requestCert?: boolean;
  /** Server name to verify and send as SNI. @default the host part of the target */
  servername?: string;
}

/**
 * A connected byte stream. Data flows through {@link Stream.duplex}; the keepalive capability is
 * the transport-level probing that the rconn prefers over OpenFlow echo (docs/DESIGN.md, "Transport probing").
 */
export interface Stream {
  /** The target name this stream was opened from or accepted on, e.g. `tcp:127.0.0.1:6653`. */
  readonly name: string;
  readonly kind: StreamKind;
  /** What the application reads and writes: the TLS socket for ssl, else the raw socket. */
  readonly duplex: Duplex;
  /** The kernel socket underneath (TCP or unix). Keepalive options are set on its fd. */
  readonly socket: net.Socket;
  /** `host:port` or the unix path of the peer, for logs. */
  readonly peer: string;
  /**
   * Configures transport keepalive so that a dead peer is noticed after about 2 x maxIdle seconds
   * of silence; 0 turns it off. Returns 0 on success or an errno-style code; `'EOPNOTSUPP'` means
   * the caller must probe with OpenFlow echo instead.
   */
  setKeepalive(maxIdleSeconds: number): KeepaliveResult;
  /** True when the transport is known to have a keepalive probe outstanding. False when unsure. */
  isIdle(): boolean;
  /**
   * isIdle() in one look together with the time until the transport's next keepalive probe, so a
   * caller need not ask again before anything can have changed. Undefined when unknown.
   */
  keepaliveCheck?(): { idle: boolean; nextProbeInMs?: number } | undefined;
  /**
   * When the connection began (performance.now()): accept time for an accepted stream, the start of
   * connect for an opened one. The HELLO deadline counts from here, so TCP, TLS and HELLO share one.
   */
  readonly startedAt?: number;
  /**
   * Bytes written that the peer has not acknowledged (kernel send queue plus Node's buffers);
   * undefined when unknown (not Linux, no koffi, unix socket, socket already closed).
   */
  unackedBytes?(): number | undefined;
  /** Destroys both the duplex and the raw socket. Idempotent. */
  destroy(err?: Error): void;
}

/** Where a passive endpoint listens: host and port for ptcp/pssl, path for punix. */
export interface BoundAddress {
  host?: string;
  port?: number;
  path?: string;
}

/**
 * Accepting failed for lack of descriptors or buffers (EMFILE, ENFILE, ENOBUFS, ENOMEM). Emitted
 * once per burst: on the first failure after a second without one. Accepting resumes by itself.
 */
export interface AcceptErrorInfo {
  code: string;
  error: Error;
}

/** A listening endpoint (`ptcp:`, `pssl:`, `punix:`). */
export interface PassiveStream {
  readonly name: string;
  /**
   * The bound address: for ptcp/pssl the real port (useful with port 0), for punix the path. A
   * method, as on `net.Server`.
   */
  address(): BoundAddress;
  /** Accepted streams, in order. Ends when the listener is closed. */
  accept(): AsyncIterableIterator<Stream>;
  /** Called for every accepted stream; an alternative to {@link accept}. */
  on(event: 'stream', listener: (s: Stream) => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
  on(event: 'acceptError', listener: (info: AcceptErrorInfo) => void): this;
  /** Failed accepts since listening (every one, not only the first of each burst). */
  readonly acceptErrors?: number;
  /** Stops listening; accepted streams stay open. Resolves when the server is closed. */
  close(): Promise<void>;
}
