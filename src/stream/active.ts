/** `tcp:`, `ssl:` and `unix:` — connecting a stream. */
import * as net from 'node:net';
import * as tls from 'node:tls';
import { StreamError, TargetError, errnoText } from './errors.js';
import { SocketStream } from './socket-stream.js';
import { formatHostPort, formatTarget, parseTarget, type ActiveTarget, type Target } from './target.js';
import { clientTlsOptions, tlsErrorCode } from './tls.js';
import type { Stream, TlsOptions } from './types.js';
import { numberOption, signalOption, tlsOption } from '../validate.js';

export interface OpenStreamOptions {
  /** CA, client certificate and policy for `ssl:` targets. */
  tls?: TlsOptions;
  /** Aborting destroys the socket and rejects with code 'ABORTED'. */
  signal?: AbortSignal;
  /** Gives up (code 'ETIMEDOUT') when connect plus TLS handshake take longer. @default no limit */
  connectTimeoutMs?: number;
}

/**
 * Connects to an active target. For `ssl:` the TCP connection is our own `net.Socket` and TLS is
 * layered over it, so keepalive options can be set on the raw fd. The target and the options are
 * checked at the call (TargetError, ConfigError thrown); TLS files are read before connecting
 * (StreamError ETLSCONFIG). Otherwise rejects with a {@link StreamError}; on every failure path the
 * socket is destroyed.
 */
export function openStream(target: string | Target, opts: OpenStreamOptions = {}): Promise<Stream> {
  const t = typeof target === 'string' ? parseTarget(target) : target;
  const name = formatTarget(t);
  if (!t.active) throw new TargetError(name, 'openStream needs an active target (tcp:, ssl:, unix:); listen with listenStream');
  tlsOption('openStream', opts.tls);
  signalOption('openStream', opts.signal);
  numberOption('openStream', 'connectTimeoutMs', opts.connectTimeoutMs, 0, { min: 0 });
  let tlsOptions: tls.ConnectionOptions | undefined;
  if (t.kind === 'ssl') {
    try {
      tlsOptions = clientTlsOptions(t.host, opts.tls);
    } catch (err) {
      // An unreadable file: no connection attempt can succeed, so none is made.
      return Promise.reject(new StreamError('ETLSCONFIG', name, `bad TLS options: ${err instanceof Error ? err.message : String(err)}`, { cause: err }));
    }
  }
  return connect(t, name, opts, tlsOptions);
}

function connect(t: ActiveTarget, name: string, opts: OpenStreamOptions, tlsOptions: tls.ConnectionOptions | undefined): Promise<Stream> {
  const { signal, connectTimeoutMs } = opts;
  return new Promise<Stream>((resolve, reject) => {
    const socket = new net.Socket();
    const startedAt = performance.now();
    let secure: tls.TLSSocket | undefined;
    let timer: NodeJS.Timeout | undefined;
    let settled = false;

    const teardown = (): void => {
      settled = true;
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.off('error', onSocketError).off('connect', onConnect);
      secure?.off('error', onTlsError).off('secureConnect', onSecure).off('close', onTlsClose);
    };
    const fail = (code: string, message: string, cause?: unknown): void => {
      if (settled) return;
      teardown();
      // An error already queued on either socket must not surface as unhandled after we gave up.
      secure?.on('error', ignore).destroy();
      socket.on('error', ignore).destroy();
      reject(new StreamError(code, name, message, cause === undefined ? undefined : { cause }));
    };
    const succeed = (stream: Stream): void => {
      if (settled) return;
      teardown();
      resolve(stream);
    };

    function onAbort(): void {
      fail('ABORTED', 'connection attempt aborted', signal?.reason);
    }
    function onSocketError(err: Error): void {
      const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
      fail(code, `cannot connect: ${errnoText(code, err.message)}`, err);
    }
    function onTlsError(err: Error): void {
      const code = tlsErrorCode(err);
      fail(code, `TLS handshake failed: ${code}${code === err.message ? '' : ` (${err.message.trim()})`}`, err);
    }
    function onTlsClose(): void {
      fail('ECONNRESET', 'peer closed the connection during the TLS handshake');
    }
    function onSecure(): void {
      succeed(makeStream(t, name, startedAt, socket, secure));
    }
    function onConnect(): void {
      if (t.kind !== 'ssl') return succeed(makeStream(t, name, startedAt, socket));
      try {
        secure = tls.connect({ ...tlsOptions, socket });
      } catch (err) {
        // Bad TLS material (unreadable file, malformed PEM) surfaces synchronously.
        return fail('ETLSCONFIG', `bad TLS options: ${err instanceof Error ? err.message : String(err)}`, err);
      }
      secure.once('error', onTlsError).once('secureConnect', onSecure).once('close', onTlsClose);
    }

    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    if (connectTimeoutMs !== undefined) {
      timer = setTimeout(() => fail('ETIMEDOUT', `not connected within ${connectTimeoutMs} ms`), connectTimeoutMs);
    }
    socket.once('error', onSocketError).once('connect', onConnect);
    if (t.kind === 'unix') socket.connect({ path: t.path });
    else socket.connect({ host: t.host, port: t.port });
  });
}

function ignore(): void {}

function makeStream(t: ActiveTarget, name: string, startedAt: number, socket: net.Socket, secure?: tls.TLSSocket): Stream {
  if (secure) {
    // Errors surface on the TLS socket; one on the raw socket must not go unhandled.
    socket.on('error', (err) => {
      if (!secure.destroyed) secure.destroy(err);
    });
  }
  const peer =
    t.kind === 'unix'
      ? t.path
      : formatHostPort(socket.remoteAddress ?? t.host, socket.remotePort ?? t.port);
  return new SocketStream({ name, kind: t.kind, socket, peer, startedAt, ...(secure ? { duplex: secure } : {}) });
}
