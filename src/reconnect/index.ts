/** The sans-I/O reconnect state machine: no timers, no sockets; the caller feeds it time and events. */
export {
  Reconnect, type ReconnectAction, type ReconnectOptions, type ReconnectState, type ReconnectStats,
} from './reconnect.js';
export { nextBackoff } from './backoff.js';
