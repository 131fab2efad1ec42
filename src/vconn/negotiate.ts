import { versionsOption } from '../validate.js';
import { helloVersions, versionName, type OfpMessage } from '../ofp/index.js';

type Hello = Extract<OfpMessage, { type: 'HELLO' }>;

export type Negotiation =
  | { ok: true; version: number; peerVersions: number[] }
  | { ok: false; peerVersions: number[]; text: string };

/**
 * The versions a peer's HELLO offers (SPEC 4): its bitmap when present and well formed, else every
 * version from 1.0 up to the header version. Unknown future versions in a bitmap are kept so the
 * failure text can show them.
 */
export function peerVersionsOf(hello: Hello): number[] {
  const fromBitmap = helloVersions(hello);
  if (fromBitmap && fromBitmap.length > 0) return fromBitmap;
  const out: number[] = [];
  for (let v = 1; v <= hello.version; v++) out.push(v);
  return out;
}

/** Highest common version, or the readable HELLO_FAILED text Open vSwitch would send. */
export function negotiate(ours: readonly number[], hello: Hello): Negotiation {
  const peerVersions = peerVersionsOf(hello);
  let best = 0;
  for (const v of peerVersions) if (ours.includes(v) && v > best) best = v;
  if (best) return { ok: true, version: best, peerVersions };
  return {
    ok: false,
    peerVersions,
    text: `We support ${describeVersions(ours)}, you support ${describeVersions(peerVersions)}, no common versions`,
  };
}

/** "version 0x01", "versions 0x01, 0x04" with names: the shape of Open vSwitch's message, readable. */
export function describeVersions(versions: readonly number[]): string {
  const list = [...versions].sort((a, b) => a - b).map((v) => `${versionName(v)} (0x${v.toString(16).padStart(2, '0')})`);
  return `${list.length === 1 ? 'version' : 'versions'} ${list.join(', ')}`;
}

/**
 * Validates a user-supplied allowed-version list: non-empty, known versions, deduplicated, sorted.
 * Throws ConfigError (EINVAL) naming the option.
 */
export function normalizeVersions(versions: readonly number[] | undefined, owner = 'Vconn'): number[] {
  return versionsOption(owner, versions);
}
