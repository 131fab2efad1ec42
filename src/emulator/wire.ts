/**
 * The emulator's view of the codec's typed messages: requests with one port numbering (1.0's
 * 16-bit ports widened to the 32-bit ones 1.1+ use) and defaults for what a version lacks, and the
 * asynchronous messages (PACKET_IN, FLOW_REMOVED, PORT_STATUS) built in each version's form.
 */
import {
  OFP10, OFP11, OFP13, OFP15, OFPP, decodeMatch, encode, type Action, type FlowMod10Message,
  type FlowMod13Message, type FlowModMessage, type FlowRemovedMessage, type OfpPort,
  type PacketInMessage, type PacketOut10Message, type PacketOut15Message, type PacketOutMessage,
  type PortStatusMessage, type FlowStatsRequestBody,
} from '../ofp/index.js';
import { OFPG_ANY, type FlowEntry, type FlowFilter } from './flow-table.js';
import { fromMatch } from './fields.js';
import { durationWords } from './ports.js';

/** A 1.0 port (16 bits) as the 32-bit number 1.1+ use: reserved ports 0xff00+ become 0xffffff00+. */
export const widenPort10 = (p: number): number => (p >= 0xff00 ? (p + 0xffff0000) >>> 0 : p);

/** 1.0 actions with their ports widened, so the rest of the emulator sees one numbering. */
function widenActions10(actions: Action[]): Action[] {
  return actions.map((a) => (a.type === 'OUTPUT' || a.type === 'ENQUEUE' ? { ...a, port: widenPort10(a.port) } : a));
}

/** FLOW_MOD as the emulator keeps it: every version in the 1.1+ form, 1.0's actions as one APPLY_ACTIONS. */
export type FlowMod = Omit<FlowMod13Message, 'type' | 'version' | 'xid' | 'padding' | 'importance'> & {
  importance: number;
  /** The message's length on the wire. */
  wireBytes: number;
};

export const OFPFC = { ADD: 0, MODIFY: 1, MODIFY_STRICT: 2, DELETE: 3, DELETE_STRICT: 4 } as const;
export const OFPFF_SEND_FLOW_REM = 1;
export const OFPFF_CHECK_OVERLAP = 2;
/** 1.3+ (1.0 uses this bit for EMERG). */
export const OFPFF_RESET_COUNTS = 4;
export const OFPTT_ALL = 0xff;

/**
 * The FLOW_MOD's fields, its match and instructions read now: a malformed one throws OfpError
 * (with the OpenFlow error to send) before anything is checked, whatever the command.
 */
export function flowModOf(msg: FlowModMessage): FlowMod {
  const wireBytes = encode(msg).length;
  if (msg.version === OFP10) {
    const m = msg as FlowMod10Message;
    return {
      match: m.match, cookie: m.cookie, cookieMask: 0n, tableId: 0, command: m.command, idleTimeout: m.idleTimeout,
      hardTimeout: m.hardTimeout, priority: m.priority, bufferId: m.bufferId, outPort: widenPort10(m.outPort),
      outGroup: OFPG_ANY, flags: m.flags, importance: 0,
      instructions: [{ type: 'APPLY_ACTIONS', actions: widenActions10(m.actions) }], wireBytes,
    };
  }
  const m = msg as FlowMod13Message;
  return { ...m, importance: m.importance ?? 0, match: m.match, instructions: m.instructions, wireBytes };
}

export interface PacketOut {
  bufferId: number;
  inPort: number;
  actions: Action[];
  data: Buffer;
}

/**
 * PACKET_OUT with one port numbering (1.0 widened; 1.5's in_port from its match). The frame is
 * copied: it goes on to outputs and buffers, and must not keep the received bytes alive.
 */
export function packetOutOf(msg: PacketOutMessage): PacketOut {
  const data = Buffer.from(msg.data);
  if (msg.version >= OFP15) {
    const m = msg as PacketOut15Message;
    return { bufferId: m.bufferId, inPort: m.match.inPort ?? OFPP.CONTROLLER, actions: m.actions, data };
  }
  const m = msg as PacketOut10Message;
  if (m.version === OFP10) return { bufferId: m.bufferId, inPort: widenPort10(m.inPort), actions: widenActions10(m.actions), data };
  return { bufferId: m.bufferId, inPort: m.inPort, actions: m.actions, data };
}

/** What a flow / aggregate stats request selects: its table, and a filter with ports widened and 1.0's defaults. */
export function flowStatsRequestOf(version: number, req: FlowStatsRequestBody): { tableId: number; filter: FlowFilter } {
  // A match the codec could not read is kept as bytes: reading it here throws the error to send.
  const match = req.match ?? decodeMatch(version, req.matchBytes ?? Buffer.alloc(0), 0);
  return {
    tableId: req.tableId,
    filter: {
      fields: fromMatch(match), strict: false, priority: 0, outPort: version === OFP10 ? widenPort10(req.outPort) : req.outPort,
      outGroup: req.outGroup ?? OFPG_ANY, cookie: req.cookie ?? 0n, cookieMask: req.cookieMask ?? 0n,
    },
  };
}

export interface PacketInFields {
  bufferId: number;
  totalLen: number;
  /** 32-bit numbering (1.0's encoder narrows reserved ports back). */
  inPort: number;
  /** The version's OFPR_ number. */
  reason: number;
  tableId: number;
  cookie: bigint;
  data: Buffer;
}

/** PACKET_IN in `version`'s layout (1.2+ carry in_port in the match, 1.3+ the cookie). */
export function packetIn(version: number, p: PacketInFields): PacketInMessage {
  const head = { type: 'PACKET_IN' as const, version, xid: 0, bufferId: p.bufferId, totalLen: p.totalLen, reason: p.reason };
  if (version === OFP10) return { ...head, inPort: p.inPort, data: p.data };
  if (version === OFP11) return { ...head, inPort: p.inPort, inPhyPort: p.inPort, tableId: p.tableId, data: p.data };
  return { ...head, tableId: p.tableId, ...(version >= OFP13 ? { cookie: p.cookie } : {}), match: { inPort: p.inPort }, data: p.data };
}

/** FLOW_REMOVED for `entry` in `version`'s layout (1.5: the counters as OXS statistics). */
export function flowRemoved(version: number, entry: FlowEntry, reason: number, durationMs: number): FlowRemovedMessage {
  const [durationSec, durationNsec] = durationWords(durationMs);
  const common = {
    type: 'FLOW_REMOVED' as const, version, xid: 0, match: entry.match, cookie: entry.cookie, priority: entry.priority,
    reason, idleTimeout: entry.idleTimeout, durationSec, durationNsec, packetCount: entry.packetCount, byteCount: entry.byteCount,
  };
  return version === OFP10 ? common : { ...common, tableId: entry.tableId, hardTimeout: entry.hardTimeout };
}

/** PORT_STATUS (reason ADD 0, DELETE 1, MODIFY 2) for one port. */
export function portStatus(version: number, reason: number, desc: OfpPort): PortStatusMessage {
  return { type: 'PORT_STATUS', version, xid: 0, reason, desc };
}
