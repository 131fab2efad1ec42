import { errorCode } from '../errors.js';

/**
 * Failures that no retry can cure: they come from this side's configuration, not from the peer or
 * the network. An rconn that meets one stops (state DISCONNECTED, one 'error' event) instead of
 * retrying it with backoff forever, the way mqtt.js stops on an authorization refusal.
 *
 * - EBADTARGET: the target does not parse (connect() throws it at once; a custom connector may
 *   still report it).
 * - ETLSCONFIG: the TLS material cannot be used (a file that does not exist, a PEM that does not
 *   parse, a key that does not match).
 * - EOPNOTSUPP: `probe: 'transport'` on a stream that cannot probe (a unix socket, no koffi, not
 *   Linux): the next connection could not probe either.
 * - EINCOMPATIBLE, EHELLOFAILED: only with `stopOnIncompatible`, since the peer may be upgraded.
 *
 * Everything else (refused, reset, timed out, EOF, a peer's certificate that does not verify, a
 * protocol violation) is transient: the peer or the path may recover.
 */
export const PERMANENT_CODES: ReadonlySet<string> = new Set(['EBADTARGET', 'ETLSCONFIG', 'EOPNOTSUPP']);
export const INCOMPATIBLE_CODES: ReadonlySet<string> = new Set(['EINCOMPATIBLE', 'EHELLOFAILED']);

export function isPermanent(err: unknown, stopOnIncompatible: boolean): boolean {
  const code = errorCode(err);
  return PERMANENT_CODES.has(code) || (stopOnIncompatible && INCOMPATIBLE_CODES.has(code));
}
