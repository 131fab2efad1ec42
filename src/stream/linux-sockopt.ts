/**
 * setsockopt/getsockopt on Linux through koffi (an optionalDependency). Node exposes neither the
 * keepalive count, TCP_USER_TIMEOUT, nor tcp_info, so the keepalive capability needs libc itself.
 * koffi is loaded lazily, once, on first use; when it (or libc) cannot be loaded the binding is
 * `undefined` and callers report 'EOPNOTSUPP'.
 */
import { createRequire } from 'node:module';
import { constants as osConstants } from 'node:os';

export const SOL_SOCKET = 1;
export const SO_KEEPALIVE = 9;
export const IPPROTO_TCP = 6;
export const TCP_KEEPIDLE = 4;
export const TCP_KEEPINTVL = 5;
export const TCP_KEEPCNT = 6;
export const TCP_INFO = 11;
export const TCP_USER_TIMEOUT = 18;

/** The three calls the keepalive code needs. Errors come back as errno names, never thrown. */
export interface SockoptBinding {
  /** 0 on success, else the errno name ('EBADF', 'ENOTSOCK', ...). */
  setInt(fd: number, level: number, option: number, value: number): 0 | string;
  /** The option's value, or the errno name on failure. */
  getInt(fd: number, level: number, option: number): number | string;
  /** Up to `size` bytes of the option (e.g. struct tcp_info), or the errno name on failure. */
  getBytes(fd: number, level: number, option: number, size: number): Buffer | string;
  /**
   * tcp_info's tcpi_probes plus the milliseconds since data and since an ACK were last received:
   * enough to know whether a keepalive probe is outstanding and when the next one is due. Asked
   * for every idle connection about once per probe interval, so it reads 60 bytes into a reused
   * buffer.
   */
  tcpKeepaliveTimes(fd: number): { probes: number; lastDataRecvMs: number; lastAckRecvMs: number } | string;
}

/** Builds the binding; throws when it cannot (koffi or libc missing). */
export type SockoptLoader = () => SockoptBinding;

const NO_KOFFI_ENV = 'OPENFLOW_RCONN_NO_KOFFI';

let loader: SockoptLoader = loadWithKoffi;
let cached: { binding?: SockoptBinding; reason?: string } | undefined;

/** The binding, or undefined when this system cannot set socket options (see {@link sockoptUnavailableReason}). */
export function getSockopt(): SockoptBinding | undefined {
  return load().binding;
}

/** Why {@link getSockopt} is undefined (for status and logs), or undefined when it works. */
export function sockoptUnavailableReason(): string | undefined {
  return load().reason;
}

/**
 * Test hook: replaces the loader (a loader that throws simulates koffi failing to load) and forgets
 * the cached result; `null` restores the real koffi loader.
 */
export function _setSockoptLoaderForTests(next: SockoptLoader | null): void {
  loader = next ?? loadWithKoffi;
  cached = undefined;
}

function load(): { binding?: SockoptBinding; reason?: string } {
  if (cached) return cached;
  if (process.platform !== 'linux') {
    cached = { reason: `socket options are only implemented on Linux, not ${process.platform}` };
  } else if (process.env[NO_KOFFI_ENV] === '1') {
    cached = { reason: `disabled by ${NO_KOFFI_ENV}=1` };
  } else {
    try {
      cached = { binding: loader() };
    } catch (err) {
      cached = { reason: loadFailure(err) };
    }
  }
  return cached;
}

/** One line: Node's module-not-found message goes on with a multi-line require stack. */
function loadFailure(err: unknown): string {
  const message = (err instanceof Error ? err.message : String(err)).split('\n')[0];
  const missing = (err as { code?: unknown }).code === 'MODULE_NOT_FOUND' || /Cannot find (module|package) 'koffi'/.test(message);
  return missing
    ? `koffi is not installed (the optional dependency that sets TCP keepalive options; npm install koffi): ${message}`
    : `cannot load koffi/libc: ${message}`;
}

// Minimal view of the koffi API we use, so that koffi's types are not needed at compile time.
interface KoffiLib {
  func(signature: string): (...args: unknown[]) => number;
}
interface Koffi {
  load(path: string): KoffiLib;
  errno(): number;
}

function libcCandidates(): string[] {
  const muslArch: Record<string, string> = { x64: 'x86_64', arm64: 'aarch64', arm: 'armhf', ia32: 'i386', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };
  const arch = muslArch[process.arch];
  return ['libc.so.6', ...(arch ? [`libc.musl-${arch}.so.1`] : []), 'libc.so'];
}

function loadWithKoffi(): SockoptBinding {
  const require = createRequire(import.meta.url);
  const koffi = require('koffi') as Koffi;
  const failures: string[] = [];
  let libc: KoffiLib | undefined;
  for (const name of libcCandidates()) {
    try {
      libc = koffi.load(name);
      break;
    } catch (err) {
      failures.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (!libc) throw new Error(`no libc found (${failures.join('; ')})`);
  const setsockopt = libc.func('int setsockopt(int fd, int level, int name, const void *val, uint32_t len)');
  const getsockopt = libc.func('int getsockopt(int fd, int level, int name, _Out_ void *val, _Inout_ uint32_t *len)');
  // The same function with both pointers as plain buffers: no array marshalling on the hot path.
  const getsockoptRaw = libc.func('int getsockopt(int fd, int level, int name, void *val, void *len)');
  const errnoName = (): string => errnoToName(koffi.errno());
  // struct tcp_info: u8 state, ca_state, retransmits, probes, ...; tcpi_last_ack_recv ends at 60.
  const timesBuf = Buffer.alloc(60);
  const timesLen = Buffer.alloc(4);

  return {
    setInt(fd, level, option, value) {
      const buf = Buffer.alloc(4);
      buf.writeInt32LE(value);
      return setsockopt(fd, level, option, buf, 4) === 0 ? 0 : errnoName();
    },
    getInt(fd, level, option) {
      const buf = Buffer.alloc(4);
      return getsockopt(fd, level, option, buf, [4]) === 0 ? buf.readInt32LE(0) : errnoName();
    },
    tcpKeepaliveTimes(fd) {
      timesLen.writeUInt32LE(60, 0);
      if (getsockoptRaw(fd, IPPROTO_TCP, TCP_INFO, timesBuf, timesLen) !== 0) return errnoName();
      return { probes: timesBuf[3]!, lastDataRecvMs: timesBuf.readUInt32LE(52), lastAckRecvMs: timesBuf.readUInt32LE(56) };
    },
    getBytes(fd, level, option, size) {
      const buf = Buffer.alloc(size);
      const len = [size];
      return getsockopt(fd, level, option, buf, len) === 0 ? buf.subarray(0, len[0]) : errnoName();
    },
  };
}

function errnoToName(errno: number): string {
  for (const [name, value] of Object.entries(osConstants.errno)) if (value === errno) return name;
  return `ERRNO_${errno}`;
}
