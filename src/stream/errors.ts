import { RconnError } from '../errors.js';

/** The target name forms accepted by {@link parseTarget}, quoted in every {@link TargetError}. */
export const ACCEPTED_TARGET_FORMS =
  'tcp:HOST[:PORT], ssl:HOST[:PORT], unix:PATH, ptcp:[PORT][:HOST], pssl:[PORT][:HOST], punix:PATH ' +
  '(default port 6653; IPv6 hosts in brackets, e.g. tcp:[::1]:6653 or ptcp:6653:[::1])';

/** A target name that does not parse, or one used in the wrong direction. */
export class TargetError extends RconnError {
  override name = 'TargetError';
  declare readonly code: 'EBADTARGET';
  /** The name as the caller gave it. */
  readonly input: string;
  constructor(input: string, reason: string) {
    super('EBADTARGET', `bad target ${JSON.stringify(input)}: ${reason}; accepted forms: ${ACCEPTED_TARGET_FORMS}`);
    this.input = input;
  }
}

/**
 * Opening, accepting or securing a stream failed. `code` is the errno-style cause ('ECONNREFUSED',
 * 'ENOENT', 'ETIMEDOUT', 'ABORTED', a TLS verification code such as 'CERT_HAS_EXPIRED', or 'ETLS'
 * for a peer that does not speak TLS); `cause` holds the original error when there is one.
 */
export class StreamError extends RconnError {
  override name = 'StreamError';
  /** The target name (or accepted peer) the failure belongs to. */
  readonly target: string;
  constructor(code: string, target: string, message: string, options?: { cause?: unknown }) {
    super(code, `${target}: ${message}`, options);
    this.target = target;
  }
}

/** What the common socket errnos mean, for messages that name the errno once. */
const ERRNO_TEXT: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by peer',
  ETIMEDOUT: 'timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed',
  ENOENT: 'no such socket file',
  EACCES: 'permission denied',
  EADDRINUSE: 'address already in use',
  EADDRNOTAVAIL: 'address not available',
  EPIPE: 'broken pipe',
};

/**
 * `refused (ECONNREFUSED)` for an errno we know; otherwise Node's own message, which already names
 * the code (`connect EPROTO 10.0.0.1:6653`). The target is not repeated: StreamError prefixes it.
 */
export function errnoText(code: string, nodeMessage: string): string {
  const known = ERRNO_TEXT[code];
  return known ? `${known} (${code})` : nodeMessage.includes(code) ? nodeMessage : `${nodeMessage} (${code})`;
}
