/**
 * FLOW_MOD and FLOW_REMOVED of every version 1.0-1.5. The fixed fields are one layout per version
 * (struct.ts), read at decode and written at encode from the same list; the match and the
 * action/instruction list are lazy fields (lazy.ts), decoded on first read and re-encoded from
 * their original bytes unless assigned: each decoder makes the message as its lazy kind and assigns
 * the plain fields.
 */
import type {
  FlowMod10Message, FlowMod13Message, FlowRemoved10Message, FlowRemoved13Message, FlowRemoved15Message,
} from './flow-types.js';
import type { Buffer } from 'node:buffer';
import { LazyMatch, LazyMatchActions, LazyMatchInstructions } from './lazy.js';
import { listBytes, matchBytes, matchEnd, resolve, take } from './flow-parts.js';
import { port10 } from './match.js';
import { PAD, struct, type Struct } from './struct.js';
import { OFP10, OFP14 } from './versions.js';
import { codecAt, copyBytes, requireLength, type Codec } from './wire.js';
import { oxsLength, oxsSizeAt, readOxs, writeOxs } from './multipart/oxs.js';

type Fields = Record<string, unknown>;
const fields = (m: object): Fields => m as unknown as Fields;

// ---- FLOW_MOD ----------------------------------------------------------------------------------

/** ofp_flow_mod 1.0 after match[40]: cookie, command, timeouts, priority, buffer_id, out_port, flags. */
const flowMod10 = struct([['cookie', 'u64'], ['command', 'u16'], ['idleTimeout', 'u16'], ['hardTimeout', 'u16'],
  ['priority', 'u16'], ['bufferId', 'u32'], ['outPort', 'u16'], ['flags', 'u16']]);
/** ofp_flow_mod 1.1-1.5 before the match: 1.4 turned the last pad[2] into importance. */
const flowModHead = (last: [string, ReturnType<typeof PAD> | 'u16']): Struct => struct([['cookie', 'u64'],
  ['cookieMask', 'u64'], ['tableId', 'u8'], ['command', 'u8'], ['idleTimeout', 'u16'], ['hardTimeout', 'u16'],
  ['priority', 'u16'], ['bufferId', 'u32'], ['outPort', 'u32'], ['outGroup', 'u32'], ['flags', 'u16'], last]);
const flowMod11 = flowModHead(['', PAD(2)]);
const flowMod14 = flowModHead(['importance', 'u16']);
const flowModLayout = (v: number): Struct => (v >= OFP14 ? flowMod14 : flowMod11);

function flowMod10Message(buf: Buffer, version: number, xid: number): FlowMod10Message {
  requireLength(buf, 72, 'FLOW_MOD');
  const m = new LazyMatchActions(buf, 8, 48, 72, buf.length);
  Object.assign(m, { type: 'FLOW_MOD', version, xid });
  flowMod10.read(buf, 48, fields(m));
  return m as unknown as FlowMod10Message;
}

/** ofp_flow_mod 1.0: match[40], the fixed fields, actions. */
export const flowMod10Codec: Codec<FlowMod10Message> = codecAt({
  decode: flowMod10Message,
  bodyLength: (m) => 24 + resolve(matchBytes(m, OFP10, false), listBytes(m, OFP10, 'actions')),
  encodeBodyAt(m, out, at) {
    const { match, list } = take(m, flowMod10Codec);
    copyBytes(match, out, at + 8);
    // Reserved ports may be given in the 32-bit numbering every other version uses.
    flowMod10.write({ ...fields(m), outPort: port10(m.outPort, 'outPort') }, out, at + 48);
    copyBytes(list, out, at + 72);
  },
});

function flowModMessage(buf: Buffer, version: number, xid: number): FlowMod13Message {
  requireLength(buf, 48, 'FLOW_MOD');
  const end = matchEnd(version, buf, 48, 'FLOW_MOD');
  const m = new LazyMatchInstructions(buf, 48, end, end, buf.length);
  Object.assign(m, { type: 'FLOW_MOD', version, xid });
  flowModLayout(version).read(buf, 8, fields(m));
  return m as unknown as FlowMod13Message;
}

/** ofp_flow_mod 1.1-1.5: the fixed fields, match, instructions. */
export const flowMod13Codec: Codec<FlowMod13Message> = codecAt({
  decode: flowModMessage,
  bodyLength: (m) => 40 + resolve(matchBytes(m, m.version, false), listBytes(m, m.version, 'instructions')),
  encodeBodyAt(m, out, at) {
    const { match, list } = take(m, flowMod13Codec);
    flowModLayout(m.version).write(fields(m), out, at + 8);
    copyBytes(match, out, at + 48);
    copyBytes(list, out, at + 48 + match.length);
  },
});

// ---- FLOW_REMOVED ------------------------------------------------------------------------------

