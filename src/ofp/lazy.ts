/**
 * Decoded messages whose match and action/instruction list are read from the wire only when a
 * program first reads them. A controller answering PACKET_INs by buffer_id, or forwarding
 * FLOW_MODs unchanged, never pays for the match: decode stays as cheap as before the match was
 * typed, and encode copies the original bytes back (byte-exact) unless the field was assigned.
 * A PACKET_IN's `data` is made on first read too: a Buffer view costs about 40 ns to make (a
 * fifth of a controller's whole cost per PACKET_IN), and one that answers by buffer_id never reads it.
 *
 * The bytes stay where the message was decoded from (no copy), as for every decoded Buffer: keep
 * the input unchanged while the message is in use. A spread copy (`{ ...msg }`) does not carry
 * the lazy fields: write `{ ...msg, match: msg.match, actions: msg.actions }` (PACKET_IN: `data: msg.data`).
 *
 * One class per kind (which lazy fields a message has), each written out with only the private
 * fields it needs, and decoders that make `new Kind(...)` and assign the plain fields to it. Not a
 * subclass per message type: a derived class's constructor chain (super() through two bases with
 * private fields) cost about 35 ns a message, more than the rest of decoding a PACKET_IN; one class
 * costs about 4. Nor classes made by one factory function: those share their inline caches, and a
 * program using two kinds then paid about 60 ns for every message of either.
 */
import type { Buffer } from 'node:buffer';
import type { Match } from './match-types.js';
import type { Action } from './actions.js';
import type { Instruction } from './instructions.js';
import { decodeMatch } from './match.js';
import { decodeActions } from './actions.js';
import { decodeInstructions } from './instructions.js';
import { EMPTY } from './wire.js';

// The original bytes of a lazy field, for the encoder; symbol-keyed methods on the prototypes, so
// no copy or key list of a message sees them.
const MATCH_WIRE = Symbol('matchWire');
const LIST_WIRE = Symbol('listWire');

/** `buf[at, end)`, or EMPTY. */
const bytes = (buf: Buffer, at: number, end: number): Buffer => (at < end ? buf.subarray(at, end) : EMPTY);

/** A message with a lazy match (FLOW_REMOVED). */
export class LazyMatch {
  [field: string]: unknown;
  declare version: number;
  #buf: Buffer;
  #matchAt: number;
  #matchEnd: number;
  #match: Match | undefined;
  #matchSet = false;

  constructor(buf: Buffer, matchAt: number, matchEnd: number) {
    this.#buf = buf;
    this.#matchAt = matchAt;
    this.#matchEnd = matchEnd;
  }

