/**
 * What the switch does with each request of a controller connection, following the negotiated
 * version's rules: FLOW_MOD (add with CHECK_OVERLAP, modify / modify-strict, delete / delete-strict
 * with out_port, out_group and cookie filters), PACKET_OUT, SET_CONFIG / GET_CONFIG, BARRIER,
 * multipart. Everything is handled in arrival order, so a BARRIER_REPLY follows every answer and
 * effect of what came before it. A failure is an ERROR carrying the request's first 64 bytes.
 */
import {
  ERROR_DATA_MAX, OFP10, OFP11, OFP13, OFPP, OfpError, encode, makeError, statsReplies, statsTypeCode, type Action,
  type FlowStatsRequestBody, type Instruction, type OfpMessage, type PacketOutMessage, type StatsReplyBody,
  type StatsRequestMessage,
} from '../ofp/index.js';
import type { Datapath } from './datapath.js';
import { NO_BUFFER, REASON_PACKET_OUT } from './datapath.js';
import { fromMatch, UnsupportedMatch, type FieldSet } from './fields.js';
import { OFPG_ANY, REMOVED_DELETE, type FlowEntry, type FlowFilter } from './flow-table.js';
import {
  GROUP_FEATURES, METER_FEATURES, MP, aggregateBody, answers, descBody, flowStatsEntry, portDescBody, portStatsBody,
  tableFeaturesEntries, tableStatsEntries, type StatsSource,
} from './stats.js';
import {
  OFPFC, OFPFF_CHECK_OVERLAP, OFPFF_RESET_COUNTS, OFPTT_ALL, flowModOf, flowStatsRequestOf, packetOutOf, widenPort10,
  type FlowMod,
} from './wire.js';

/** A request that fails: the OpenFlow error to answer with (names of the request's version). */
class Refusal extends Error {
  constructor(readonly errorType: string, readonly errorCode: string) {
    super(`${errorType}/${errorCode}`);
  }
}

/** Requests this switch does not implement: they get BAD_REQUEST/BAD_TYPE rather than silence. */
const UNSUPPORTED_REQUESTS: ReadonlySet<string> = new Set([
  'GROUP_MOD', 'PORT_MOD', 'TABLE_MOD', 'METER_MOD', 'QUEUE_GET_CONFIG_REQUEST', 'GET_ASYNC_REQUEST', 'SET_ASYNC',
  'BUNDLE_CONTROL', 'BUNDLE_ADD_MESSAGE', 'UNKNOWN',
]);

/** The answers to `msg` (often none); effects on the datapath happen before this returns. */
export function handleRequest(dp: Datapath, src: () => StatsSource, msg: OfpMessage): OfpMessage[] {
  const { version, xid } = msg;
  try {
    switch (msg.type) {
      case 'GET_CONFIG_REQUEST':
        return [{ type: 'GET_CONFIG_REPLY', version, xid, ...dp.config }];
      case 'SET_CONFIG':
        dp.config = { flags: msg.flags, missSendLen: msg.missSendLen };
        return [];
      case 'BARRIER_REQUEST':
        return [{ type: 'BARRIER_REPLY', version, xid }];
      case 'FLOW_MOD':
        flowMod(dp, version, flowModOf(msg));
        return [];
      case 'PACKET_OUT':
        packetOut(dp, version, msg);
        return [];
      case 'STATS_REQUEST':
      case 'MULTIPART_REQUEST':
        return multipart(msg, src());
      case 'VENDOR':
      case 'EXPERIMENTER':
        // No extension is understood here; the error lets a tool fall back to the standard form
        // (ovs-ofctl tries Nicira flow formats first).
        throw new Refusal('BAD_REQUEST', version === OFP10 ? 'BAD_VENDOR' : 'BAD_EXPERIMENTER');
      default:
        if (UNSUPPORTED_REQUESTS.has(msg.type)) throw new Refusal('BAD_REQUEST', 'BAD_TYPE');
        return [];
    }
  } catch (err) {
    return [errorReply(msg, err)];
  }
}

/** The ERROR for a request that failed with `err` (a Refusal or a codec OfpError). */
function errorReply(msg: OfpMessage, err: unknown): OfpMessage {
  const data = encode(msg).subarray(0, ERROR_DATA_MAX);
  if (err instanceof Refusal) return makeError(msg.version, msg.xid, err.errorType, err.errorCode, data);
  if (err instanceof OfpError && err.ofpError) return makeError(msg.version, msg.xid, err.ofpError.type, err.ofpError.code, data);
  // A body shorter than its layout: reads past the end throw RangeError.
  if (err instanceof RangeError) return makeError(msg.version, msg.xid, 'BAD_REQUEST', 'BAD_LEN', data);
  if (err instanceof UnsupportedMatch) {
    return msg.version === OFP10
      ? makeError(msg.version, msg.xid, 'FLOW_MOD_FAILED', 'UNSUPPORTED', data)
      : makeError(msg.version, msg.xid, 'BAD_MATCH', 'BAD_FIELD', data);
  }
  return makeError(msg.version, msg.xid, 'BAD_REQUEST', 'EPERM', data);
}

