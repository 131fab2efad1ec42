import type { ErrorMessage } from './messages.js';
import { OFP_HEADER_LEN } from './header.js';
import { OfpError } from './ofp-error.js';
import { OFP10, OFP12, isKnownVersion, versionName } from './versions.js';
import {
  EXPERIMENTER_ERROR_TYPE, errorCodeCode, errorCodeName, errorTypeCode, errorTypeName,
} from './error-codes.js';
import { requireLength, rest, type Codec } from './wire.js';

/** OpenFlow: an error reply carries at least the first 64 bytes of the offending message. */
export const ERROR_DATA_MAX = 64;
const HELLO_FAILED = 0;

function isExperimenter(version: number, errorType: number): boolean {
  return errorType === EXPERIMENTER_ERROR_TYPE && version >= OFP12;
}

export const errorCodec: Codec<ErrorMessage> = {
  decode(buf, version, xid) {
    requireLength(buf, OFP_HEADER_LEN + 4, 'ERROR');
    const errorType = buf.readUInt16BE(8);
    const code = buf.readUInt16BE(10);
    const msg: ErrorMessage = {
      type: 'ERROR', version, xid, errorType, code, data: rest(buf, 12),
      errorTypeName: errorTypeName(version, errorType), codeName: errorCodeName(version, errorType, code),
    };
    if (isExperimenter(version, errorType)) {
      requireLength(buf, OFP_HEADER_LEN + 8, 'EXPERIMENTER ERROR');
      msg.experimenter = buf.readUInt32BE(12);
      msg.data = rest(buf, 16);
    }
    return msg;
  },
  bodyLength(m) {
    return (isExperimenter(m.version, m.errorType) ? 8 : 4) + m.data.length;
  },
  encodeBody(m, out) {
    out.writeUInt16BE(m.errorType, 8);
    out.writeUInt16BE(m.code, 10);
    let pos = 12;
    if (isExperimenter(m.version, m.errorType)) {
      out.writeUInt32BE((m.experimenter ?? 0) >>> 0, 12);
      pos = 16;
    }
    m.data.copy(out, pos);
  },
};

/**
 * Builds an ERROR. `typeName`/`codeName` are the symbolic names of `version` ('BAD_REQUEST',
 * 'BAD_LEN'), 'UNKNOWN_<n>', or numbers. Throws OfpError UNKNOWN_ERROR_NAME for a name the version lacks.
 */
export function makeError(
  version: number, xid: number, typeName: string | number, codeName: string | number, data: Buffer = Buffer.alloc(0),
): ErrorMessage {
  const errorType = errorTypeCode(version, typeName);
  const code = errorType === undefined ? undefined : errorCodeCode(version, errorType, codeName);
  if (errorType === undefined || code === undefined) {
    throw new OfpError('UNKNOWN_ERROR_NAME', `OpenFlow ${versionName(version)} has no error ${typeName}/${codeName}`);
  }
  return {
    type: 'ERROR', version, xid, errorType, code, data,
    errorTypeName: errorTypeName(version, errorType), codeName: errorCodeName(version, errorType, code),
  };
}

/**
 * The ERROR to send back for a message that failed to decode: same xid, data = its first 64 bytes.
 * The reply uses the offending message's version when it is one we speak, else `fallbackVersion`
 * (pass the negotiated version when there is one).
 */
export function errorReplyFor(err: OfpError, offendingMsg: Buffer, fallbackVersion = OFP10): ErrorMessage {
  if (!err.ofpError) throw new OfpError('NO_OFP_ERROR', `error ${err.code} has no OpenFlow error to send`);
  const v = offendingMsg.length > 0 && isKnownVersion(offendingMsg[0]!) ? offendingMsg[0]! : fallbackVersion;
  const xid = offendingMsg.length >= OFP_HEADER_LEN ? offendingMsg.readUInt32BE(4) : 0;
  const data = offendingMsg.subarray(0, ERROR_DATA_MAX);
  return makeError(v, xid, err.ofpError.type, err.ofpError.code, data);
}

/** Human-readable payload: the ASCII text of HELLO_FAILED (as OpenFlow prescribes), a hex dump otherwise. */
export function errorText(msg: ErrorMessage): string {
  if (msg.errorType === HELLO_FAILED) return msg.data.toString('latin1').replace(/\0+$/, '');
  return hexDump(msg.data);
}

export function hexDump(data: Buffer): string {
  const lines: string[] = [];
  for (let i = 0; i < data.length; i += 16) {
    const row = data.subarray(i, i + 16);
    const hex = Array.from(row, (b) => b.toString(16).padStart(2, '0')).join(' ');
    lines.push(`${i.toString(16).padStart(8, '0')}  ${hex}`);
  }
  return lines.join('\n');
}
