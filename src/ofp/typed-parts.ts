/**
 * Matches, action lists and instruction lists inside the cold structures (flow stats, flow stats
 * requests, group buckets): decoded to the typed forms of match.ts / actions.ts / instructions.ts,
 * and byte-exact all the same: when encoding the typed form would not give the wire bytes back (a
 * 1.0/1.1 match with bytes under a wildcard, non-canonical OXM order...), `<key>Bytes` keeps them,
 * and the encoder writes those instead. A builder sets only the typed key. Bytes the version's
 * decoder refuses (Open vSwitch sends OXM matches in 1.1 flow stats) leave the typed key out and
 * keep `<key>Bytes`: one odd entry does not make a whole reply undecodable.
 */
import type { Buffer } from 'node:buffer';
import { OfpError } from './ofp-error.js';
import { decodeMatch, encodeMatch, matchWireLength } from './match.js';
import { decodeActions, encodeActions } from './actions.js';
import { decodeInstructions, encodeInstructions } from './instructions.js';
import type { Match } from './match-types.js';

type Fields = Record<string, unknown>;

function keep(into: Fields, key: string, wire: Buffer, decodeIt: () => unknown, encodeIt: (v: never) => Buffer): void {
  let value;
  try {
    value = decodeIt();
  } catch (err) {
    if (!(err instanceof OfpError)) throw err;
    into[`${key}Bytes`] = wire;
    return;
  }
  into[key] = value;
  if (!encodeIt(value as never).equals(wire)) into[`${key}Bytes`] = wire;
}

/** Reads the (padded) ofp_match at `at` into `into.match`; returns its padded length. */
export function readMatchPart(version: number, buf: Buffer, at: number, end: number, into: Fields): number {
  const scope = buf.subarray(0, end);
  const len = matchWireLength(version, scope, at);
  keep(into, 'match', buf.subarray(at, at + len), () => decodeMatch(version, scope, at), (m) => encodeMatch(version, m));
  return len;
}

/** The match bytes to write for `e` (its kept bytes, or the typed match encoded). */
export function matchPart(e: Fields, version: number): Buffer {
  return (e.matchBytes as Buffer | undefined) ?? encodeMatch(version, (e.match ?? {}) as Match);
}

/** Reads the action list in `[at, end)` into `into[key]`. */
export function readActionsPart(version: number, buf: Buffer, at: number, end: number, into: Fields, key = 'actions'): void {
  keep(into, key, buf.subarray(at, end), () => decodeActions(version, buf, at, end - at), (a) => encodeActions(version, a));
}

export function actionsPart(e: Fields, version: number, key = 'actions'): Buffer {
  return (e[`${key}Bytes`] as Buffer | undefined) ?? encodeActions(version, (e[key] ?? []) as never);
}

/** Reads the instruction list in `[at, end)` into `into.instructions`. */
export function readInstructionsPart(version: number, buf: Buffer, at: number, end: number, into: Fields): void {
  keep(into, 'instructions', buf.subarray(at, end), () => decodeInstructions(version, buf, at, end - at),
    (i) => encodeInstructions(version, i));
}

export function instructionsPart(e: Fields, version: number): Buffer {
  return (e.instructionsBytes as Buffer | undefined) ?? encodeInstructions(version, (e.instructions ?? []) as never);
}
