/**
 * What the flow message codecs share: where a match ends, and the encode-side resolution of the
 * lazy fields (original bytes, given bytes, or structured values encoded once per message).
 */
import { Buffer } from 'node:buffer';
import type { Match } from './match-types.js';
import type { Action } from './actions.js';
import type { Instruction } from './instructions.js';
import { listWire, matchWire } from './lazy.js';
import { MATCH10_LEN, encodeMatch } from './match.js';
import { encodeActions } from './actions.js';
import { encodeInstructions } from './instructions.js';
import { OfpError, badLength } from './ofp-error.js';
import { OFP10 } from './versions.js';
import { checkPaddedMatch, get16, requireSpan, unencodable } from './wire.js';

export const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);

/**
 * Match length at `pos`, as BAD_LENGTH (the message is short) rather than a match error. The
 * message lies in `buf` from `at` to `end` (by default the whole buffer); `pos` and the answer are
 * offsets in `buf`.
 */
export function matchEnd(version: number, buf: Buffer, pos: number, what: string, at = 0, end = buf.length): number {
  if (version === OFP10) {
    requireSpan(at, end, pos - at + MATCH10_LEN, what);
    return pos + MATCH10_LEN;
  }
  requireSpan(at, end, pos - at + 4, what);
  const len = get16(buf, pos + 2);
  if (len < 4) throw badLength(`${what} match length ${len} is less than its 4-byte header`);
  const matchEnd = pos + ((len + 7) & ~7);
  requireSpan(at, end, matchEnd - at, what);
  return matchEnd;
}

// ---- encode-side resolution of the lazy fields ------------------------------------------------

interface WithMatch { match?: Match | Buffer; inPort?: number }
interface WithList { actions?: Action[] | Buffer; instructions?: Instruction[] | Buffer }

/** The match bytes to send: the original ones, given bytes, or the encoded Match (`inPort` alone when none). */
export function matchBytes(m: WithMatch, version: number, inPortShorthand: boolean): Buffer {
  const wire = matchWire(m);
  if (wire) return wire;
  const v = m.match;
  if (Buffer.isBuffer(v)) {
    if (version === OFP10) {
      if (v.length !== MATCH10_LEN) throw unencodable(`a 1.0 match is ${MATCH10_LEN} bytes`);
    } else {
      checkPaddedMatch(v);
    }
    return v;
  }
  if (v === undefined && inPortShorthand && m.inPort !== undefined) return encodeMatch(version, { inPort: m.inPort });
  if (v === undefined || v === null || typeof v !== 'object') throw unencodable('the message needs a match');
  return encodeMatch(version, v);
}

/**
 * The action/instruction bytes to send. A FLOW_MOD written once for every version may give
 * `actions` in 1.1+ (sent as one APPLY_ACTIONS) or, in 1.0, `instructions` holding only that.
 */
export function listBytes(m: WithList, version: number, kind: 'actions' | 'instructions'): Buffer {
  const wire = listWire(m);
  if (wire) return wire;
  if (kind === 'actions') {
    if (m.actions !== undefined) return encodeActions(version, m.actions);
    const only = Array.isArray(m.instructions) && m.instructions.length === 1 ? m.instructions[0] : undefined;
    if (only?.type === 'APPLY_ACTIONS') return encodeActions(version, only.actions);
    if (m.instructions !== undefined) throw new OfpError('UNSUPPORTED_INSTRUCTION', 'OpenFlow 1.0 has no instructions; give actions');
    throw unencodable('the message needs actions');
  }
  if (m.instructions !== undefined) return encodeInstructions(version, m.instructions);
  if (Array.isArray(m.actions)) return encodeInstructions(version, [{ type: 'APPLY_ACTIONS', actions: m.actions }]);
  throw unencodable('the message needs instructions');
}

// bodyLength resolves the variable parts and encodeBodyAt, which codec.ts calls right after it for
// the same message (and nothing else calls), writes them: each part is encoded once. Only a flag
// says the parts are there, not the message they belong to: storing each new message in this
// long-lived module costs a write barrier (~8 ns), a tenth of encoding a PACKET_OUT.
let pending = false;
let pendingMatch: Buffer | undefined;
let pendingList: Buffer | undefined;

export function resolve(match: Buffer | undefined, list: Buffer | undefined): number {
  pending = true;
  pendingMatch = match;
  pendingList = list;
  return (match?.length ?? 0) + (list?.length ?? 0);
}

/** The parts take() hands out: one object for every call, read by the caller at once. */
export interface Parts { match: Buffer; list: Buffer }
const taken: Parts = { match: Buffer.alloc(0), list: Buffer.alloc(0) };

/**
 * The parts resolve() saved in `m`'s bodyLength, which must be the last bodyLength called (codec.ts
 * calls encodeBodyAt right after it); with none saved, `codec.bodyLength(m)` resolves them first.
 * No allocation: destructure the answer at once.
 */
export function take<M extends object>(m: M, codec: { bodyLength(m: M): number }): Parts {
  if (!pending) codec.bodyLength(m);
  taken.match = pendingMatch!;
  taken.list = pendingList!;
  pending = false;
  pendingMatch = pendingList = undefined;
  return taken;
}
