import type { TlsOptions } from '../stream/types.js';
import type { Connector } from '../vconn/types.js';
import { ConfigError } from '../errors.js';
import { ALL_VERSIONS } from '../ofp/index.js';
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
  /** Messages that may wait in the send queue behind a slow socket; `send()` beyond it throws QueueFullError. @default 1000 */
  txqLimit?: number;
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
  maxBackoff: number;
  backoffJitter: number;
  random: () => number;
  helloTimeout: number | undefined;
  maxTries: number;
  versions: readonly number[];
  txqLimit: number;
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
  maxBackoff: 8,
  backoffJitter: 0.25,
  maxTries: Infinity,
  versions: ALL_VERSIONS,
  txqLimit: 1000,
  autoEchoReply: true,
  messageHighWater: 1024,
});

/** The probe floor, as in Open vSwitch: probing faster drops busy peers (docs/DESIGN.md, "Transport probing"). */
export const MIN_PROBE_INTERVAL = 5;

/** 0 stays 0 (off), anything in (0, 5) becomes 5. */
export function clampProbeInterval(seconds: number): number {
  return seconds === 0 ? 0 : Math.max(MIN_PROBE_INTERVAL, seconds);
}

function nonNegative(name: string, v: number | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || Number.isNaN(v) || v < 0) throw new ConfigError(`${name} must be a number >= 0 (got ${String(v)})`);
  return v;
}

export function resolveOptions(o: RconnOptions = {}): ResolvedOptions {
  const probe = o.probe ?? DEFAULTS.probe;
  if (!['auto', 'transport', 'echo'].includes(probe)) throw new ConfigError(`probe must be 'auto', 'transport' or 'echo' (got ${String(probe)})`);
  const jitter = nonNegative('backoffJitter', o.backoffJitter, DEFAULTS.backoffJitter);
  if (jitter > 1) throw new ConfigError(`backoffJitter must be within [0, 1] (got ${jitter})`);
  const maxBackoff = nonNegative('maxBackoff', o.maxBackoff, DEFAULTS.maxBackoff);
  if (maxBackoff < 1) throw new ConfigError(`maxBackoff must be at least 1 second (got ${maxBackoff})`);
  const txqLimit = nonNegative('txqLimit', o.txqLimit, DEFAULTS.txqLimit);
  if (txqLimit < 1) throw new ConfigError(`txqLimit must be at least 1 message (got ${txqLimit})`);
  const helloTimeout = o.helloTimeout === undefined ? undefined : nonNegative('helloTimeout', o.helloTimeout, 0);
  return {
    name: o.name,
    probeInterval: clampProbeInterval(nonNegative('probeInterval', o.probeInterval, DEFAULTS.probeInterval)),
    probe,
    echoInterval: clampProbeInterval(nonNegative('echoInterval', o.echoInterval, DEFAULTS.echoInterval)),
    maxBackoff,
    backoffJitter: jitter,
    random: o.random ?? Math.random,
    helloTimeout,
    maxTries: nonNegative('maxTries', o.maxTries, DEFAULTS.maxTries),
    versions: o.versions ?? DEFAULTS.versions,
    txqLimit,
    autoEchoReply: o.autoEchoReply ?? DEFAULTS.autoEchoReply,
    messageHighWater: Math.max(1, nonNegative('messageHighWater', o.messageHighWater, DEFAULTS.messageHighWater)),
    tls: o.tls,
    logger: o.logger ?? silentLogger,
    clock: o.clock,
    connector: o.connector,
  };
}
