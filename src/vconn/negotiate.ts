import { Buffer } from 'node:buffer';
import { versionsOption } from '../validate.js';
import { ALL_VERSIONS, decode, errorText, makeError, typeName, versionName, type OfpMessage } from '../ofp/index.js';

type Hello = Extract<OfpMessage, { type: 'HELLO' }>;

/**
 * What a peer's HELLO offers, kept in memory proportional to what we know rather than to what the
 * peer claims: a bitmask of the versions that exist (bit v = version v, 1.0..1.5), and for the rest
 * only how many and the highest. A 64 KiB bitmap costs a few numbers, never a list of 500,000.
 */
export interface PeerOffer {
  /** Bit v set: the peer offers known version v. */
  mask: number;
  /** Versions offered that we do not know (future ones, or garbage bits). */
  otherCount: number;
  /** The highest of those, 0 when there is none. */
  otherHighest: number;
}

export type Negotiation =
  | { ok: true; version: number; peerVersions: number[]; offer: PeerOffer }
  | { ok: false; peerVersions: number[]; offer: PeerOffer; text: string };

const KNOWN_MASK = ALL_VERSIONS.reduce((m, v) => m | (1 << v), 0);
const HIGHEST_KNOWN = ALL_VERSIONS[ALL_VERSIONS.length - 1]!;

/**
 * The versions a peer's HELLO offers (docs/DESIGN.md, "Version negotiation"): its bitmap when present and not empty, else every
 * version from 1.0 up to the header version. Runs once over the bitmap words; allocates nothing
 * sized by them.
 */
export function peerOfferOf(hello: Hello): PeerOffer {
  const bitmap = hello.elements.find((e) => e.type === 'VERSIONBITMAP');
  if (bitmap && bitmap.type === 'VERSIONBITMAP') {
    let mask = 0;
    let otherCount = 0;
    let otherHighest = 0;
    const words = bitmap.bitmaps;
    for (let i = 0; i < words.length; i++) {
      // Bit 0 would be version 0, which does not exist.
      let w = (i === 0 ? words[i]! & ~1 : words[i]!) >>> 0;
      if (i === 0) {
        mask = w & KNOWN_MASK;
        w = (w & ~KNOWN_MASK) >>> 0;
      }
      if (w === 0) continue;
      otherCount += popcount(w);
      otherHighest = 32 * i + 31 - Math.clz32(w);
    }
    if (mask !== 0 || otherCount !== 0) return { mask, otherCount, otherHighest };
  }
  let mask = 0;
  for (let v = 1; v <= Math.min(hello.version, HIGHEST_KNOWN); v++) mask |= 1 << v;
  const above = Math.max(0, hello.version - HIGHEST_KNOWN);
  return { mask, otherCount: above, otherHighest: above > 0 ? hello.version : 0 };
}

/** The known versions of an offer, ascending (at most six). */
export function versionsOfMask(mask: number): number[] {
  return ALL_VERSIONS.filter((v) => (mask >>> v) & 1);
}

/** @deprecated kept for callers of the list form; see {@link peerOfferOf}. Known versions only. */
export function peerVersionsOf(hello: Hello): number[] {
  return versionsOfMask(peerOfferOf(hello).mask);
}

/**
 * Highest common version, or the readable HELLO_FAILED text Open vSwitch would send. The text is
 * bounded whatever the peer offered: our versions, its known ones, and a one-phrase summary of the
 * rest (an unbounded list once made the ERROR longer than 65,535 bytes).
 */
export function negotiate(ours: readonly number[], hello: Hello): Negotiation {
  const offer = peerOfferOf(hello);
  const peerVersions = versionsOfMask(offer.mask);
  let best = 0;
  for (const v of peerVersions) if (ours.includes(v) && v > best) best = v;
  if (best) return { ok: true, version: best, peerVersions, offer };
  return { ok: false, peerVersions, offer, text: `We support ${describeVersions(ours)}, you support ${describeOffer(offer)}, no common versions` };
}

const OFPT_HELLO = 0;
const OFPT_ERROR = 1;

