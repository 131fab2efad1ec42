/** Public types of the sans-I/O reconnect machine (see reconnect.ts). */

export type ReconnectState =
  | 'VOID'
  | 'BACKOFF'
  | 'CONNECTING'
  | 'ACTIVE'
  | 'IDLE'
  | 'RECONNECT'
  | 'LISTENING'
  | 'DISCONNECTED';

export type ReconnectAction = 'connect' | 'disconnect' | 'probe' | 'checkIdle' | null;

export interface ReconnectOptions {
  /** Used by owners for log messages; the machine itself does not log. Default 'void' as in OVS. */
  name?: string;
  /** ms, default 1000 (forced to >= 1000 as in OVS). */
  minBackoff?: number;
  /** ms, default 8000. */
  maxBackoff?: number;
  /** ms, default 5000; 0 disables keepalive probing; nonzero values are forced to >= 1000. */
  probeInterval?: number;
  /** Connection attempts allowed (each enable/retry consumes one). Default Infinity. */
  maxTries?: number;
  /** Listen for connections instead of connecting. Default false. */
  passive?: boolean;
  /** Attempts made without backoff before backoff starts (0 and 1 both mean one). Default 0. */
  backoffFreeTries?: number;
  /** 0..1, default 0: the BACKOFF wait is backoff * (1 - jitter * random()). */
  jitter?: number;
  /** Source of randomness for jitter, returning [0, 1). Default Math.random. */
  random?: () => number;
  /** ms, default 0 = off: end-to-end echo alongside transport probing (see setEchoInterval). */
  echoInterval?: number;
  /** ms a connection attempt may take; default (unset) max(1000, current backoff) as in OVS. */
  connectTimeout?: number;
}

export interface ReconnectStats {
  state: ReconnectState;
  /** ms spent in the current state. */
  stateElapsed: number;
  /** Current (un-jittered) backoff, ms. */
  backoff: number;
  creationTime: number;
  /** Last activity() (initially the creation time, as in OVS). */
  lastActivity: number;
  lastConnected: number | null;
  lastDisconnected: number | null;
  /** Last receiveAttempted(); Infinity when the guard is disabled. */
  lastReceiveAttempt: number;
  nAttemptedConnections: number;
  nSuccessfulConnections: number;
  /** Incremented on every change between connected and not connected. */
  seqno: number;
  isConnected: boolean;
  /** ms since the last successful connection (even if since dropped); null if never connected. */
  msecSinceConnect: number | null;
  /** ms since the last drop of a connection; null if never disconnected. */
  msecSinceDisconnect: number | null;
  /** ms connected over the machine's whole life, including the current connection. */
  totalConnectedDuration: number;
}
