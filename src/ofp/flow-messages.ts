/**
 * FLOW_MOD and FLOW_REMOVED of every version 1.0-1.5. The fixed fields are read at decode; the
 * match and the action/instruction list are LazyMessage fields, decoded on first read and
 * re-encoded from their original bytes unless assigned.
 */
import type {
  FlowMod10Message, FlowMod13Message, FlowRemoved10Message, FlowRemoved13Message, FlowRemoved15Message,
} from './flow-types.js';
import type { Action } from './actions.js';
import type { Instruction } from './instructions.js';
import { Buffer } from 'node:buffer';
import type { Match } from './match-types.js';
import { LazyMessage } from './lazy.js';
import { listBytes, matchBytes, matchEnd, resolve, take, u64 } from './flow-parts.js';
import { port10 } from './match.js';
import { OFP10, OFP14 } from './versions.js';
import { rest, requireLength, unencodable, writePadding, type Codec } from './wire.js';
import { oxsLength, oxsSizeAt, readOxs, writeOxs } from './multipart/oxs.js';

// ---- FLOW_MOD ----------------------------------------------------------------------------------

class FlowMod10 extends LazyMessage implements FlowMod10Message {
  declare type: 'FLOW_MOD';
  declare xid: number;
  declare cookie: bigint;
  declare command: number;
  declare idleTimeout: number;
  declare hardTimeout: number;
  declare priority: number;
  declare bufferId: number;
  declare outPort: number;
  declare flags: number;
  constructor(buf: Buffer, version: number, xid: number) {
    requireLength(buf, 72, 'FLOW_MOD');
    super(buf, 8, 48, 72, buf.length);
    this.type = 'FLOW_MOD';
    this.version = version;
    this.xid = xid;
    this.cookie = buf.readBigUInt64BE(48);
    this.command = buf.readUInt16BE(56);
    this.idleTimeout = buf.readUInt16BE(58);
    this.hardTimeout = buf.readUInt16BE(60);
    this.priority = buf.readUInt16BE(62);
    this.bufferId = buf.readUInt32BE(64);
    this.outPort = buf.readUInt16BE(68);
    this.flags = buf.readUInt16BE(70);
  }
  get match(): Match { return this.readMatch(); }
  set match(m: Match) { this.writeMatch(m); }
  get actions(): Action[] { return this.readList('actions') as Action[]; }
  set actions(a: Action[]) { this.writeList(a); }
}

/** ofp_flow_mod 1.0: match[40], cookie, command, timeouts, priority, buffer_id, out_port, flags, actions. */
export const flowMod10Codec: Codec<FlowMod10Message> = {
  decode: (buf, version, xid) => new FlowMod10(buf, version, xid),
  bodyLength: (m) => 24 + resolve(m, matchBytes(m, OFP10, false), listBytes(m, OFP10, 'actions')),
  encodeBody(m, out) {
    const { match, list } = take(m, () => flowMod10Codec.bodyLength(m));
    match.copy(out, 8);
    out.writeBigUInt64BE(u64(m.cookie), 48);
    out.writeUInt16BE(m.command, 56);
    out.writeUInt16BE(m.idleTimeout, 58);
    out.writeUInt16BE(m.hardTimeout, 60);
    out.writeUInt16BE(m.priority, 62);
    out.writeUInt32BE(m.bufferId >>> 0, 64);
    out.writeUInt16BE(port10(m.outPort, 'outPort'), 68);
    out.writeUInt16BE(m.flags, 70);
    list.copy(out, 72);
  },
};

class FlowMod extends LazyMessage implements FlowMod13Message {
  declare type: 'FLOW_MOD';
  declare xid: number;
  declare cookie: bigint;
  declare cookieMask: bigint;
  declare tableId: number;
  declare command: number;
  declare idleTimeout: number;
  declare hardTimeout: number;
  declare priority: number;
  declare bufferId: number;
  declare outPort: number;
  declare outGroup: number;
  declare flags: number;
  declare importance?: number;
  declare padding?: Buffer;
  constructor(buf: Buffer, version: number, xid: number) {
    requireLength(buf, 48, 'FLOW_MOD');
    const end = matchEnd(version, buf, 48, 'FLOW_MOD');
    super(buf, 48, end, end, buf.length);
    this.type = 'FLOW_MOD';
    this.version = version;
    this.xid = xid;
    this.cookie = buf.readBigUInt64BE(8);
    this.cookieMask = buf.readBigUInt64BE(16);
    this.tableId = buf[24]!;
    this.command = buf[25]!;
    this.idleTimeout = buf.readUInt16BE(26);
    this.hardTimeout = buf.readUInt16BE(28);
    this.priority = buf.readUInt16BE(30);
    this.bufferId = buf.readUInt32BE(32);
    this.outPort = buf.readUInt32BE(36);
    this.outGroup = buf.readUInt32BE(40);
    this.flags = buf.readUInt16BE(44);
    if (version >= OFP14) this.importance = buf.readUInt16BE(46);
    else if (buf[46] !== 0 || buf[47] !== 0) this.padding = buf.subarray(46, 48);
  }
  get match(): Match { return this.readMatch(); }
  set match(m: Match) { this.writeMatch(m); }
  get instructions(): Instruction[] { return this.readList('instructions') as Instruction[]; }
  set instructions(i: Instruction[]) { this.writeList(i); }
}

