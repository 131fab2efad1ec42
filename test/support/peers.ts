/**
 * Which real peers (Debian packages nobody on this project wrote) are installed, and how a test
 * file reacts when one is missing.
 *
 * The rule: on a developer machine a missing peer SKIPS the suite, with a loud warning naming the
 * package to install; under CI (`CI=true`) a missing peer FAILS, because a CI run that silently
 * skips its interop tests looks green while testing nothing.
 *
 * Usage in a test file:
 *
 *   const peers = checkPeers(['ovs-vswitchd', 'ovs-vsctl'], 'OVS interop');
 *   peers.failUnderCi();                 // registers a failing test under CI when something is missing
 *   describe.runIf(peers.ok)('OVS interop', () => { ... });
 *
 * or, in one call: `if (requirePeers([...], 'why')) describe('...', ...)`.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, test } from 'vitest';

/** Debian package that ships each command we use (Debian 12 / bookworm). */
export const DEBIAN_PACKAGE: Readonly<Record<string, string>> = {
  'ovs-vswitchd': 'openvswitch-switch',
  'ovs-vsctl': 'openvswitch-switch',
  'ovsdb-server': 'openvswitch-common',
  'ovsdb-tool': 'openvswitch-common',
  'ovs-appctl': 'openvswitch-common',
  'ovs-ofctl': 'openvswitch-common',
  'ovs-testcontroller': 'openvswitch-testcontroller',
  tshark: 'tshark',
  dumpcap: 'wireshark-common',
  iptables: 'iptables',
  ip: 'iproute2',
  tc: 'iproute2',
  openssl: 'openssl',
  'osken-manager': 'python3-os-ken',
  promtool: 'prometheus',
  etcd: 'etcd-server',
  etcdctl: 'etcd-client',
};

/** Pseudo-peer: the test needs root (packet capture, network namespaces, iptables). */
export const ROOT = 'root';

// sbin directories are often missing from a non-root PATH, yet hold ovs-vswitchd, ip and iptables.
const EXTRA_DIRS = ['/usr/local/sbin', '/usr/sbin', '/sbin', '/usr/local/bin', '/usr/bin', '/bin'];

/** Absolute path of an executable `name` (PATH first, then the sbin directories), or undefined. */
export function commandPath(name: string): string | undefined {
  if (name.includes('/')) return isExecutable(name) ? name : undefined;
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...EXTRA_DIRS];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** Whether `name` is an installed executable. */
export function hasCommand(name: string): boolean {
  return commandPath(name) !== undefined;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

export function underCi(): boolean {
  return process.env.CI === 'true';
}

/** The install command for the missing commands (deduplicated packages). */
export function aptLine(missing: readonly string[]): string {
  const pkgs = [...new Set(missing.filter((m) => m !== ROOT).map((m) => DEBIAN_PACKAGE[m] ?? m))];
  if (pkgs.length === 0) return '';
  const tshark = pkgs.includes('tshark') || pkgs.includes('wireshark-common');
  const preseed = tshark
    ? 'echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections && '
    : '';
  return `${preseed}apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${pkgs.join(' ')}`;
}

export interface PeerCheck {
  /** True when every requested peer is present. */
  readonly ok: boolean;
  /** Requested names that are missing (`'root'` when root is required but we are not root). */
  readonly missing: readonly string[];
  /** What needs the peers, for messages. */
  readonly why: string;
  /** Human message explaining what is missing and how to install it. */
  readonly message: string;
  /**
   * When something is missing: under CI registers a test that fails with `message`; otherwise
   * prints a loud warning. Call it at the top level of a test file (or inside a describe).
   */
  failUnderCi(): void;
}

/**
 * Checks the given commands (and `'root'`, see ROOT). Synchronous: it only stats files, so it is
 * cheap enough to run at module load.
 */
export function checkPeers(names: readonly string[], why = 'real-peer tests'): PeerCheck {
  const missing = names.filter((n) => (n === ROOT ? !isRoot() : !hasCommand(n)));
  const ok = missing.length === 0;
  const install = aptLine(missing);
  const message = ok
    ? ''
    : `${underCi() ? 'CI=true but ' : ''}${missing.map((m) => (m === ROOT ? 'root privileges' : m)).join(', ')} missing` +
      ` (needed by ${why})` +
      (install ? `. Install with: ${install}` : '');
  return {
    ok,
    missing,
    why,
    message,
    failUnderCi() {
      if (ok) return;
      if (underCi()) {
        test(`peers present for ${why}`, () => {
          throw new PeersMissingError(message, missing);
        });
      } else {
        warnLoudly(message);
      }
    },
  };
}

/**
 * One-call form: returns whether the suite can run. When it cannot, under CI it registers a failing
 * test; elsewhere it registers a skipped suite named after `why` and warns loudly.
 */
export function requirePeers(names: readonly string[], why: string): boolean {
  const peers = checkPeers(names, why);
  if (peers.ok) return true;
  peers.failUnderCi();
  if (!underCi()) describe.skip(`${why} (missing: ${peers.missing.join(', ')})`, () => {});
  return false;
}

export class PeersMissingError extends Error {
  override readonly name = 'PeersMissingError';
  readonly code = 'ERR_PEERS_MISSING';
  constructor(
    message: string,
    readonly missing: readonly string[],
  ) {
    super(message);
  }
}

function warnLoudly(message: string): void {
  const bar = '!'.repeat(78);
  console.warn(`\n${bar}\n!! SKIPPING: ${message}\n${bar}\n`);
}
