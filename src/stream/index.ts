/** Byte streams (tcp, ssl, unix; active and passive) and the Linux keepalive capability (docs/DESIGN.md, "Transport probing"). */
export type { AcceptErrorInfo, BoundAddress, KeepaliveResult, PassiveStream, Stream, StreamKind, TlsOptions } from './types.js';
export { ACCEPTED_TARGET_FORMS, StreamError, TargetError } from './errors.js';
export {
  DEFAULT_OPENFLOW_PORT,
  formatHostPort,
  formatTarget,
  isPassiveTarget,
  parseTarget,
  type ActiveInetTarget,
  type ActiveTarget,
  type ActiveUnixTarget,
  type PassiveInetTarget,
  type PassiveTarget,
  type PassiveUnixTarget,
  type Target,
} from './target.js';
export { openStream, type OpenStreamOptions } from './active.js';
export { ACCEPT_ERROR_QUIET_MS, listenStream, type ListenStreamOptions } from './passive.js';
export {
  getKeepaliveOptions,
  isSocketIdle,
  readTcpInfo,
  setSocketKeepalive,
  type KeepaliveOptions,
  type TcpInfo,
} from './keepalive.js';
export { _setSockoptLoaderForTests, sockoptUnavailableReason, type SockoptBinding, type SockoptLoader } from './linux-sockopt.js';