/**
 * What the first message of a peer means for the HELLO exchange, decided from its bytes alone
 * (the vconn sends the reply and fails with the code): the negotiated version, or why not.
 */
export type HelloVerdict =
  | { ok: true; version: number; peerVersions: number[]; offer: PeerOffer }
  | {
    ok: false;
    code: 'EHELLOFAILED' | 'EPROTO' | 'EINCOMPATIBLE';
    text: string;
    /** The OFPT_ERROR owed to the peer, if any. */
    reply?: OfpMessage;
    cause?: unknown;
    /** Set when the message was a HELLO we could read. */
    peerVersions?: number[];
    offer?: PeerOffer;
  };

/** Judges the first message `raw` of a peer, against our versions `ours` (`highest` the highest of them). */
export function judgeHello(raw: Buffer, ours: readonly number[], highest: number): HelloVerdict {
  const version = raw[0]!;
  const type = raw[1]!;
  if (type === OFPT_ERROR && version > 0) return { ok: false, code: 'EHELLOFAILED', text: helloRefusal(raw) };
  if (type !== OFPT_HELLO || version === 0) {
    const what = version === 0 ? 'a HELLO with version 0' : `${typeName(version, type) ?? `type ${type}`} (version ${versionName(version)})`;
    const text = `expected OFPT_HELLO, received ${what}`;
    return { ok: false, code: 'EPROTO', text, reply: makeError(highest, raw.readUInt32BE(4), 'HELLO_FAILED', 'EPERM', Buffer.from(text)) };
  }
  let hello: Hello;
  try {
    hello = decode(raw) as Hello;
  } catch (err) {
    return { ok: false, code: 'EPROTO', text: `malformed HELLO: ${(err as Error).message}`, cause: err };
  }
  const result = negotiate(ours, hello);
  if (result.ok) return result;
  // Answered in the peer's version so it can decode the text (OpenFlow 1.3.x section 6.3.1).
  const reply = makeError(Math.min(hello.version, highest), hello.xid, 'HELLO_FAILED', 'INCOMPATIBLE', Buffer.from(result.text));
  return { ok: false, code: 'EINCOMPATIBLE', text: result.text, reply, peerVersions: result.peerVersions, offer: result.offer };
}

/** The text of a peer's OFPT_ERROR refusing the HELLO exchange (at its start or right after it). */
export function helloRefusal(raw: Buffer): string {
  let text = '';
  try { text = errorText(decode(raw) as Extract<OfpMessage, { type: 'ERROR' }>); } catch { /* keep it empty */ }
  return `peer refused the HELLO exchange${text ? `: ${text}` : ''}`;
}

/** "version 0x01", "versions 0x01, 0x04" with names: the shape of Open vSwitch's message, readable. */
export function describeVersions(versions: readonly number[]): string {
  const list = [...versions].sort((a, b) => a - b).map((v) => `${versionName(v)} (0x${v.toString(16).padStart(2, '0')})`);
  return `${list.length === 1 ? 'version' : 'versions'} ${list.join(', ')}`;
}

/** An offer in at most a few dozen characters beyond the six known names. */
export function describeOffer(offer: PeerOffer): string {
  const known = versionsOfMask(offer.mask);
  if (offer.otherCount === 0) return describeVersions(known);
  const high = offer.otherHighest <= 0xff ? `0x${offer.otherHighest.toString(16).padStart(2, '0')}` : `bit ${offer.otherHighest}`;
  const others = offer.otherCount === 1 ? `1 unknown version (${high})` : `${offer.otherCount} unknown versions up to ${high}`;
  return known.length === 0 ? others : `${describeVersions(known)} and ${others}`;
}

/**
 * Validates a user-supplied allowed-version list: non-empty, known versions, deduplicated, sorted.
 * Throws ConfigError (EINVAL) naming the option.
 */
export function normalizeVersions(versions: readonly number[] | undefined, owner = 'Vconn'): number[] {
  return versionsOption(owner, versions);
}

function popcount(w: number): number {
  w -= (w >>> 1) & 0x55555555;
  w = (w & 0x33333333) + ((w >>> 2) & 0x33333333);
  return (((w + (w >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
