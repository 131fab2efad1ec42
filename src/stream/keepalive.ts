/**
 * The Linux keepalive capability (Open vSwitch's 2011 set_tcp_keepalive / is_tcp_idle), plus
 * TCP_USER_TIMEOUT, applied to a connected socket's fd (docs/DESIGN.md, "Transport probing").
 */
import type * as net from 'node:net';
import type { KeepaliveResult } from './types.js';
import {
  getSockopt,
  IPPROTO_TCP,
  SO_KEEPALIVE,
  SOL_SOCKET,
  TCP_INFO,
  TCP_KEEPCNT,
  TCP_KEEPIDLE,
  TCP_KEEPINTVL,
  TCP_USER_TIMEOUT,
} from './linux-sockopt.js';

/** The kernel's limits: TCP_KEEPIDLE is at most MAX_TCP_KEEPIDLE, TCP_KEEPCNT at most MAX_TCP_KEEPCNT. */
const MAX_KEEPIDLE = 32767;
const MAX_KEEPCNT = 127;

/** The five options as the kernel reports them (seconds, except TCP_USER_TIMEOUT in ms). */
export interface KeepaliveOptions {
  SO_KEEPALIVE: number;
  TCP_KEEPIDLE: number;
  TCP_KEEPINTVL: number;
  TCP_KEEPCNT: number;
  TCP_USER_TIMEOUT: number;
}

/** A few decoded fields of Linux `struct tcp_info` (times in ms). */
export interface TcpInfo {
  state: number;
  stateName: string;
  retransmits: number;
  /** Unanswered keepalive (or zero-window) probes: > 0 means the peer has gone quiet. */
  probes: number;
  backoff: number;
  rtoMs: number;
  unacked: number;
  lastDataRecvMs: number;
  lastAckRecvMs: number;
  rttMs: number;
}

const TCP_STATES = ['?', 'ESTABLISHED', 'SYN_SENT', 'SYN_RECV', 'FIN_WAIT1', 'FIN_WAIT2', 'TIME_WAIT', 'CLOSE', 'CLOSE_WAIT', 'LAST_ACK', 'LISTEN', 'CLOSING'];

/**
 * Our setting on one socket (maxIdle 0: off, not ours), re-applied after anyone calls Node's
 * setKeepAlive(), and the fd it was applied to. One record per socket, updated in place, so a
 * stream can keep it and its looks skip the WeakMap and the fd lookup (keepaliveCheckOf).
 */
export interface AppliedKeepalive {
  maxIdle: number;
  readonly fd: number;
}
const applied = new WeakMap<object, AppliedKeepalive>();
const guarded = new WeakSet<object>();

/**
 * Sets keepalive so a silent peer is dropped after about 2 x maxIdle seconds: SO_KEEPALIVE on,
 * TCP_KEEPIDLE = min(maxIdle, 32767), TCP_KEEPINTVL = 1, TCP_KEEPCNT = min(maxIdle, 127),
 * TCP_USER_TIMEOUT = 2 x maxIdle s. maxIdle 0 turns it off. Fractions round up to whole seconds.
 * `also` are sockets layered over `socket` (a TLSSocket) whose setKeepAlive reaches the same fd.
 */
export function setSocketKeepalive(socket: net.Socket, maxIdleSeconds: number, also: object[] = []): KeepaliveResult {
  if (!Number.isFinite(maxIdleSeconds) || maxIdleSeconds < 0) return 'EINVAL';
  const maxIdle = Math.ceil(maxIdleSeconds);
  const result = apply(socket, maxIdle);
  if (result !== 0) return result;
  // Off means "not ours any more": a later Node setKeepAlive() call then stands as made.
  const record = applied.get(socket);
  if (record) record.maxIdle = maxIdle;
  else if (maxIdle !== 0) applied.set(socket, { maxIdle, fd: socketFd(socket) });
  for (const s of [socket, ...also]) guardNodeSetKeepAlive(s, socket);
  return 0;
}

/** True when a keepalive probe is outstanding (tcpi_probes > 0); false when unknown. */
export function isSocketIdle(socket: net.Socket): boolean {
  const sockopt = getSockopt();
  const fd = socketFd(socket);
  if (!sockopt || fd < 0) return false;
  const t = sockopt.tcpKeepaliveTimes(fd);
  return typeof t !== 'string' && t.probes > 0;
}

/** The record setSocketKeepalive keeps for `socket`, or undefined before it was ever turned on. */
export function appliedKeepalive(socket: net.Socket): AppliedKeepalive | undefined {
  return applied.get(socket);
}

/**
 * isIdle() plus, when no probe is outstanding, how long until the kernel sends its next keepalive
 * probe: TCP_KEEPIDLE after the last segment received (tcp_keepalive_timer counts from the later
 * of the last data and the last ACK). Undefined when keepalive is not ours (`record`, from
 * appliedKeepalive) or tcp_info is unreadable. Run for every quiet connection about
 * once per probe interval, on objects long out of the CPU cache: it reads the socket's own
 * `_handle` (null once closed, when the fd may already belong to another socket) and the record,
 * and nothing else before the system call.
 */