/** ofp_flow_mod 1.1-1.5: cookie, cookie_mask, table_id, command, ..., flags, pad[2] / importance, match, instructions. */
export const flowMod13Codec: Codec<FlowMod13Message> = {
  decode: (buf, version, xid) => new FlowMod(buf, version, xid),
  bodyLength: (m) => 40 + resolve(m, matchBytes(m, m.version, false), listBytes(m, m.version, 'instructions')),
  encodeBody(m, out) {
    const { match, list } = take(m, () => flowMod13Codec.bodyLength(m));
    out.writeBigUInt64BE(u64(m.cookie), 8);
    out.writeBigUInt64BE(u64(m.cookieMask), 16);
    out[24] = m.tableId;
    out[25] = m.command;
    out.writeUInt16BE(m.idleTimeout, 26);
    out.writeUInt16BE(m.hardTimeout, 28);
    out.writeUInt16BE(m.priority, 30);
    out.writeUInt32BE(m.bufferId >>> 0, 32);
    out.writeUInt32BE(m.outPort >>> 0, 36);
    out.writeUInt32BE(m.outGroup >>> 0, 40);
    out.writeUInt16BE(m.flags, 44);
    if (m.version >= OFP14) out.writeUInt16BE(m.importance ?? 0, 46);
    else writePadding(out, 46, 2, m.padding);
    match.copy(out, 48);
    list.copy(out, 48 + match.length);
  },
};

// ---- FLOW_REMOVED ------------------------------------------------------------------------------

class FlowRemoved10 extends LazyMessage implements FlowRemoved10Message {
  declare type: 'FLOW_REMOVED';
  declare xid: number;
  declare cookie: bigint;
  declare priority: number;
  declare reason: number;
  declare durationSec: number;
  declare durationNsec: number;
  declare idleTimeout: number;
  declare packetCount: bigint;
  declare byteCount: bigint;
  declare padding?: Buffer;
  declare trailing?: Buffer;
  constructor(buf: Buffer, version: number, xid: number) {
    requireLength(buf, 88, 'FLOW_REMOVED');
    super(buf, 8, 48, -1, -1);
    this.type = 'FLOW_REMOVED';
    this.version = version;
    this.xid = xid;
    this.cookie = buf.readBigUInt64BE(48);
    this.priority = buf.readUInt16BE(56);
    this.reason = buf[58]!;
    this.durationSec = buf.readUInt32BE(60);
    this.durationNsec = buf.readUInt32BE(64);
    this.idleTimeout = buf.readUInt16BE(68);
    this.packetCount = buf.readBigUInt64BE(72);
    this.byteCount = buf.readBigUInt64BE(80);
    if (buf[59] !== 0 || buf[70] !== 0 || buf[71] !== 0) this.padding = Buffer.from([buf[59]!, buf[70]!, buf[71]!]);
    if (buf.length > 88) this.trailing = buf.subarray(88);
  }
  get match(): Match { return this.readMatch(); }
  set match(m: Match) { this.writeMatch(m); }
}

/** ofp_flow_removed 1.0: match[40], cookie, priority, reason, pad, durations, idle_timeout, pad[2], counters. */
export const flowRemoved10Codec: Codec<FlowRemoved10Message> = {
  decode: (buf, version, xid) => new FlowRemoved10(buf, version, xid),
  bodyLength: (m) => 40 + (m.trailing?.length ?? 0) + resolve(m, matchBytes(m, OFP10, false), undefined),
  encodeBody(m, out) {
    const { match } = take(m, () => flowRemoved10Codec.bodyLength(m));
    if (m.padding && m.padding.length !== 3) throw unencodable('FLOW_REMOVED 1.0 padding must be 3 bytes');
    match.copy(out, 8);
    out.writeBigUInt64BE(u64(m.cookie), 48);
    out.writeUInt16BE(m.priority, 56);
    out[58] = m.reason;
    out[59] = m.padding?.[0] ?? 0;
    out.writeUInt32BE(m.durationSec >>> 0, 60);
    out.writeUInt32BE(m.durationNsec >>> 0, 64);
    out.writeUInt16BE(m.idleTimeout, 68);
    out[70] = m.padding?.[1] ?? 0;
    out[71] = m.padding?.[2] ?? 0;
    out.writeBigUInt64BE(u64(m.packetCount), 72);
    out.writeBigUInt64BE(u64(m.byteCount), 80);
    m.trailing?.copy(out, 88);
  },
};

