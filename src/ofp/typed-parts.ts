/**
 * Matches, action lists and instruction lists inside the cold structures (flow stats, flow stats
 * requests, group buckets): decoded to the typed forms of match.ts / actions.ts / instructions.ts,
 * and byte-exact all the same: when encoding the typed form would not give the wire bytes back (a
 * 1.0/1.1 match with bytes under a wildcard, non-canonical OXM order...), `<key>Bytes` keeps them,
 * and the encoder writes those instead. A builder sets only the typed key.
 */
import type { Buffer } from 'node:buffer';
import { decodeMatch, encodeMatch, matchWireLength } from './match.js';
import { decodeActions, encodeActions } from './actions.js';
import { decodeInstructions, encodeInstructions } from './instructions.js';
import type { Match } from './match-types.js';

type Fields = Record<string, unknown>;

function keep(into: Fields, key: string, wire: Buffer, again: Buffer): void {
  if (!again.equals(wire)) into[`${key}Bytes`] = wire;
}

/** Reads the (padded) ofp_match at `at` into `into.match`; returns its padded length. */
export function readMatchPart(version: number, buf: Buffer, at: number, end: number, into: Fields): number {
  const scope = buf.subarray(0, end);
  const len = matchWireLength(version, scope, at);
  const match = decodeMatch(version, scope, at);
  into.match = match;
  keep(into, 'match', buf.subarray(at, at + len), encodeMatch(version, match));
  return len;
}

/** The match bytes to write for `e` (its kept bytes, or the typed match encoded). */
export function matchPart(e: Fields, version: number): Buffer {
  return (e.matchBytes as Buffer | undefined) ?? encodeMatch(version, (e.match ?? {}) as Match);
}

/** Reads the action list in `[at, end)` into `into[key]`. */
export function readActionsPart(version: number, buf: Buffer, at: number, end: number, into: Fields, key = 'actions'): void {
  const actions = decodeActions(version, buf, at, end - at);
  into[key] = actions;
  keep(into, key, buf.subarray(at, end), encodeActions(version, actions));
}

export function actionsPart(e: Fields, version: number, key = 'actions'): Buffer {
  return (e[`${key}Bytes`] as Buffer | undefined) ?? encodeActions(version, (e[key] ?? []) as never);
}

/** Reads the instruction list in `[at, end)` into `into.instructions`. */
export function readInstructionsPart(version: number, buf: Buffer, at: number, end: number, into: Fields): void {
  const instructions = decodeInstructions(version, buf, at, end - at);
  into.instructions = instructions;
  keep(into, 'instructions', buf.subarray(at, end), encodeInstructions(version, instructions));
}

export function instructionsPart(e: Fields, version: number): Buffer {
  return (e.instructionsBytes as Buffer | undefined) ?? encodeInstructions(version, (e.instructions ?? []) as never);
}