/**
 * The reserved ports an output may name here (NORMAL and LOCAL have nothing behind them). TABLE
 * only in PACKET_OUT, as the specification says: in a flow it would loop the pipeline.
 */
const RESERVED_OUTPUTS: ReadonlySet<number> = new Set([OFPP.CONTROLLER, OFPP.FLOOD, OFPP.ALL, OFPP.IN_PORT]);

function checkActions(version: number, actions: readonly Action[], nPorts: number, packetOut = false): void {
  for (const a of actions) {
    if (a.type === 'OUTPUT') {
      const ok = (a.port >= 1 && a.port <= nPorts) || RESERVED_OUTPUTS.has(a.port) || (packetOut && a.port === OFPP.TABLE);
      if (!ok) throw new Refusal('BAD_ACTION', 'BAD_OUT_PORT');
    } else if (a.type === 'GROUP') {
      throw new Refusal('BAD_ACTION', 'BAD_OUT_GROUP');
    } else if (a.type === 'SET_FIELD') {
      const keys = Object.keys(a.field);
      if (keys.length !== 1 || (keys[0] !== 'ethSrc' && keys[0] !== 'ethDst')) throw new Refusal('BAD_ACTION', version >= 3 ? 'BAD_SET_TYPE' : 'BAD_TYPE');
    } else if (a.type !== 'SET_DL_SRC' && a.type !== 'SET_DL_DST') {
      throw new Refusal('BAD_ACTION', 'BAD_TYPE');
    }
  }
}

function checkInstructions(version: number, fm: FlowMod, nTables: number, nPorts: number): void {
  for (const i of fm.instructions) {
    if (i.type === 'APPLY_ACTIONS' || i.type === 'WRITE_ACTIONS') checkActions(version, i.actions, nPorts);
    else if (i.type === 'GOTO_TABLE') {
      if (i.tableId <= fm.tableId || i.tableId >= nTables) throw new Refusal('BAD_INSTRUCTION', 'BAD_TABLE_ID');
    } else if (i.type !== 'CLEAR_ACTIONS' && i.type !== 'WRITE_METADATA') {
      throw new Refusal('BAD_INSTRUCTION', 'UNSUP_INST');
    }
  }
}

function flowMod(dp: Datapath, version: number, fm: FlowMod): void {
  const nTables = dp.tables.length;
  if (fm.command > OFPFC.DELETE_STRICT) throw new Refusal('FLOW_MOD_FAILED', 'BAD_COMMAND');
  const deleting = fm.command === OFPFC.DELETE || fm.command === OFPFC.DELETE_STRICT;
  const all = fm.tableId === OFPTT_ALL && (deleting || version === OFP10);
  if (!all && fm.tableId >= nTables) {
    throw new Refusal('FLOW_MOD_FAILED', version === OFP10 ? 'UNSUPPORTED' : 'BAD_TABLE_ID');
  }
  const fields = fromMatch(fm.match);
  if (!deleting) checkInstructions(version, fm, nTables, dp.ports.length);
  const tables = all ? dp.tables : [dp.tables[fm.tableId]!];
  const strict = fm.command === OFPFC.MODIFY_STRICT || fm.command === OFPFC.DELETE_STRICT;
  const filter: FlowFilter = {
    fields, strict, priority: fm.priority, outPort: deleting ? fm.outPort : OFPP.ANY,
    outGroup: deleting ? fm.outGroup : OFPG_ANY, cookie: fm.cookie, cookieMask: version === OFP10 ? 0n : fm.cookieMask,
  };
  if (deleting) {
    for (const t of tables) {
      const gone = t.select(filter);
      t.remove(gone);
      for (const e of gone) if (e.flags & 1) dp.flowRemoved(e, REMOVED_DELETE);
    }
    dp.armExpiry();
    return;
  }
  if (fm.command !== OFPFC.ADD) {
    const hits = tables.flatMap((t) => t.select(filter));
    // 1.0 and 1.1: a modify that matches nothing is an add; 1.2+ leave the table alone.
    if (hits.length > 0 || version > OFP11) {
      const now = dp.clock.now();
      for (const e of hits) {
        dp.tables[e.tableId]!.reinstruct(e, fm.instructions, fm.wireBytes);
        if (version >= OFP13 && fm.flags & OFPFF_RESET_COUNTS) Object.assign(e, { packetCount: 0n, byteCount: 0n, installedAt: now });
      }
      applyBuffer(dp, fm);
      return;
    }
  }
  add(dp, version, fm, fields, all ? 0 : fm.tableId);
}

