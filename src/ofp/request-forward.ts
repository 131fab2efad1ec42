/**
 * REQUESTFORWARD (1.4+): a switch forwards another controller's GROUP_MOD or METER_MOD whole, header
 * included. The inner message is decoded and encoded by the codec itself, passed in to avoid an
 * import cycle.
 */
import type { Buffer } from 'node:buffer';
import type { OfpMessage } from './messages.js';
import { badLength, badType } from './ofp-error.js';
import { typeName } from './type-tables.js';
import { requireLength, type Codec } from './wire.js';

export interface RequestForwardMessage {
  type: 'REQUESTFORWARD';
  version: number;
  xid: number;
  /** The forwarded request (its own version and xid). */
  request: OfpMessage;
}

export function requestForwardCodec(decode: (b: Buffer) => OfpMessage, encode: (m: OfpMessage) => Buffer): Codec<RequestForwardMessage> {
  return {
    decode(buf, version, xid) {
      requireLength(buf, 16, 'REQUESTFORWARD');
      const inner = buf.subarray(8);
      if (inner.readUInt16BE(2) !== inner.length) throw badLength('REQUESTFORWARD: the inner length field does not match');
      // Nesting has no use and no bound but the stack.
      if (typeName(inner[0]!, inner[1]!) === 'REQUESTFORWARD') throw badType('REQUESTFORWARD inside REQUESTFORWARD');
      return { type: 'REQUESTFORWARD', version, xid, request: decode(inner) };
    },
    // Encoded twice (length, then bytes): REQUESTFORWARD is rare and small.
    bodyLength: (m) => encode(m.request).length,
    encodeBody: (m, out) => void encode(m.request).copy(out, 8),
  };
}
