/**
 * openflow-rconn: reliable OpenFlow connections for Node.js.
 *
 * - {@link Rconn}: connect (or adopt an accepted connection), negotiate, probe (TCP keepalive where
 *   the transport can, OFPT_ECHO otherwise), reconnect with backoff.
 * - {@link listen}: accept switches on `ptcp:` / `pssl:` / `punix:`, one unreliable Rconn each.
 * - Lower layers for those who need them: `Vconn` / `Pvconn` (HELLO negotiation), `openStream` /
 *   `listenStream` (bytes and keepalive), the OpenFlow codec (also at `openflow-rconn/ofp`) and the
 *   sans-I/O `Reconnect` state machine.
 */
export * from './rconn/index.js';
export {
  Reconnect, type ReconnectState, type ReconnectAction, type ReconnectOptions, type ReconnectStats,
} from './reconnect/index.js';
export { Vconn, Pvconn, type VconnOptions, type PvconnOptions, type VconnLike, type VconnSink, type Connector } from './vconn/index.js';
export * from './stream/index.js';
export * from './ofp/index.js';
export {
  RconnError, VconnError, NotConnectedError, QueueFullError, ProbeUnsupportedError, TimeoutError, ConfigError,
  errorCode, type VconnErrorCode,
} from './errors.js';
export * from './emulator/index.js';