function add(dp: Datapath, version: number, fm: FlowMod, fields: FieldSet, tableId: number): void {
  const table = dp.tables[tableId]!;
  if (fm.flags & OFPFF_CHECK_OVERLAP && table.overlapping(fields, fm.priority)) throw new Refusal('FLOW_MOD_FAILED', 'OVERLAP');
  // Entries are bounded in number per table and in bytes for the whole datapath: a controller
  // sending large flows must not grow the emulator without limit.
  const bytes = dp.tables.reduce((n, t) => n + t.bytes, 0);
  if ((table.size >= table.maxEntries && !table.identical(fields, fm.priority)) || bytes + fm.wireBytes > dp.options.maxFlowBytes) {
    throw new Refusal('FLOW_MOD_FAILED', version === OFP10 ? 'ALL_TABLES_FULL' : 'TABLE_FULL');
  }
  const now = dp.clock.now();
  const entry: FlowEntry = {
    tableId, priority: fm.priority, match: fm.match, fields, cookie: fm.cookie, idleTimeout: fm.idleTimeout,
    hardTimeout: fm.hardTimeout, flags: fm.flags, importance: fm.importance, instructions: fm.instructions as Instruction[],
    installedAt: now, lastUsedAt: now, packetCount: 0n, byteCount: 0n, wireBytes: fm.wireBytes,
  };
  table.insert(entry);
  dp.armExpiry();
  applyBuffer(dp, fm);
}

/** A FLOW_MOD naming a buffered packet sends it through the tables, as a PACKET_OUT to TABLE would. */
function applyBuffer(dp: Datapath, fm: FlowMod): void {
  if (fm.bufferId === NO_BUFFER) return;
  const b = dp.takeBuffer(fm.bufferId);
  if (!b) throw new Refusal('BAD_REQUEST', 'BUFFER_UNKNOWN');
  dp.pipeline(b.inPort, b.frame);
}

function packetOut(dp: Datapath, version: number, msg: PacketOutMessage): void {
  const po = packetOutOf(msg);
  checkActions(version, po.actions, dp.ports.length, true);
  let frame = po.data;
  let inPort = po.inPort;
  if (po.bufferId !== NO_BUFFER) {
    const b = dp.takeBuffer(po.bufferId);
    if (!b) throw new Refusal('BAD_REQUEST', 'BUFFER_UNKNOWN');
    frame = b.frame;
    inPort = b.inPort;
  }
  dp.execute(po.actions, inPort, frame, REASON_PACKET_OUT, 0, 0n);
}

function multipart(msg: StatsRequestMessage, src: StatsSource): OfpMessage[] {
  const { version, xid } = msg;
  // PORT_DESC before 1.3 is the Open vSwitch extension: the codec leaves it RAW, with its number.
  const type = msg.stats === 'RAW' ? msg.statsType : statsTypeCode(msg.stats, version)!;
  if (!answers(version, type)) throw new Refusal('BAD_REQUEST', version <= 3 ? 'BAD_STAT' : 'BAD_MULTIPART');
  const reply = (body: StatsReplyBody): OfpMessage[] => statsReplies(version, xid, body);
  switch (type) {
    case MP.DESC: return reply(descBody(src));
    case MP.FLOW:
    case MP.AGGREGATE: {
      const { tableId, filter } = flowStatsRequestOf(version, msg as StatsRequestMessage & FlowStatsRequestBody);
      const tables = tableId === OFPTT_ALL ? src.tables : src.tables.filter((t) => t.tableId === tableId);
      const entries = tables.flatMap((t) => t.select(filter));
      return reply(type === MP.FLOW ? { stats: 'FLOW', entries: entries.map((e) => flowStatsEntry(version, e, src.now)) } : aggregateBody(entries));
    }
    case MP.TABLE: return reply({ stats: 'TABLE', entries: tableStatsEntries(version, src.tables) });
    case MP.PORT_STATS: {
      const portNo = (msg as { portNo?: number }).portNo ?? OFPP.ANY;
      return reply(portStatsBody(version, src.ports, version === OFP10 ? widenPort10(portNo) : portNo, src.now));
    }
    case MP.PORT_DESC: return reply(portDescBody(version, src.ports));
    case MP.TABLE_FEATURES:
      // A body would set the features: this emulator's tables are fixed.
      if ((msg as { entries?: unknown[] }).entries?.length) throw new Refusal('TABLE_FEATURES_FAILED', 'EPERM');
      return reply({ stats: 'TABLE_FEATURES', entries: tableFeaturesEntries(src.tables) });
    case MP.GROUP_FEATURES: return reply(GROUP_FEATURES);
    case MP.METER_FEATURES: return reply(METER_FEATURES);
    // queue, group, group desc, meter, meter config: none exist
    default: return reply({ stats: msg.stats, entries: [] } as StatsReplyBody);
  }
}
