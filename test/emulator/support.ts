/**
 * Building controller messages as bytes for the emulator tests (FLOW_MOD, PACKET_OUT, multipart
 * requests), and a session that records what the emulator sends.
 */
import {
  OFP10, decode, encodeActions, encodeInstructions, encodeMatch, typeCode, type Action, type Instruction, type Match,
  type OfpMessage, type SwitchEmulator,
} from '../../src/index.js';

export function raw(version: number, type: OfpMessage['type'], xid: number, body: Buffer): OfpMessage {
  const b = Buffer.alloc(8 + body.length);
  b[0] = version;
  b[1] = typeCode(version, type)!;
  b.writeUInt16BE(b.length, 2);
  b.writeUInt32BE(xid, 4);
  body.copy(b, 8);
  return decode(b);
}

export interface FlowModSpec {
  command?: number;
  match?: Match;
  priority?: number;
  cookie?: bigint;
  cookieMask?: bigint;
  tableId?: number;
  idleTimeout?: number;
  hardTimeout?: number;
  flags?: number;
  outPort?: number;
  bufferId?: number;
  actions?: Action[];
  instructions?: Instruction[];
}

export function flowMod(version: number, xid: number, s: FlowModSpec): OfpMessage {
  const match = encodeMatch(version, s.match ?? {});
  if (version === OFP10) {
    const actions = encodeActions(version, s.actions ?? []);
    const b = Buffer.alloc(64 + actions.length);
    match.copy(b, 0);
    b.writeBigUInt64BE(s.cookie ?? 0n, 40);
    b.writeUInt16BE(s.command ?? 0, 48);
    b.writeUInt16BE(s.idleTimeout ?? 0, 50);
    b.writeUInt16BE(s.hardTimeout ?? 0, 52);
    b.writeUInt16BE(s.priority ?? 0x8000, 54);
    b.writeUInt32BE(s.bufferId ?? 0xffffffff, 56);
    b.writeUInt16BE(s.outPort === undefined ? 0xffff : s.outPort & 0xffff, 60);
    b.writeUInt16BE(s.flags ?? 0, 62);
    actions.copy(b, 64);
    return raw(version, 'FLOW_MOD', xid, b);
  }
  const instructions = encodeInstructions(version, s.instructions ?? (s.actions ? [{ type: 'APPLY_ACTIONS', actions: s.actions }] : []));
  const b = Buffer.alloc(40 + match.length + instructions.length);
  b.writeBigUInt64BE(s.cookie ?? 0n, 0);
  b.writeBigUInt64BE(s.cookieMask ?? 0n, 8);
  b[16] = s.tableId ?? 0;
  b[17] = s.command ?? 0;
  b.writeUInt16BE(s.idleTimeout ?? 0, 18);
  b.writeUInt16BE(s.hardTimeout ?? 0, 20);
  b.writeUInt16BE(s.priority ?? 0x8000, 22);
  b.writeUInt32BE(s.bufferId ?? 0xffffffff, 24);
  b.writeUInt32BE(s.outPort ?? 0xffffffff, 28);
  b.writeUInt32BE(0xffffffff, 32);
  b.writeUInt16BE(s.flags ?? 0, 36);
  match.copy(b, 40);
  instructions.copy(b, 40 + match.length);
  return raw(version, 'FLOW_MOD', xid, b);
}

export function packetOut(version: number, xid: number, inPort: number, actions: Action[], data: Buffer, bufferId = 0xffffffff): OfpMessage {
  const a = encodeActions(version, actions);
  if (version === OFP10) {
    const b = Buffer.alloc(8 + a.length + data.length);
    b.writeUInt32BE(bufferId, 0);
    b.writeUInt16BE(inPort, 4);
    b.writeUInt16BE(a.length, 6);
    a.copy(b, 8);
    data.copy(b, 8 + a.length);
    return raw(version, 'PACKET_OUT', xid, b);
  }
  const b = Buffer.alloc(16 + a.length + data.length);
  b.writeUInt32BE(bufferId, 0);
  b.writeUInt32BE(inPort, 4);
  b.writeUInt16BE(a.length, 8);
  a.copy(b, 16);
  data.copy(b, 16 + a.length);
  return raw(version, 'PACKET_OUT', xid, b);
}

/** A multipart (stats) request of `type` with `body` after the header. */
export function multipart(version: number, xid: number, type: number, body = Buffer.alloc(0)): OfpMessage {
  const head = Buffer.alloc(version === OFP10 ? 4 : 8);
  head.writeUInt16BE(type, 0);
  return raw(version, version < 4 ? 'STATS_REQUEST' : 'MULTIPART_REQUEST', xid, Buffer.concat([head, body]));
}

/** A session whose sends are recorded, plus the frames leaving each port. */
export function session(emulator: SwitchEmulator, version: number) {
  const sent: OfpMessage[] = [];
  const outputs: Array<[number, Buffer]> = [];
  emulator.on('output', (port, frame) => outputs.push([port, frame]));
  const s = emulator.attach((m) => sent.push(m), () => version);
  return {
    sent,
    outputs,
    /** Handles `msg` and returns what was sent in answer (and meanwhile). */
    send(msg: OfpMessage): OfpMessage[] {
      const before = sent.length;
      s.handle(msg);
      return sent.slice(before);
    },
    take(): OfpMessage[] {
      return sent.splice(0);
    },
  };
}

/** An Ethernet frame from `src` to `dst` (hex MACs without colons) of ethertype `type`, padded to 60 bytes. */
export function frame(dst: string, src: string, type = 0x0800, payload = Buffer.alloc(46)): Buffer {
  const t = Buffer.alloc(2);
  t.writeUInt16BE(type);
  return Buffer.concat([Buffer.from(dst + src, 'hex'), t, payload]);
}
