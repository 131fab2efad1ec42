/**
 * PACKET_IN, PACKET_OUT, FLOW_MOD and FLOW_REMOVED in each version's layout. `match`, `actions`
 * and `instructions` of a decoded message are read from the wire on first access (src/ofp/lazy.ts);
 * to build one, give plain values. Encode also takes already-encoded bytes (a Buffer) for any of
 * the three.
 *
 * Ports are the version's own numbers (16 bits in 1.0). Builders may leave out `match` where the
 * version carries in_port in it (PACKET_IN 1.2+, PACKET_OUT 1.5): `inPort` then becomes the match.
 */
import type { Buffer } from 'node:buffer';
import type { Match } from './match-types.js';
import type { Action } from './actions.js';
import type { Instruction } from './instructions.js';

interface Base {
  version: number;
  xid: number;
}

/** PACKET_IN 1.0. */
export interface PacketIn10Message extends Base {
  type: 'PACKET_IN';
  bufferId: number;
  totalLen: number;
  inPort: number;
  reason: number;
  data: Buffer;
  padding?: Buffer;
}

/** PACKET_IN 1.1: in_port and in_phy_port as fields, no match. */
export interface PacketIn11Message extends Base {
  type: 'PACKET_IN';
  bufferId: number;
  inPort: number;
  inPhyPort: number;
  totalLen: number;
  reason: number;
  tableId: number;
  data: Buffer;
}

/** PACKET_IN 1.2 (no cookie) and 1.3-1.5 (`cookie`): in_port is `match.inPort`. */
export interface PacketIn13Message extends Base {
  type: 'PACKET_IN';
  bufferId: number;
  totalLen: number;
  reason: number;
  tableId: number;
  /** 1.3+. */
  cookie?: bigint;
  match: Match;
  data: Buffer;
  /** The 2 bytes between match and data, when not zero. */
  padding?: Buffer;
}

/** PACKET_OUT 1.0 (16-bit in_port) and 1.1-1.4 (32-bit, `padding` the 6 bytes after actions_len). */
export interface PacketOut10Message extends Base {
  type: 'PACKET_OUT';
  bufferId: number;
  inPort: number;
  actions: Action[];
  data: Buffer;
  padding?: Buffer;
}
export type PacketOut13Message = PacketOut10Message;

/** PACKET_OUT 1.5: the match (in_port and pipeline fields) replaces in_port. */
export interface PacketOut15Message extends Base {
  type: 'PACKET_OUT';
  bufferId: number;
  match: Match;
  actions: Action[];
  data: Buffer;
  padding?: Buffer;
}

/** What FLOW_MOD carries in every version. */
interface FlowModFields extends Base {
  type: 'FLOW_MOD';
  match: Match;
  cookie: bigint;
  command: number;
  idleTimeout: number;
  hardTimeout: number;
  priority: number;
  bufferId: number;
  outPort: number;
  flags: number;
}

/** FLOW_MOD 1.0: actions, no tables. */
export interface FlowMod10Message extends FlowModFields {
  actions: Action[];
}

/** FLOW_MOD 1.1-1.5. */
export interface FlowMod13Message extends FlowModFields {
  cookieMask: bigint;
  tableId: number;
  outGroup: number;
  /** 1.4+ (bytes 46-47; padding before). */
  importance?: number;
  instructions: Instruction[];
  padding?: Buffer;
}

/** What FLOW_REMOVED carries in every version. */
interface FlowRemovedFields extends Base {
  type: 'FLOW_REMOVED';
  match: Match;
  cookie: bigint;
  priority: number;
  reason: number;
  idleTimeout: number;
  trailing?: Buffer;
}

/** FLOW_REMOVED 1.0. */
export interface FlowRemoved10Message extends FlowRemovedFields {
  durationSec: number;
  durationNsec: number;
  packetCount: bigint;
  byteCount: bigint;
  /** pad1 and pad2 (3 bytes), when not zero. */
  padding?: Buffer;
}

/** FLOW_REMOVED 1.1-1.4 (1.1 declares hard_timeout's bytes as padding; Open vSwitch fills them as 1.2 does). */
export interface FlowRemoved13Message extends FlowRemovedFields {
  tableId: number;
  durationSec: number;
  durationNsec: number;
  hardTimeout: number;
  packetCount: bigint;
  byteCount: bigint;
}

/**
 * FLOW_REMOVED 1.5: the counters moved into an OXS `ofp_stats`; the fields it carries are lifted
 * here (those it lacks are absent). `oxsBytes` keeps the list whole when it is not the one the
 * fields would give back (other order, unknown TLVs, non-zero padding) and is then written instead.
 */
export interface FlowRemoved15Message extends FlowRemovedFields {
  tableId: number;
  hardTimeout: number;
  durationSec?: number;
  durationNsec?: number;
  idleSec?: number;
  idleNsec?: number;
  packetCount?: bigint;
  byteCount?: bigint;
  flowCount?: number;
  oxsBytes?: Buffer;
}

export type PacketInMessage = PacketIn10Message | PacketIn11Message | PacketIn13Message;
export type PacketOutMessage = PacketOut10Message | PacketOut15Message;
export type FlowModMessage = FlowMod10Message | FlowMod13Message;
export type FlowRemovedMessage = FlowRemoved10Message | FlowRemoved13Message | FlowRemoved15Message;
