import { badLength } from './ofp-error.js';

export const OFP_HEADER_LEN = 8;
/** The length field is 16 bits, so no message is longer. */
export const OFP_MAX_MESSAGE_LEN = 0xffff;

export interface OfpHeader {
  version: number;
  type: number;
  length: number;
  xid: number;
}

/**
 * The length field of the header of the message at `buf[at]` (its bytes 2-3; the caller has
 * checked they are there): how a stream of messages, or a run of them, is walked.
 */
export function messageLengthAt(buf: Buffer, at: number): number {
  return (buf[at + 2]! << 8) | buf[at + 3]!;
}

/** Reads the 8-byte header at `offset`; throws OfpError BAD_LENGTH when fewer than 8 bytes remain. */
export function readHeader(buf: Buffer, offset = 0): OfpHeader {
  if (buf.length - offset < OFP_HEADER_LEN) throw badLength(`${buf.length - offset} bytes cannot hold an OpenFlow header`);
  return {
    version: buf[offset]!,
    type: buf[offset + 1]!,
    length: buf.readUInt16BE(offset + 2),
    xid: buf.readUInt32BE(offset + 4),
  };
}

/** Writes an 8-byte header at `offset` and returns `buf`. */
export function writeHeader(buf: Buffer, h: OfpHeader, offset = 0): Buffer {
  buf[offset] = h.version;
  buf[offset + 1] = h.type;
  buf.writeUInt16BE(h.length, offset + 2);
  buf.writeUInt32BE(h.xid >>> 0, offset + 4);
  return buf;
}
