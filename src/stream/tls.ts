/** TLS option handling and error classification shared by `ssl:` and `pssl:`. */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import * as tls from 'node:tls';
import type { TlsOptions } from './types.js';

/** PEM text stays as is; any other string is a file path to read. */
function pem(value: string | Buffer): string | Buffer {
  if (Buffer.isBuffer(value) || value.includes('-----BEGIN')) return value;
  return readFileSync(value);
}

function pemList(value: TlsOptions['ca']): string | Buffer | Array<string | Buffer> | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.map(pem) : pem(value);
}

/** Options for `tls.connect({ socket, ... })` to `host`. Verification stays on unless turned off. */
export function clientTlsOptions(host: string, opts: TlsOptions = {}): tls.ConnectionOptions {
  const options: tls.ConnectionOptions = {
    host,
    rejectUnauthorized: opts.rejectUnauthorized ?? true,
  };
  // SNI must not carry an IP literal (RFC 6066); Node then checks the IP against the IP SANs of `host`.
  if (opts.servername !== undefined) options.servername = opts.servername;
  else if (isIP(host) === 0) options.servername = host;
  const ca = pemList(opts.ca);
  if (ca !== undefined) options.ca = ca;
  if (opts.cert !== undefined) options.cert = pem(opts.cert);
  if (opts.key !== undefined) options.key = pem(opts.key);
  return options;
}

/** Options for the TLS server of a `pssl:` listener; cert and key are required. */
export function serverTlsOptions(opts: TlsOptions | undefined): tls.TlsOptions {
  if (!opts?.cert || !opts.key) throw new Error('pssl: needs tls.cert and tls.key');
  const options: tls.TlsOptions = {
    cert: pem(opts.cert),
    key: pem(opts.key),
    requestCert: opts.requestCert ?? false,
    // Verification of the client certificate is done by us after the handshake (see passive.ts),
    // so that a rejected client is reported with its cause rather than dropped silently.
    rejectUnauthorized: false,
  };
  const ca = pemList(opts.ca);
  if (ca !== undefined) options.ca = ca;
  return options;
}

/**
 * The errno-style code of a TLS failure: certificate verification codes as OpenSSL/Node name them
 * (CERT_HAS_EXPIRED, ERR_TLS_CERT_ALTNAME_INVALID, ...), 'ETLS' for a protocol failure (a peer
 * that does not speak TLS), the socket's own code otherwise (ECONNRESET, ...).
 */
export function tlsErrorCode(err: unknown): string {
  const code = (err as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'string') return 'ETLS';
  if (code.startsWith('ERR_SSL_')) return 'ETLS';
  return code;
}
