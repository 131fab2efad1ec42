/**
 * Error classes with stable names and codes (ioredis style): match on `err.code`, never on the
 * message text. Every error this library raises or emits is one of these, a `StreamError` /
 * `TargetError` from the stream layer, or an `OfpError` from the codec.
 */

/** Base class: every library error has a stable `code`. */
export class RconnError extends Error {
  override name = 'RconnError';
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** Codes of {@link VconnError}. */
export type VconnErrorCode =
  /** No common OpenFlow version; we sent HELLO_FAILED/INCOMPATIBLE. */
  | 'EINCOMPATIBLE'
  /** The peer sent an OFPT_ERROR during the HELLO exchange (usually HELLO_FAILED with a text). */
  | 'EHELLOFAILED'
  /** The peer broke the protocol: a first message that is not HELLO, a malformed HELLO, a bad length. */
  | 'EPROTO'
  /** The peer closed the connection (between messages). */
  | 'EOF'
  /** The peer closed the connection in the middle of a message. */
  | 'ETRUNCATED'
  /** The HELLO exchange did not finish before its deadline. */
  | 'ETIMEDOUT'
  /** The attempt was cancelled by its AbortSignal or by close(). */
  | 'ABORTED'
  /** The peer provoked error replies faster than the documented rate (100/s, burst 200). */
  | 'EFLOOD'
  /**
   * Handling the peer's bytes threw unexpectedly (a bug, or input nobody foresaw): the connection
   * was dropped instead of the exception reaching the event loop.
   */
  | 'EINTERNAL';

/** A failure of the OpenFlow connection itself (negotiation, framing, peer behaviour). */
export class VconnError extends RconnError {
  override name = 'VconnError';
  declare readonly code: VconnErrorCode;
  constructor(code: VconnErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** `send()` while the rconn is not connected (ENOTCONN in Open vSwitch). */
export class NotConnectedError extends RconnError {
  override name = 'NotConnectedError';
  constructor(message = 'not connected') {
    super('ENOTCONN', message);
  }
}

/** `sendWithLimit()` over its limit, or `send()` over `txqLimit` (EAGAIN in Open vSwitch). */
export class QueueFullError extends RconnError {
  override name = 'QueueFullError';
  constructor(message: string) {
    super('EAGAIN', message);
  }
}

/** `probe: 'transport'` on a stream that cannot probe (a unix socket, non-Linux, no koffi). */
export class ProbeUnsupportedError extends RconnError {
  override name = 'ProbeUnsupportedError';
  constructor(message: string) {
    super('EOPNOTSUPP', message);
  }
}

/** The connection went silent: no echo reply (echo probing) or the HELLO deadline passed. */
export class TimeoutError extends RconnError {
  override name = 'TimeoutError';
  constructor(message: string) {
    super('ETIMEDOUT', message);
  }
}

/**
 * Invalid option values or a call that makes no sense in the current state. Thrown synchronously
 * by the call that was given the bad value; `option` names it when there is one.
 */
export class ConfigError extends RconnError {
  override name = 'ConfigError';
  /** The option (or argument) at fault, e.g. 'txqLimit' or 'versions'; undefined for a bad call order. */
  readonly option: string | undefined;
  /** The value that was given. */
  readonly value: unknown;
  constructor(message: string, details?: { option: string; value: unknown }) {
    super('EINVAL', message);
    this.option = details?.option;
    this.value = details?.value;
  }
}

/** The errno-style code of any error, for logs, stats and the reconnect state machine. */
export function errorCode(err: unknown): string {
  if (err && typeof err === 'object' && 'code' in err && typeof (err as { code: unknown }).code === 'string') {
    return (err as { code: string }).code;
  }
  return 'EIO';
}
