/** `ptcp:`, `pssl:` and `punix:` — listening for streams. */
import { EventEmitter } from 'node:events';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { AcceptQueue } from './accept-queue.js';
import { StreamError, TargetError, errnoText } from './errors.js';
import { SocketStream } from './socket-stream.js';
import { formatHostPort, formatTarget, parseTarget, type PassiveTarget, type Target } from './target.js';
import { serverTlsOptions, tlsErrorCode } from './tls.js';
import type { BoundAddress, PassiveStream, Stream, TlsOptions } from './types.js';
import { descriptorLimit } from './fd-limit.js';
import { socketFd } from './keepalive.js';
import { ownUnixPath, prepareUnixPath, removeOwnUnixPath, type UnixBinding } from './unix-path.js';
import { numberOption, tlsOption } from '../validate.js';

export interface ListenStreamOptions {
  /** Certificate and key (required for `pssl:`), CA and `requestCert` for mutual TLS. */
  tls?: TlsOptions;
  /**
   * Milliseconds from accept: a client that has not finished its TLS handshake by then is destroyed
   * (its socket closed, not just reported). Give the HELLO deadline here so TCP, TLS and HELLO share
   * one deadline from accept. @default 30000
   */
  handshakeTimeoutMs?: number;
}

/** Accept errors closer together than this are one burst: one 'acceptError' event. */
export const ACCEPT_ERROR_QUIET_MS = 1000;
/** The accept failures reported as 'acceptError' (descriptor or buffer exhaustion). */
const ACCEPT_EXHAUSTION = new Set(['EMFILE', 'ENFILE', 'ENOBUFS', 'ENOMEM']);

/** OVS binds every IPv4 address when a ptcp:/pssl: name has no host. */
const ALL_ADDRESSES = '0.0.0.0';

/**
 * Starts listening on a passive target. The target and the options are checked at the call
 * (TargetError, ConfigError thrown); rejects with {@link StreamError} (e.g. 'EADDRINUSE', 'ETLSCONFIG').
 */
export function listenStream(target: string | Target, opts: ListenStreamOptions = {}): Promise<PassiveStream> {
  const t = typeof target === 'string' ? parseTarget(target) : target;
  const name = formatTarget(t);
  if (t.active) throw new TargetError(name, 'listenStream needs a passive target (ptcp:, pssl:, punix:); connect with openStream');
  tlsOption('listenStream', opts.tls);
  numberOption('listenStream', 'handshakeTimeoutMs', opts.handshakeTimeoutMs, 30_000, { min: 1 });
  return startListening(t, name, opts);
}

