/**
 * Decoded messages whose match and action/instruction list are read from the wire only when a
 * program first reads them. A controller answering PACKET_INs by buffer_id, or forwarding
 * FLOW_MODs unchanged, never pays for the match: decode stays as cheap as before the match was
 * typed, and encode copies the original bytes back (byte-exact) unless the field was assigned.
 *
 * The bytes stay where the message was decoded from (no copy), as for every decoded Buffer: keep
 * the input unchanged while the message is in use. A spread copy (`{ ...msg }`) does not carry
 * the lazy fields: write `{ ...msg, match: msg.match, actions: msg.actions }`.
 *
 * Each kind (which lazy fields a message has) is one class of its own, built by lazyKind(), and a
 * decoder makes `new Kind(...)` and assigns the plain fields to it. No subclass per message type:
 * a derived class's constructor chain (super() through two bases with private fields) cost about
 * 35 ns a message, more than all the rest of decoding a PACKET_IN; one class costs about 6.
 */
import type { Buffer } from 'node:buffer';
import type { Match } from './match-types.js';
import type { Action } from './actions.js';
import type { Instruction } from './instructions.js';
import { decodeMatch } from './match.js';
import { decodeActions } from './actions.js';
import { decodeInstructions } from './instructions.js';

type List = Action[] | Instruction[];
type ListKind = 'actions' | 'instructions';

// The original bytes of a lazy field, for the encoder; symbol-keyed, so no copy or key list sees them.
const MATCH_WIRE = Symbol('matchWire');
const LIST_WIRE = Symbol('listWire');

/** A lazy message as its decoder fills it in: the plain fields are assigned after construction. */
export type LazyFields = Record<string, unknown>;

/** A kind's constructor: `matchAt` -1: no match; `listAt` -1: no list. */
export type LazyKind = new (buf: Buffer, matchAt: number, matchEnd: number, listAt: number, listEnd: number) => LazyFields;

function lazyKind(name: string, hasMatch: boolean, list: ListKind | null): LazyKind {
  const Kind = class {
    declare version: number;
    #buf: Buffer | undefined;
    #matchAt: number;
    #matchEnd: number;
    #listAt: number;
    #listEnd: number;
    #match: Match | undefined;
    #list: List | undefined;
    #matchSet = false;
    #listSet = false;

    constructor(buf: Buffer, matchAt: number, matchEnd: number, listAt: number, listEnd: number) {
      this.#buf = buf;
      this.#matchAt = matchAt;
      this.#matchEnd = matchEnd;
      this.#listAt = listAt;
      this.#listEnd = listEnd;
    }

    readMatch(): Match {
      return (this.#match ??= decodeMatch(this.version, this.#buf!, this.#matchAt));
    }

    writeMatch(m: Match): void {
      this.#match = m;
      this.#matchSet = true;
    }

    readList(): List {
      if (this.#list === undefined) {
        const len = this.#listEnd - this.#listAt;
        this.#list = list === 'actions'
          ? decodeActions(this.version, this.#buf!, this.#listAt, len)
          : decodeInstructions(this.version, this.#buf!, this.#listAt, len);
      }
      return this.#list;
    }

    writeList(l: List): void {
      this.#list = l;
      this.#listSet = true;
    }

    [MATCH_WIRE](): Buffer | undefined {
      if (this.#matchSet || this.#matchAt < 0) return undefined;
      return this.#buf!.subarray(this.#matchAt, this.#matchEnd);
    }

    [LIST_WIRE](): Buffer | undefined {
      if (this.#listSet || this.#listAt < 0) return undefined;
      return this.#buf!.subarray(this.#listAt, this.#listEnd);
    }
  };
  Object.defineProperty(Kind, 'name', { value: name });
  // Accessors on the prototype, as the getters of a class body would be: not own, not enumerable.
  if (hasMatch) {
    Object.defineProperty(Kind.prototype, 'match', {
      get(this: InstanceType<typeof Kind>) { return this.readMatch(); },
      set(this: InstanceType<typeof Kind>, m: Match) { this.writeMatch(m); },
      configurable: true,
    });
  }
  if (list !== null) {
    Object.defineProperty(Kind.prototype, list, {
      get(this: InstanceType<typeof Kind>) { return this.readList(); },
      set(this: InstanceType<typeof Kind>, l: List) { this.writeList(l); },
      configurable: true,
    });
  }
  return Kind as unknown as LazyKind;
}

/** A message with a lazy match (FLOW_REMOVED, PACKET_IN 1.2+). */
export const LazyMatch = lazyKind('LazyMatch', true, null);
/** A lazy match and actions (FLOW_MOD 1.0, PACKET_OUT 1.5). */
export const LazyMatchActions = lazyKind('LazyMatchActions', true, 'actions');
/** A lazy match and instructions (FLOW_MOD 1.1+). */
export const LazyMatchInstructions = lazyKind('LazyMatchInstructions', true, 'instructions');
/** Lazy actions and no match (PACKET_OUT 1.0-1.4). */
export const LazyActions = lazyKind('LazyActions', false, 'actions');

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
