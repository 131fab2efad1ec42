/**
 * Decoded messages whose match and action/instruction list are read from the wire only when a
 * program first reads them. A controller answering PACKET_INs by buffer_id, or forwarding
 * FLOW_MODs unchanged, never pays for the match: decode stays as cheap as before the match was
 * typed, and encode copies the original bytes back (byte-exact) unless the field was assigned.
 *
 * The bytes stay where the message was decoded from (no copy), as for every decoded Buffer: keep
 * the input unchanged while the message is in use. A spread copy (`{ ...msg }`) does not carry
 * the lazy fields: write `{ ...msg, match: msg.match, actions: msg.actions }`.
 */
import type { Buffer } from 'node:buffer';
import type { Match } from './match-types.js';
import type { Action } from './actions.js';
import type { Instruction } from './instructions.js';
import { decodeMatch } from './match.js';
import { decodeActions } from './actions.js';
import { decodeInstructions } from './instructions.js';

type List = Action[] | Instruction[];

export abstract class LazyMessage {
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

  /** `matchAt` -1: no match; `listAt` -1: no list. */
  protected constructor(buf: Buffer, matchAt: number, matchEnd: number, listAt: number, listEnd: number) {
    this.#buf = buf;
    this.#matchAt = matchAt;
    this.#matchEnd = matchEnd;
    this.#listAt = listAt;
    this.#listEnd = listEnd;
  }

  protected readMatch(): Match {
    return (this.#match ??= decodeMatch(this.version, this.#buf!, this.#matchAt));
  }

  protected writeMatch(m: Match): void {
    this.#match = m;
    this.#matchSet = true;
  }

  protected readList(kind: 'actions' | 'instructions'): List {
    if (this.#list === undefined) {
      const len = this.#listEnd - this.#listAt;
      this.#list = kind === 'actions'
        ? decodeActions(this.version, this.#buf!, this.#listAt, len)
        : decodeInstructions(this.version, this.#buf!, this.#listAt, len);
    }
    return this.#list;
  }

  protected writeList(l: List): void {
    this.#list = l;
    this.#listSet = true;
  }

  /** The match's original bytes (padding included) while it was not assigned, else undefined. */
  static matchWire(m: object): Buffer | undefined {
    if (!(m instanceof LazyMessage) || m.#matchSet || m.#matchAt < 0) return undefined;
    return m.#buf!.subarray(m.#matchAt, m.#matchEnd);
  }

  /** The action/instruction list's original bytes while it was not assigned, else undefined. */
  static listWire(m: object): Buffer | undefined {
    if (!(m instanceof LazyMessage) || m.#listSet || m.#listAt < 0) return undefined;
    return m.#buf!.subarray(m.#listAt, m.#listEnd);
  }
}

// The accessors each message kind has, written once: a class picks the base with its lazy fields.

/** A message with a lazy match (FLOW_REMOVED, PACKET_IN 1.2+). */
export abstract class LazyMatch extends LazyMessage {
  get match(): Match { return this.readMatch(); }
  set match(m: Match) { this.writeMatch(m); }
}

/** A lazy match and actions (FLOW_MOD 1.0, PACKET_OUT 1.5). */
export abstract class LazyMatchActions extends LazyMatch {
  get actions(): Action[] { return this.readList('actions') as Action[]; }
  set actions(a: Action[]) { this.writeList(a); }
}

/** A lazy match and instructions (FLOW_MOD 1.1+). */
export abstract class LazyMatchInstructions extends LazyMatch {
  get instructions(): Instruction[] { return this.readList('instructions') as Instruction[]; }
  set instructions(i: Instruction[]) { this.writeList(i); }
}

/** Lazy actions and no match (PACKET_OUT 1.0-1.4). */
export abstract class LazyActions extends LazyMessage {
  get actions(): Action[] { return this.readList('actions') as Action[]; }
  set actions(a: Action[]) { this.writeList(a); }
}
