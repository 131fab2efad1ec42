/**
 * The reliable connection: an `Rconn` drives the sans-I/O `Reconnect` machine with one timer over
 * a `Vconn`, probes (TCP keepalive where the transport can, OFPT_ECHO otherwise) and reconnects;
 * `listen()` accepts switches, one unreliable `Rconn` each.
 */
export { Rconn } from './rconn.js';
export { MAX_MONITORS, type Monitor } from './monitors.js';
export { TxCounter } from './tx-counter.js';
export { PERMANENT_CODES, INCOMPATIBLE_CODES, isPermanent } from './permanent.js';
export {
  requestRole, RoleRequestError, type RoleReply, type RoleRequestOptions, type RoleRequestErrorCode,
} from './role.js';
export { ReplacedError, type DatapathConnections, type DatapathEvents } from './datapaths.js';
export { listen, RconnListener, type ListenOptions } from './listen.js';
export {
  DEFAULTS, MIN_PROBE_INTERVAL, clampProbeInterval, type RconnOptions, type ProbeMode, type Logger,
} from './options.js';
export type { RconnStatus, ProbeInForce } from './status.js';
export type {
  RconnEventMap, RconnEvent, ProbeEvent, ConnectedInfo, DisconnectedInfo, ConnectFailedInfo,
} from './events.js';
export type { RttStats } from './rtt.js';
export { systemClock, type Clock } from './clock.js';
export {
  featuresHandshake, HandshakeError, DEFAULT_HANDSHAKE_TIMEOUT, DEFAULT_MISS_SEND_LEN,
  type SwitchFeatures, type HandshakeOptions, type HandshakeErrorCode,
} from './handshake.js';