export function keepaliveCheckOf(socket: net.Socket, record: AppliedKeepalive | undefined): { idle: boolean; nextProbeInMs?: number } | undefined {
  if (record === undefined || record.maxIdle === 0 || !(socket as unknown as { _handle?: unknown })._handle) return undefined;
  const sockopt = getSockopt();
  if (!sockopt) return undefined;
  const maxIdle = record.maxIdle;
  const t = sockopt.tcpKeepaliveTimes(record.fd);
  if (typeof t === 'string') return undefined;
  if (t.probes > 0) return { idle: true };
  const sinceReceived = Math.min(t.lastDataRecvMs, t.lastAckRecvMs);
  return { idle: false, nextProbeInMs: Math.max(0, maxIdle * 1000 - sinceReceived) };
}

/** Decoded tcp_info of a connected TCP socket, or undefined when it cannot be read. */
export function readTcpInfo(socket: net.Socket): TcpInfo | undefined {
  const sockopt = getSockopt();
  const fd = socketFd(socket);
  if (!sockopt || fd < 0) return undefined;
  const b = sockopt.getBytes(fd, IPPROTO_TCP, TCP_INFO, 104);
  // Offsets from struct tcp_info in linux/tcp.h; 76 bytes covers every field read here.
  if (typeof b === 'string' || b.length < 76) return undefined;
  return {
    state: b[0]!,
    stateName: TCP_STATES[b[0]!] ?? String(b[0]),
    retransmits: b[2]!,
    probes: b[3]!,
    backoff: b[4]!,
    rtoMs: b.readUInt32LE(8) / 1000,
    unacked: b.readUInt32LE(24),
    lastDataRecvMs: b.readUInt32LE(52),
    lastAckRecvMs: b.readUInt32LE(56),
    rttMs: b.readUInt32LE(68) / 1000,
  };
}

/** Reads back the five keepalive options, or undefined when they cannot be read. */
export function getKeepaliveOptions(socket: net.Socket): KeepaliveOptions | undefined {
  const sockopt = getSockopt();
  const fd = socketFd(socket);
  if (!sockopt || fd < 0) return undefined;
  const values = [
    sockopt.getInt(fd, SOL_SOCKET, SO_KEEPALIVE),
    sockopt.getInt(fd, IPPROTO_TCP, TCP_KEEPIDLE),
    sockopt.getInt(fd, IPPROTO_TCP, TCP_KEEPINTVL),
    sockopt.getInt(fd, IPPROTO_TCP, TCP_KEEPCNT),
    sockopt.getInt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT),
  ];
  if (values.some((v) => typeof v === 'string')) return undefined;
  const [a, b, c, d, e] = values as number[];
  return { SO_KEEPALIVE: a!, TCP_KEEPIDLE: b!, TCP_KEEPINTVL: c!, TCP_KEEPCNT: d!, TCP_USER_TIMEOUT: e! };
}

/** The raw fd of a connected socket; -1 before connect and after close. */
export function socketFd(socket: net.Socket): number {
  const handle = (socket as unknown as { _handle?: { fd?: unknown } | null })._handle;
  return handle && typeof handle.fd === 'number' ? handle.fd : -1;
}

function apply(socket: net.Socket, maxIdle: number): KeepaliveResult {
  const sockopt = getSockopt();
  if (!sockopt) return 'EOPNOTSUPP';
  const fd = socketFd(socket);
  if (fd < 0) return 'EBADF';
  const settings: Array<[number, number, number]> =
    maxIdle === 0
      ? [
          [SOL_SOCKET, SO_KEEPALIVE, 0],
          [IPPROTO_TCP, TCP_USER_TIMEOUT, 0],
        ]
      : [
          [SOL_SOCKET, SO_KEEPALIVE, 1],
          [IPPROTO_TCP, TCP_KEEPIDLE, Math.min(maxIdle, MAX_KEEPIDLE)],
          [IPPROTO_TCP, TCP_KEEPINTVL, 1],
          [IPPROTO_TCP, TCP_KEEPCNT, Math.min(maxIdle, MAX_KEEPCNT)],
          // Keepalive is suspended while sent data is unacknowledged; this bounds that case.
          [IPPROTO_TCP, TCP_USER_TIMEOUT, Math.min(2 * maxIdle * 1000, 0x7fffffff)],
        ];
  for (const [level, option, value] of settings) {
    const r = sockopt.setInt(fd, level, option, value);
    if (r !== 0) return r;
  }
  return 0;
}

/**
 * Node's setKeepAlive() rewrites TCP_KEEPINTVL and TCP_KEEPCNT (libuv fixes them at 1 and 10), so
 * after any call to it we put our settings back: the rconn owns keepalive on its sockets.
 */
function guardNodeSetKeepAlive(target: object, raw: net.Socket): void {
  if (guarded.has(target)) return;
  guarded.add(target);
  const holder = target as { setKeepAlive: (enable?: boolean, initialDelay?: number) => unknown };
  const original = holder.setKeepAlive;
  holder.setKeepAlive = function (this: unknown, enable?: boolean, initialDelay?: number) {
    const ret = original.call(this, enable, initialDelay);
    const ours = applied.get(raw)?.maxIdle;
    if (ours) apply(raw, ours);
    return ret;
  };
}
