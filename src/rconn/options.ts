import type { TlsOptions } from '../stream/types.js';
import type { Connector } from '../vconn/types.js';
import { ALL_VERSIONS } from '../ofp/index.js';
import {
  booleanOption, functionOption, invalidOption, numberOption, objectOption, oneOfOption, stringOption, tlsOption,
  versionsOption,
} from '../validate.js';
import type { Clock } from './clock.js';

/** How a connection's liveness is checked. */
export type ProbeMode = 'auto' | 'transport' | 'echo';

/** Minimal logger: console, pino and winston all fit. */
export interface Logger {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

/** Every option of an {@link Rconn}. Durations are in seconds unless the name says otherwise. */
export interface RconnOptions {
  /** A name for logs and status; defaults to the target. */
  name?: string;
  /**
   * Seconds of silence before the connection is checked. 0 disables probing. Values in (0, 5) are
   * raised to 5: a shorter interval turns a busy peer into a dead one (Open vSwitch clamps alike).
   * @default 5
   */
  probeInterval?: number;
  /**
   * `'auto'`: TCP keepalive where the stream supports it (Linux TCP/TLS), else OFPT_ECHO_REQUEST.
   * `'transport'`: TCP keepalive or nothing: a connect whose stream cannot probe fails with
   * ProbeUnsupportedError (EOPNOTSUPP). `'echo'`: always OFPT_ECHO_REQUEST.
   * @default 'auto'
   */
  probe?: ProbeMode;
  /**
   * While transport probing, also send an end-to-end echo after this many seconds of silence and
   * disconnect if nothing arrives for as long again (finds a hung peer whose kernel still answers
   * keepalives). 0 disables. Values in (0, 5) are raised to 5.
   * @default 0
   */
  echoInterval?: number;
  /**
   * While transport probing, whether the rconn watches the kernel's keepalive probes on its own
   * schedule. `false`: it looks only when asked (`state`, `status()`), so a quiet healthy
   * connection costs no timer and no CPU; the kernel probes and ends a dead connection (ETIMEDOUT,
   * 2 x probeInterval) whether anyone looks or not. `true`: it also looks 1 s after the kernel's
   * first probe of a quiet period and then at every other probe, so the 'state' and 'probe'
   * events report IDLE without being asked, at 1 / (2 x probeInterval) wakeups a second per
   * connection (docs/DESIGN.md, "Transport probing").
   * @default false
   */
  watchIdle?: boolean;
  /** Longest wait between reconnect attempts; the wait starts at 1 s and doubles. @default 8 */
  maxBackoff?: number;
  /**
   * Random shortening of each backoff wait, as a fraction: the wait is backoff x (1 - jitter x r),
   * r uniform in [0, 1), so `maxBackoff` stays an upper bound while reconnect storms spread out.
   * @default 0.25
   */
  backoffJitter?: number;
  /** Randomness for the jitter, in [0, 1). @default Math.random */
  random?: () => number;
  /**
   * Seconds the connect plus HELLO exchange may take. Unset: max(1 s, current backoff), as Open
   * vSwitch does.
   * @default undefined
   */
  helloTimeout?: number;
  /** Connection attempts before giving up (state DISCONNECTED). @default Infinity */
  maxTries?: number;
  /** OpenFlow versions to offer, as numbers (1 = 1.0 ... 6 = 1.5). @default [1, 2, 3, 4, 5, 6] */
  versions?: readonly number[];
  /**
   * Treat "no common OpenFlow version" (EINCOMPATIBLE, either side's HELLO_FAILED) as permanent:
   * stop with an 'error' event instead of retrying. Open vSwitch keeps retrying (the peer may be
   * upgraded), hence the default.
   * @default false
   */
  stopOnIncompatible?: boolean;
  /** Messages that may wait in the send queue behind a slow socket; `send()` beyond it throws QueueFullError. @default 1000 */
  txqLimit?: number;
  /**
   * Bytes that may wait to be sent on one connection: our send queue plus what the socket has not
   * yet handed to the kernel. Automatic echo replies and the connection's own error replies count
   * against it. At the budget reading from the peer pauses (a peer that sends but never reads
   * cannot grow our memory), and `send()` throws QueueFullError (EAGAIN) for a message that would
   * exceed it. At least 65536 (one largest message). @default 1048576 (1 MiB)
   */
  sendBudget?: number;
  /** Answer the peer's ECHO_REQUEST automatically. @default true */
  autoEchoReply?: boolean;
  /** Received messages buffered for {@link Rconn.messages} before the socket is paused. @default 1024 */
  messageHighWater?: number;
  /** TLS settings for `ssl:` targets. */
  tls?: TlsOptions;
  /** @default a silent logger */
  logger?: Logger;
  /** Time source and timers, for deterministic tests. @default the system clock */
  clock?: Clock;
  /** How to open a connection; replace it to run over something other than sockets. @default Vconn.open */
  connector?: Connector;
}

/** Options after defaults and clamping; what the rconn actually runs with. */
export interface ResolvedOptions {
  name: string | undefined;
  probeInterval: number;
  probe: ProbeMode;
  echoInterval: number;
  watchIdle: boolean;
  maxBackoff: number;
  backoffJitter: number;
  random: () => number;
  helloTimeout: number | undefined;
  maxTries: number;
  versions: readonly number[];
  stopOnIncompatible: boolean;
  txqLimit: number;
  sendBudget: number;
  autoEchoReply: boolean;
  messageHighWater: number;
  tls: TlsOptions | undefined;
  logger: Logger;
  clock: Clock | undefined;
  connector: Connector | undefined;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** The documented defaults, in one place. */
export const DEFAULTS = Object.freeze({
  probeInterval: 5,
  probe: 'auto' as ProbeMode,
  echoInterval: 0,
  watchIdle: false,
  maxBackoff: 8,
  backoffJitter: 0.25,
  maxTries: Infinity,
  versions: ALL_VERSIONS,
  txqLimit: 1000,
  sendBudget: 1024 * 1024,
  autoEchoReply: true,
  messageHighWater: 1024,
});

/** The smallest send budget: room for one largest OpenFlow message (65,535 bytes), rounded to 64 KiB. */
const MIN_SEND_BUDGET = 65536;

/** The probe floor, as in Open vSwitch: probing faster drops busy peers (docs/DESIGN.md, "Transport probing"). */
export const MIN_PROBE_INTERVAL = 5;

/** 0 stays 0 (off), anything in (0, 5) becomes 5 (the caller has checked it is a finite number >= 0). */
export function clampProbeInterval(seconds: number): number {
  return seconds === 0 ? 0 : Math.max(MIN_PROBE_INTERVAL, seconds);
}

const OWNER = 'Rconn';
const PROBE_MODES: readonly ProbeMode[] = ['auto', 'transport', 'echo'];

/** A probe or echo interval: seconds, finite, >= 0 (then clamped). */
export function checkInterval(owner: string, option: string, value: unknown, fallback: number): number {
  return clampProbeInterval(numberOption(owner, option, value, fallback, { min: 0 }));
}

/** Checks every option (ConfigError naming the first bad one) and fills in the defaults. */
export function resolveOptions(o: RconnOptions = {}, owner = OWNER): ResolvedOptions {
  if (o === null || typeof o !== 'object') invalidOption(owner, 'options', o, 'an object');
  const helloTimeout = o.helloTimeout === undefined ? undefined : numberOption(owner, 'helloTimeout', o.helloTimeout, 0, { min: 0.001 });
  return {
    name: stringOption(owner, 'name', o.name),
    probeInterval: checkInterval(owner, 'probeInterval', o.probeInterval, DEFAULTS.probeInterval),
    probe: oneOfOption(owner, 'probe', o.probe, PROBE_MODES, DEFAULTS.probe),
    echoInterval: checkInterval(owner, 'echoInterval', o.echoInterval, DEFAULTS.echoInterval),
    watchIdle: booleanOption(owner, 'watchIdle', o.watchIdle, DEFAULTS.watchIdle),
    maxBackoff: numberOption(owner, 'maxBackoff', o.maxBackoff, DEFAULTS.maxBackoff, { min: 1 }),
    backoffJitter: numberOption(owner, 'backoffJitter', o.backoffJitter, DEFAULTS.backoffJitter, { min: 0, max: 1 }),
    random: functionOption<() => number>(owner, 'random', o.random) ?? Math.random,
    helloTimeout,
    maxTries: numberOption(owner, 'maxTries', o.maxTries, DEFAULTS.maxTries, { min: 0, integer: true, infinite: true }),
    versions: versionsOption(owner, o.versions),
    stopOnIncompatible: booleanOption(owner, 'stopOnIncompatible', o.stopOnIncompatible, false),
    txqLimit: numberOption(owner, 'txqLimit', o.txqLimit, DEFAULTS.txqLimit, { min: 1, integer: true }),
    sendBudget: numberOption(owner, 'sendBudget', o.sendBudget, DEFAULTS.sendBudget, { min: MIN_SEND_BUDGET, integer: true }),
    autoEchoReply: booleanOption(owner, 'autoEchoReply', o.autoEchoReply, DEFAULTS.autoEchoReply),
    messageHighWater: numberOption(owner, 'messageHighWater', o.messageHighWater, DEFAULTS.messageHighWater, { min: 1, integer: true }),
    tls: (tlsOption(owner, o.tls), o.tls),
    logger: objectOption<Logger>(owner, 'logger', o.logger, ['debug', 'info', 'warn', 'error']) ?? silentLogger,
    clock: objectOption<Clock>(owner, 'clock', o.clock, ['now', 'setTimer', 'clearTimer', 'defer', 'cancelDefer']),
    connector: functionOption<Connector>(owner, 'connector', o.connector),
  };
}