async function startListening(t: PassiveTarget, name: string, opts: ListenStreamOptions): Promise<PassiveStream> {
  let tlsServer: tls.Server | undefined;
  if (t.kind === 'ssl') {
    try {
      tlsServer = tls.createServer({ ...serverTlsOptions(opts.tls), handshakeTimeout: opts.handshakeTimeoutMs ?? 30_000 });
    } catch (err) {
      throw new StreamError('ETLSCONFIG', name, `bad TLS options: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }
  const listener = new Listener(t, name, opts.tls, tlsServer, opts.handshakeTimeoutMs ?? 30_000);
  await listener.start();
  return listener;
}

class Listener extends EventEmitter implements PassiveStream {
  readonly name: string;
  private bound: BoundAddress = {};
  private readonly server = net.createServer();
  private readonly queue = new AcceptQueue();
  // Raw sockets whose TLS handshake is still running: accept time and the deadline that destroys them.
  private readonly handshaking = new Map<net.Socket, { startedAt: number; timer: NodeJS.Timeout }>();
  private lastAcceptError = -Infinity;
  /** Failed accepts (EMFILE, ENFILE, ENOBUFS, ENOMEM) since listening. */
  acceptErrors = 0;
  private unixBinding: UnixBinding | undefined;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly target: PassiveTarget,
    name: string,
    private readonly tlsOptions: TlsOptions | undefined,
    private readonly tlsServer: tls.Server | undefined,
    private readonly handshakeTimeoutMs: number,
  ) {
    super();
    this.name = name;
  }

  address(): BoundAddress {
    return { ...this.bound };
  }

  async start(): Promise<void> {
    const t = this.target;
    if (t.kind === 'unix') await prepareUnixPath(this.name, t.path);
    await new Promise<void>((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException): void => {
        const code = err.code ?? 'EIO';
        reject(new StreamError(code, this.name, `cannot listen: ${errnoText(code, err.message)}`, { cause: err }));
      };
      this.server.once('error', onError);
      const onListening = (): void => {
        this.server.off('error', onError);
        resolve();
      };
      if (t.kind === 'unix') this.server.listen(t.path, onListening);
      else this.server.listen(t.port, t.host ?? ALL_ADDRESSES, onListening);
    });
    if (t.kind === 'unix') {
      this.unixBinding = ownUnixPath(t.path);
      this.bound = { path: t.path };
    } else {
      const a = this.server.address() as net.AddressInfo;
      this.bound = { host: a.address, port: a.port };
    }
    // After a successful listen, errors (e.g. EMFILE on accept) are reported, never fatal.
    this.server.on('error', (err) => this.acceptFailed(err));
    this.server.on('connection', (raw) => this.onConnection(raw));
    this.tlsServer?.on('secureConnection', (s) => this.onSecure(s));
    this.tlsServer?.on('tlsClientError', (err) => this.report(new StreamError(tlsErrorCode(err), this.name, `TLS handshake with a client failed: ${err.message.trim()}`, { cause: err })));
  }

  accept(): AsyncIterableIterator<Stream> {
    return this.queue.iterator();
  }

  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      this.server.close();
      for (const [raw, h] of this.handshaking) { clearTimeout(h.timer); raw.destroy(); }
      this.handshaking.clear();
      this.queue.end();
      // server.close() waits for every accepted connection to end, which we do not want; the
      // listening handle itself is released within two turns of the event loop (close phase).
      setImmediate(() =>
        setImmediate(() => {
          if (this.unixBinding) removeOwnUnixPath(this.unixBinding);
          resolve();
        }),
      );
    });
    return this.closing;
  }

  private onConnection(raw: net.Socket): void {
    if (this.closing) return void raw.destroy();
    // The kernel hands out the lowest free descriptor: one at the top of the limit means none is
    // left, and from now on libuv accepts and closes new connections without telling anyone.
    const limit = descriptorLimit();
    if (limit !== undefined && socketFd(raw) >= limit - 1) {
      this.acceptFailed(Object.assign(new Error(`descriptor limit of ${limit} reached, new connections are closed on arrival`), { code: 'EMFILE' }));
    }
    const startedAt = performance.now();
    if (!this.tlsServer) return this.deliver(this.makeStream(raw, startedAt));
    // A client that never starts (or never finishes) the handshake must not hold its descriptor.
    const timer = setTimeout(() => raw.destroy(), this.handshakeTimeoutMs);
    this.handshaking.set(raw, { startedAt, timer });
    raw.on('error', () => raw.destroy());
    raw.once('close', () => {
      clearTimeout(timer);
      this.handshaking.delete(raw);
    });
    // Documented way to hand a tls.Server a connection it did not accept itself.
    this.tlsServer.emit('connection', raw);
  }

  private onSecure(secure: tls.TLSSocket): void {
    const raw = [...this.handshaking.keys()].find((r) => sameConnection(r, secure));
    if (!raw) return void secure.destroy();
    const { startedAt, timer } = this.handshaking.get(raw)!;
    clearTimeout(timer);
    this.handshaking.delete(raw);
    const peer = formatHostPort(raw.remoteAddress ?? '?', raw.remotePort ?? 0);
    if (this.tlsOptions?.requestCert && this.tlsOptions.rejectUnauthorized !== false && !secure.authorized) {
      const hasCert = Object.keys(secure.getPeerCertificate() ?? {}).length > 0;
      const code = hasCert ? String(secure.authorizationError ?? 'ETLS') : 'ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE';
      secure.destroy();
      raw.destroy();
      return this.report(new StreamError(code, this.name, `client ${peer} rejected: ${hasCert ? 'certificate not trusted' : 'no client certificate'} (${code})`));
    }
    this.deliver(this.makeStream(raw, startedAt, secure));
  }

  private makeStream(raw: net.Socket, startedAt: number, secure?: tls.TLSSocket): Stream {
    const t = this.target;
    const unix = t.kind === 'unix';
    const peer = unix ? t.path : formatHostPort(raw.remoteAddress ?? '?', raw.remotePort ?? 0);
    const name = unix ? `unix:${t.path}` : `${t.kind}:${peer}`;
    return new SocketStream({ name, kind: t.kind, socket: raw, peer, startedAt, accepted: true, ...(secure ? { duplex: secure } : {}) });
  }

  private deliver(stream: Stream): void {
    const listened = this.listenerCount('stream') > 0;
    this.emit('stream', stream);
    this.queue.offer(stream, listened);
  }

  /**
   * The server keeps accepting after a failed accept (libuv retries on the next readiness), so a
   * descriptor shortage is a burst of identical errors: one 'acceptError' when a burst starts (after
   * ACCEPT_ERROR_QUIET_MS without one), never one per failed accept. `acceptErrors` counts them all.
   */
  private acceptFailed(err: NodeJS.ErrnoException): void {
    const code = err.code ?? 'EIO';
    if (!ACCEPT_EXHAUSTION.has(code)) return this.report(err);
    const now = performance.now();
    const quiet = now - this.lastAcceptError >= ACCEPT_ERROR_QUIET_MS;
    this.lastAcceptError = now;
    this.acceptErrors++;
    if (!quiet) return;
    const error = new StreamError(code, this.name, `cannot accept connections: ${code} (${err.message}); accepting resumes as descriptors free up`, { cause: err });
    this.emit('acceptError', { code, error });
  }

  /** A failure that does not stop the listener: emitted as 'error' only when someone listens. */
  private report(err: Error): void {
    if (this.listenerCount('error') > 0) this.emit('error', err);
  }
}

function sameConnection(a: net.Socket, b: net.Socket): boolean {
  return a.remoteAddress === b.remoteAddress && a.remotePort === b.remotePort && a.localAddress === b.localAddress && a.localPort === b.localPort;
}
