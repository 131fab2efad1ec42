import type { OfpMessage } from '../ofp/index.js';
import type { ReconnectState } from '../reconnect/index.js';

/** What the probing machinery did. */
export type ProbeEvent =
  | { kind: 'echo'; phase: 'sent'; xid: number }
  | { kind: 'echo'; phase: 'reply'; xid: number; rttMs: number }
  | { kind: 'transport'; phase: 'idle' }
  | { kind: 'transport'; phase: 'recovered' };

export interface ConnectedInfo {
  /** Negotiated OpenFlow version as on the wire (1 = 1.0 ... 6 = 1.5). */
  version: number;
  /** The same version as people write it: '1.3'. */
  versionName: string;
  seqno: number;
  /** The probe mechanism chosen for this connection. */
  probe: 'transport' | 'echo' | 'off';
}

export interface DisconnectedInfo {
  /** Why; null when we closed the connection ourselves. `err.code` is stable (EOF, ETIMEDOUT, ...). */
  error: Error | null;
  /** Messages that were still in the send queue and are lost. */
  dropped: number;
  /**
   * Bytes already handed to the socket that the peer's TCP never acknowledged when the connection
   * ended: possibly lost (TCP cannot say which of them arrived). null when unknown: not Linux, no
   * koffi, a unix socket, or the kernel had already closed the socket (a reset, or its own timeout).
   */
  unackedBytes: number | null;
  seqno: number;
}

export interface ConnectFailedInfo {
  error: Error;
  /** Milliseconds until the next attempt, or null when no attempt follows. */
  retryIn: number | null;
  attempts: number;
}

/** Typed events of an Rconn (`rconn.on(...)`). */
export interface RconnEventMap {
  state: [state: ReconnectState, previous: ReconnectState];
  connected: [info: ConnectedInfo];
  disconnected: [info: DisconnectedInfo];
  connectFailed: [info: ConnectFailedInfo];
  message: [msg: OfpMessage, raw: Buffer];
  probe: [event: ProbeEvent];
  /**
   * A permanent error stopped the rconn (state DISCONNECTED, no further attempt): bad TLS files,
   * transport probing demanded but unavailable, no common version with `stopOnIncompatible`.
   * Emitted once, and only when a listener is attached (an unhandled 'error' must not crash the
   * process); the error is also in `status().lastError` and in the `connectFailed` /
   * `disconnected` event before it.
   */
  error: [error: Error];
  /** After close(): nothing of the rconn is left running. */
  close: [];
}

/** The same events as one discriminated union (for a log or an event bus of the application's own). */
export type RconnEvent =
  | { type: 'state'; state: ReconnectState; previous: ReconnectState }
  | ({ type: 'connected' } & ConnectedInfo)
  | ({ type: 'disconnected' } & DisconnectedInfo)
  | ({ type: 'connectFailed' } & ConnectFailedInfo)
  | { type: 'probe'; probe: ProbeEvent }
  | { type: 'error'; error: Error };