class FlowRemoved extends LazyMessage implements FlowRemoved13Message {
  declare type: 'FLOW_REMOVED';
  declare xid: number;
  declare cookie: bigint;
  declare priority: number;
  declare reason: number;
  declare tableId: number;
  declare durationSec: number;
  declare durationNsec: number;
  declare idleTimeout: number;
  declare hardTimeout: number;
  declare packetCount: bigint;
  declare byteCount: bigint;
  declare trailing?: Buffer;
  constructor(buf: Buffer, version: number, xid: number) {
    requireLength(buf, 52, 'FLOW_REMOVED');
    const end = matchEnd(version, buf, 48, 'FLOW_REMOVED');
    super(buf, 48, end, -1, -1);
    this.type = 'FLOW_REMOVED';
    this.version = version;
    this.xid = xid;
    this.cookie = buf.readBigUInt64BE(8);
    this.priority = buf.readUInt16BE(16);
    this.reason = buf[18]!;
    this.tableId = buf[19]!;
    this.durationSec = buf.readUInt32BE(20);
    this.durationNsec = buf.readUInt32BE(24);
    this.idleTimeout = buf.readUInt16BE(28);
    // 1.1's struct has 2 pad bytes here; Open vSwitch sends hard_timeout in them, as 1.2 does.
    this.hardTimeout = buf.readUInt16BE(30);
    this.packetCount = buf.readBigUInt64BE(32);
    this.byteCount = buf.readBigUInt64BE(40);
    if (buf.length > end) this.trailing = buf.subarray(end);
  }
  get match(): Match { return this.readMatch(); }
  set match(m: Match) { this.writeMatch(m); }
}

/** ofp_flow_removed 1.1-1.4: cookie, priority, reason, table_id, durations, timeouts, counters, match. */
export const flowRemoved13Codec: Codec<FlowRemoved13Message> = {
  decode: (buf, version, xid) => new FlowRemoved(buf, version, xid),
  bodyLength: (m) => 40 + (m.trailing?.length ?? 0) + resolve(m, matchBytes(m, m.version, false), undefined),
  encodeBody(m, out) {
    const { match } = take(m, () => flowRemoved13Codec.bodyLength(m));
    out.writeBigUInt64BE(u64(m.cookie), 8);
    out.writeUInt16BE(m.priority, 16);
    out[18] = m.reason;
    out[19] = m.tableId;
    out.writeUInt32BE(m.durationSec >>> 0, 20);
    out.writeUInt32BE(m.durationNsec >>> 0, 24);
    out.writeUInt16BE(m.idleTimeout, 28);
    out.writeUInt16BE(m.hardTimeout, 30);
    out.writeBigUInt64BE(u64(m.packetCount), 32);
    out.writeBigUInt64BE(u64(m.byteCount), 40);
    match.copy(out, 48);
    m.trailing?.copy(out, 48 + match.length);
  },
};

class FlowRemoved15 extends LazyMessage implements FlowRemoved15Message {
  declare type: 'FLOW_REMOVED';
  declare xid: number;
  declare cookie: bigint;
  declare priority: number;
  declare reason: number;
  declare tableId: number;
  declare idleTimeout: number;
  declare hardTimeout: number;
  declare durationSec?: number;
  declare durationNsec?: number;
  declare idleSec?: number;
  declare idleNsec?: number;
  declare packetCount?: bigint;
  declare byteCount?: bigint;
  declare flowCount?: number;
  declare oxsBytes?: Buffer;
  declare trailing?: Buffer;
  constructor(buf: Buffer, version: number, xid: number) {
    requireLength(buf, 28, 'FLOW_REMOVED');
    const end = matchEnd(version, buf, 24, 'FLOW_REMOVED');
    super(buf, 24, end, -1, -1);
    this.type = 'FLOW_REMOVED';
    this.version = version;
    this.xid = xid;
    this.tableId = buf[8]!;
    this.reason = buf[9]!;
    this.priority = buf.readUInt16BE(10);
    this.idleTimeout = buf.readUInt16BE(12);
    this.hardTimeout = buf.readUInt16BE(14);
    this.cookie = buf.readBigUInt64BE(16);
    const size = oxsSizeAt(buf, end, buf.length);
    readOxs(buf, end, size, this as unknown as Record<string, unknown>);
    if (end + size < buf.length) this.trailing = buf.subarray(end + size);
  }
  get match(): Match { return this.readMatch(); }
  set match(m: Match) { this.writeMatch(m); }
}

/** ofp_flow_removed 1.5: table_id, reason, priority, idle/hard timeouts, cookie, match, ofp_stats (OXS counters). */
export const flowRemoved15Codec: Codec<FlowRemoved15Message> = {
  decode: (buf, version, xid) => new FlowRemoved15(buf, version, xid),
  bodyLength: (m) => 16 + oxsLength(m as unknown as Record<string, unknown>) + (m.trailing?.length ?? 0)
    + resolve(m, matchBytes(m, m.version, false), undefined),
  encodeBody(m, out) {
    const { match } = take(m, () => flowRemoved15Codec.bodyLength(m));
    out[8] = m.tableId;
    out[9] = m.reason;
    out.writeUInt16BE(m.priority, 10);
    out.writeUInt16BE(m.idleTimeout, 12);
    out.writeUInt16BE(m.hardTimeout, 14);
    out.writeBigUInt64BE(u64(m.cookie), 16);
    match.copy(out, 24);
    const end = 24 + match.length;
    const size = writeOxs(m as unknown as Record<string, unknown>, out, end);
    m.trailing?.copy(out, end + size);
  },
};