  get match(): Match { return (this.#match ??= decodeMatch(this.version, this.#buf, this.#matchAt)); }
  set match(m: Match) { this.#match = m; this.#matchSet = true; }
  [MATCH_WIRE](): Buffer | undefined { return this.#matchSet ? undefined : this.#buf.subarray(this.#matchAt, this.#matchEnd); }
}

/** Lazy actions and no match (PACKET_OUT 1.0-1.4). */
export class LazyActions {
  [field: string]: unknown;
  declare version: number;
  #buf: Buffer;
  #listAt: number;
  #listEnd: number;
  #list: Action[] | undefined;
  #listSet = false;

  constructor(buf: Buffer, listAt: number, listEnd: number) {
    this.#buf = buf;
    this.#listAt = listAt;
    this.#listEnd = listEnd;
  }

  get actions(): Action[] { return (this.#list ??= decodeActions(this.version, this.#buf, this.#listAt, this.#listEnd - this.#listAt)); }
  set actions(a: Action[]) { this.#list = a; this.#listSet = true; }
  [LIST_WIRE](): Buffer | undefined { return this.#listSet ? undefined : this.#buf.subarray(this.#listAt, this.#listEnd); }
}

/** A lazy match and actions (FLOW_MOD 1.0, PACKET_OUT 1.5). */
export class LazyMatchActions {
  [field: string]: unknown;
  declare version: number;
  #buf: Buffer;
  #matchAt: number;
  #matchEnd: number;
  #listAt: number;
  #listEnd: number;
  #match: Match | undefined;
  #list: Action[] | undefined;
  #matchSet = false;
  #listSet = false;

  constructor(buf: Buffer, matchAt: number, matchEnd: number, listAt: number, listEnd: number) {
    this.#buf = buf;
    this.#matchAt = matchAt;
    this.#matchEnd = matchEnd;
    this.#listAt = listAt;
    this.#listEnd = listEnd;
  }

  get match(): Match { return (this.#match ??= decodeMatch(this.version, this.#buf, this.#matchAt)); }
  set match(m: Match) { this.#match = m; this.#matchSet = true; }
  get actions(): Action[] { return (this.#list ??= decodeActions(this.version, this.#buf, this.#listAt, this.#listEnd - this.#listAt)); }
  set actions(a: Action[]) { this.#list = a; this.#listSet = true; }
  [MATCH_WIRE](): Buffer | undefined { return this.#matchSet ? undefined : this.#buf.subarray(this.#matchAt, this.#matchEnd); }
  [LIST_WIRE](): Buffer | undefined { return this.#listSet ? undefined : this.#buf.subarray(this.#listAt, this.#listEnd); }
}

/** A lazy match and instructions (FLOW_MOD 1.1+). */
export class LazyMatchInstructions {
  [field: string]: unknown;
  declare version: number;
  #buf: Buffer;
  #matchAt: number;
  #matchEnd: number;
  #listAt: number;
  #listEnd: number;
  #match: Match | undefined;
  #list: Instruction[] | undefined;
  #matchSet = false;
  #listSet = false;

  constructor(buf: Buffer, matchAt: number, matchEnd: number, listAt: number, listEnd: number) {
    this.#buf = buf;
    this.#matchAt = matchAt;
    this.#matchEnd = matchEnd;
    this.#listAt = listAt;
    this.#listEnd = listEnd;
  }

  get match(): Match { return (this.#match ??= decodeMatch(this.version, this.#buf, this.#matchAt)); }
  set match(m: Match) { this.#match = m; this.#matchSet = true; }
  get instructions(): Instruction[] {
    return (this.#list ??= decodeInstructions(this.version, this.#buf, this.#listAt, this.#listEnd - this.#listAt));
  }
  set instructions(i: Instruction[]) { this.#list = i; this.#listSet = true; }
  [MATCH_WIRE](): Buffer | undefined { return this.#matchSet ? undefined : this.#buf.subarray(this.#matchAt, this.#matchEnd); }
  [LIST_WIRE](): Buffer | undefined { return this.#listSet ? undefined : this.#buf.subarray(this.#listAt, this.#listEnd); }
}

/** Lazy data (PACKET_IN 1.0, 1.1). */
export class LazyData {
  [field: string]: unknown;
  #buf: Buffer;
  #dataAt: number;
  #dataEnd: number;
  #data: Buffer | undefined;

  constructor(buf: Buffer, dataAt: number, dataEnd: number) {
    this.#buf = buf;
    this.#dataAt = dataAt;
    this.#dataEnd = dataEnd;
  }

  get data(): Buffer { return (this.#data ??= bytes(this.#buf, this.#dataAt, this.#dataEnd)); }
  set data(d: Buffer) { this.#data = d; }
}

/** A lazy match and data (PACKET_IN 1.2+). */
export class LazyMatchData {
  [field: string]: unknown;
  declare version: number;
  #buf: Buffer;
  #matchAt: number;
  #matchEnd: number;
  #dataAt: number;
  #dataEnd: number;
  #match: Match | undefined;
  #data: Buffer | undefined;
  #matchSet = false;

  constructor(buf: Buffer, matchAt: number, matchEnd: number, dataAt: number, dataEnd: number) {
    this.#buf = buf;
    this.#matchAt = matchAt;
    this.#matchEnd = matchEnd;
    this.#dataAt = dataAt;
    this.#dataEnd = dataEnd;
  }

  get match(): Match { return (this.#match ??= decodeMatch(this.version, this.#buf, this.#matchAt)); }
  set match(m: Match) { this.#match = m; this.#matchSet = true; }
  get data(): Buffer { return (this.#data ??= bytes(this.#buf, this.#dataAt, this.#dataEnd)); }
  set data(d: Buffer) { this.#data = d; }
  [MATCH_WIRE](): Buffer | undefined { return this.#matchSet ? undefined : this.#buf.subarray(this.#matchAt, this.#matchEnd); }
}

/** The match's original bytes (padding included) of a decoded message while it was not assigned, else undefined. */
export function matchWire(m: object): Buffer | undefined {
  const wire = (m as { [MATCH_WIRE]?: () => Buffer | undefined })[MATCH_WIRE];
  return wire === undefined ? undefined : wire.call(m);
}

/** The action/instruction list's original bytes of a decoded message while it was not assigned, else undefined. */
export function listWire(m: object): Buffer | undefined {
  const wire = (m as { [LIST_WIRE]?: () => Buffer | undefined })[LIST_WIRE];
  return wire === undefined ? undefined : wire.call(m);
}
