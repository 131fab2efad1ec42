/** Codecs for the small fixed-layout messages: ECHO, VENDOR/EXPERIMENTER, empty ones, ROLE, raw. */
import type {
  EchoMessage, EmptyMessage, ExperimenterMessage, RawMessage, RoleMessage, UnknownMessage,
} from './messages.js';
import { OFP_HEADER_LEN } from './header.js';
import { OFP10 } from './versions.js';
import {
  codecAt, copyBytes, nonZero, requireLength, rest, restOrUndefined, restTo, writePadding, type Codec,
} from './wire.js';

export function echoCodec(type: EchoMessage['type']): Codec<EchoMessage> {
  return codecAt({
    decodeAt: (buf, at, end, version, xid) => ({ type, version, xid, data: restTo(buf, at + OFP_HEADER_LEN, end) }),
    bodyLength: (m) => m.data.length,
    encodeBodyAt(m, out, at) {
      if (m.data.length > 0) copyBytes(m.data, out, at + OFP_HEADER_LEN);
    },
  });
}

/** 1.0 ofp_vendor_header has only the vendor id; 1.1+ adds a 32-bit exp_type (padding in 1.1). */
export const experimenterCodec: Codec<ExperimenterMessage> = {
  decode(buf, version, xid) {
    if (version === OFP10) {
      requireLength(buf, 12, 'VENDOR');
      return { type: 'VENDOR', version, xid, experimenter: buf.readUInt32BE(8), data: rest(buf, 12) };
    }
    requireLength(buf, 16, 'EXPERIMENTER');
    return {
      type: 'EXPERIMENTER', version, xid, experimenter: buf.readUInt32BE(8), expType: buf.readUInt32BE(12),
      data: rest(buf, 16),
    };
  },
  bodyLength: (m) => (m.version === OFP10 ? 4 : 8) + m.data.length,
  encodeBody(m, out) {
    out.writeUInt32BE(m.experimenter >>> 0, 8);
    if (m.version === OFP10) {
      m.data.copy(out, 12);
    } else {
      out.writeUInt32BE((m.expType ?? 0) >>> 0, 12);
      m.data.copy(out, 16);
    }
  },
};

export function emptyCodec(type: EmptyMessage['type']): Codec<EmptyMessage> {
  return codecAt({
    decodeAt(buf, at, end, version, xid) {
      const m: EmptyMessage = { type, version, xid };
      if (at + OFP_HEADER_LEN < end) m.trailing = buf.subarray(at + OFP_HEADER_LEN, end);
      return m;
    },
    bodyLength: (m) => m.trailing?.length ?? 0,
    encodeBodyAt: (m, out, at) => void m.trailing?.copy(out, at + OFP_HEADER_LEN),
  });
}

/** ofp_role_request (1.2+): role u32, pad[4], generation_id u64. */
export function roleCodec(type: RoleMessage['type']): Codec<RoleMessage> {
  return {
    decode(buf, version, xid) {
      requireLength(buf, 24, type);
      const m: RoleMessage = { type, version, xid, role: buf.readUInt32BE(8), generationId: buf.readBigUInt64BE(16) };
      const padding = nonZero(buf.subarray(12, 16));
      if (padding) m.padding = padding;
      const trailing = restOrUndefined(buf, 24);
      if (trailing) m.trailing = trailing;
      return m;
    },
    bodyLength: (m) => 16 + (m.trailing?.length ?? 0),
    encodeBody(m, out) {
      out.writeUInt32BE(m.role >>> 0, 8);
      writePadding(out, 12, 4, m.padding);
      out.writeBigUInt64BE(BigInt.asUintN(64, m.generationId), 16);
      m.trailing?.copy(out, 24);
    },
  };
}

export function rawCodec(type: RawMessage['type']): Codec<RawMessage> {
  return {
    decode: (buf, version, xid) => ({ type, version, xid, body: rest(buf, OFP_HEADER_LEN) }),
    bodyLength: (m) => m.body.length,
    encodeBody: (m, out) => void m.body.copy(out, OFP_HEADER_LEN),
  };
}

export function unknownCodec(typeCode: number): Codec<UnknownMessage> {
  return {
    decode: (buf, version, xid) => ({ type: 'UNKNOWN', typeCode, version, xid, body: rest(buf, OFP_HEADER_LEN) }),
    bodyLength: (m) => m.body.length,
    encodeBody: (m, out) => void m.body.copy(out, OFP_HEADER_LEN),
  };
}
