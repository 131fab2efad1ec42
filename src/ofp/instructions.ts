/**
 * Instructions (OpenFlow 1.1+): goto-table, write-metadata, write/apply/clear actions, meter
 * (1.3+), experimenter. A type the version does not define (e.g. 1.5's STAT_TRIGGER) or a known one
 * of an unexpected length is kept as UNKNOWN with its bytes.
 */
import { Buffer } from 'node:buffer';
import { decodeActions, encodeActions, type Action } from './actions.js';
import { itemsLength, readItems, writeItems, type Item } from './layout.js';
import { OfpError } from './ofp-error.js';
import { OFP10, OFP13, versionName } from './versions.js';
import { unencodable } from './wire.js';

interface Pad { padding?: Buffer }
export type Instruction = Pad & (
  | { type: 'GOTO_TABLE'; tableId: number }
  | { type: 'WRITE_METADATA'; metadata: bigint; metadataMask: bigint }
  | { type: 'WRITE_ACTIONS' | 'APPLY_ACTIONS'; actions: Action[] }
  | { type: 'CLEAR_ACTIONS' }
  /** 1.3+. */
  | { type: 'METER'; meterId: number }
  | { type: 'EXPERIMENTER'; experimenter: number; data: Buffer }
  | { type: 'UNKNOWN'; instructionType: number; data: Buffer }
);
export type InstructionType = Instruction['type'];

const EXPERIMENTER = 0xffff;
const CODES: Record<string, number> = { GOTO_TABLE: 1, WRITE_METADATA: 2, WRITE_ACTIONS: 3, APPLY_ACTIONS: 4, CLEAR_ACTIONS: 5, METER: 6 };
const NAMES = ['', 'GOTO_TABLE', 'WRITE_METADATA', 'WRITE_ACTIONS', 'APPLY_ACTIONS', 'CLEAR_ACTIONS', 'METER'];
const L: Record<string, Item[]> = {
  GOTO_TABLE: [['tableId', 'u8'], ['pad', 3]],
  WRITE_METADATA: [['pad', 4], ['metadata', 'u64'], ['metadataMask', 'u64']],
  CLEAR_ACTIONS: [['pad', 4]],
  METER: [['meterId', 'u32']],
};
const ACTIONS_HEAD: Item[] = [['pad', 4]];

function since(name: string): number {
  return name === 'METER' ? OFP13 : OFP10 + 1;
}

function badInstruction(message: string, version: number): OfpError {
  return new OfpError('BAD_INSTRUCTION', message, 'BAD_INSTRUCTION', 'BAD_LEN', version);
}

/** Decodes the instructions in buf[offset, offset + length); OfpError BAD_INSTRUCTION / BAD_ACTION for bad lengths. */
export function decodeInstructions(version: number, buf: Buffer, offset: number, length: number): Instruction[] {
  const end = offset + length;
  if (end > buf.length) throw badInstruction('instructions run past the message', version);
  const out: Instruction[] = [];
  let pos = offset;
  while (pos < end) {
    if (pos + 4 > end) throw badInstruction(`${end - pos} bytes cannot hold an instruction header`, version);
    const code = buf.readUInt16BE(pos);
    const len = buf.readUInt16BE(pos + 2);
    if (len < 4 || pos + len > end) throw badInstruction(`instruction length ${len} at ${pos - offset} does not fit`, version);
    out.push(decodeOne(version, buf, pos, code, len));
    pos += len;
  }
  return out;
}

function decodeOne(version: number, buf: Buffer, pos: number, code: number, len: number): Instruction {
  if (code === EXPERIMENTER && len >= 8) {
    return { type: 'EXPERIMENTER', experimenter: buf.readUInt32BE(pos + 4), data: buf.subarray(pos + 8, pos + len) };
  }
  const name = NAMES[code];
  if (name && since(name) <= version) {
    if ((name === 'WRITE_ACTIONS' || name === 'APPLY_ACTIONS') && len >= 8) {
      const i: Record<string, unknown> = { type: name };
      readItems(ACTIONS_HEAD, buf, pos, i);
      i.actions = decodeActions(version, buf, pos + 8, len - 8);
      return i as unknown as Instruction;
    }
    const items = L[name];
    if (items && itemsLength(items) === len) {
      const i: Record<string, unknown> = { type: name };
      readItems(items, buf, pos, i);
      return i as unknown as Instruction;
    }
  }
  return { type: 'UNKNOWN', instructionType: code, data: buf.subarray(pos + 4, pos + len) };
}

/** The wire bytes of an instruction list (1.1+). A Buffer is taken as already-encoded instructions. */
export function encodeInstructions(version: number, instructions: readonly Instruction[] | Buffer): Buffer {
  if (Buffer.isBuffer(instructions)) return instructions;
  if (!Array.isArray(instructions)) throw unencodable('instructions must be an array');
  if (version === OFP10) throw new OfpError('UNSUPPORTED_INSTRUCTION', 'OpenFlow 1.0 has no instructions');
  const parts: Buffer[] = [];
  for (const i of instructions) parts.push(encodeOne(version, i));
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

function encodeOne(version: number, i: Instruction): Buffer {
  if (i === null || typeof i !== 'object') throw unencodable(`not an instruction: ${String(i)}`);
  if (i.type === 'EXPERIMENTER' || i.type === 'UNKNOWN') {
    const data = i.data;
    if (!Buffer.isBuffer(data)) throw unencodable(`${i.type} instruction data must be a Buffer`);
    const head = i.type === 'EXPERIMENTER' ? 8 : 4;
    const b = Buffer.alloc(head + data.length);
    b.writeUInt16BE(i.type === 'EXPERIMENTER' ? EXPERIMENTER : i.instructionType, 0);
    if (i.type === 'EXPERIMENTER') b.writeUInt32BE(i.experimenter >>> 0, 4);
    data.copy(b, head);
    return header(b);
  }
  const code = CODES[i.type];
  if (code === undefined || since(i.type) > version) {
    throw new OfpError('UNSUPPORTED_INSTRUCTION', `OpenFlow ${versionName(version)} has no instruction ${String(i.type)}`);
  }
  if (i.type === 'WRITE_ACTIONS' || i.type === 'APPLY_ACTIONS') {
    const actions = encodeActions(version, i.actions);
    const b = Buffer.alloc(8 + actions.length);
    b.writeUInt16BE(code, 0);
    writeItems(ACTIONS_HEAD, i as unknown as Record<string, unknown>, b, 0, i.type);
    actions.copy(b, 8);
    return header(b);
  }
  const items = L[i.type]!;
  const b = Buffer.alloc(itemsLength(items));
  b.writeUInt16BE(code, 0);
  writeItems(items, i as unknown as Record<string, unknown>, b, 0, i.type);
  return header(b);
}

function header(b: Buffer): Buffer {
  if (b.length > 0xffff) throw unencodable(`instruction of ${b.length} bytes is over 65535`);
  b.writeUInt16BE(b.length, 2);
  return b;
}