/** ofp_flow_removed 1.0 after match[40]: cookie, priority, reason, pad, durations, idle_timeout, pad[2], counters. */
const flowRemoved10 = struct([['cookie', 'u64'], ['priority', 'u16'], ['reason', 'u8'], ['', PAD(1)],
  ['durationSec', 'u32'], ['durationNsec', 'u32'], ['idleTimeout', 'u16'], ['', PAD(2)], ['packetCount', 'u64'],
  ['byteCount', 'u64']]);
/**
 * ofp_flow_removed 1.1-1.4 before the match. 1.1's struct has 2 pad bytes where hard_timeout is;
 * Open vSwitch sends hard_timeout in them, as 1.2 does.
 */
const flowRemoved11 = struct([['cookie', 'u64'], ['priority', 'u16'], ['reason', 'u8'], ['tableId', 'u8'],
  ['durationSec', 'u32'], ['durationNsec', 'u32'], ['idleTimeout', 'u16'], ['hardTimeout', 'u16'],
  ['packetCount', 'u64'], ['byteCount', 'u64']]);
/** ofp_flow_removed 1.5 before the match: the counters moved into the OXS list after it. */
const flowRemoved15 = struct([['tableId', 'u8'], ['reason', 'u8'], ['priority', 'u16'], ['idleTimeout', 'u16'],
  ['hardTimeout', 'u16'], ['cookie', 'u64']]);

function flowRemoved10Message(buf: Buffer, version: number, xid: number): FlowRemoved10Message {
  requireLength(buf, 88, 'FLOW_REMOVED');
  const m = new LazyMatch(buf, 8, 48);
  Object.assign(m, { type: 'FLOW_REMOVED', version, xid });
  flowRemoved10.read(buf, 48, fields(m));
  if (buf.length > 88) m.trailing = buf.subarray(88);
  return m as unknown as FlowRemoved10Message;
}

/** ofp_flow_removed 1.0: match[40], the fixed fields. */
export const flowRemoved10Codec: Codec<FlowRemoved10Message> = {
  decode: flowRemoved10Message,
  bodyLength: (m) => 40 + (m.trailing?.length ?? 0) + resolve(matchBytes(m, OFP10, false), undefined),
  encodeBody(m, out) {
    const { match } = take(m, flowRemoved10Codec);
    match.copy(out, 8);
    flowRemoved10.write(fields(m), out, 48);
    m.trailing?.copy(out, 88);
  },
};

function flowRemovedMessage(buf: Buffer, version: number, xid: number): FlowRemoved13Message {
  requireLength(buf, 52, 'FLOW_REMOVED');
  const end = matchEnd(version, buf, 48, 'FLOW_REMOVED');
  const m = new LazyMatch(buf, 48, end);
  Object.assign(m, { type: 'FLOW_REMOVED', version, xid });
  flowRemoved11.read(buf, 8, fields(m));
  if (buf.length > end) m.trailing = buf.subarray(end);
  return m as unknown as FlowRemoved13Message;
}

/** ofp_flow_removed 1.1-1.4: the fixed fields, match. */
export const flowRemoved13Codec: Codec<FlowRemoved13Message> = {
  decode: flowRemovedMessage,
  bodyLength: (m) => 40 + (m.trailing?.length ?? 0) + resolve(matchBytes(m, m.version, false), undefined),
  encodeBody(m, out) {
    const { match } = take(m, flowRemoved13Codec);
    flowRemoved11.write(fields(m), out, 8);
    match.copy(out, 48);
    m.trailing?.copy(out, 48 + match.length);
  },
};

function flowRemoved15Message(buf: Buffer, version: number, xid: number): FlowRemoved15Message {
  requireLength(buf, 28, 'FLOW_REMOVED');
  const end = matchEnd(version, buf, 24, 'FLOW_REMOVED');
  const m = new LazyMatch(buf, 24, end);
  Object.assign(m, { type: 'FLOW_REMOVED', version, xid });
  flowRemoved15.read(buf, 8, fields(m));
  const size = oxsSizeAt(buf, end, buf.length);
  readOxs(buf, end, size, fields(m));
  if (end + size < buf.length) m.trailing = buf.subarray(end + size);
  return m as unknown as FlowRemoved15Message;
}

/** ofp_flow_removed 1.5: the fixed fields, match, ofp_stats (OXS counters). */
export const flowRemoved15Codec: Codec<FlowRemoved15Message> = {
  decode: flowRemoved15Message,
  bodyLength: (m) => 16 + oxsLength(fields(m)) + (m.trailing?.length ?? 0)
    + resolve(matchBytes(m, m.version, false), undefined),
  encodeBody(m, out) {
    const { match } = take(m, flowRemoved15Codec);
    flowRemoved15.write(fields(m), out, 8);
    match.copy(out, 24);
    const end = 24 + match.length;
    const size = writeOxs(fields(m), out, end);
    m.trailing?.copy(out, end + size);
  },
};
