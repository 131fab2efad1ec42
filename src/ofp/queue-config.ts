/**
 * QUEUE_GET_CONFIG_REQUEST / REPLY (1.0-1.3; 1.4 moved queue descriptions into multipart), and the
 * ofp_packet_queue list they carry.
 */
import type { Buffer } from 'node:buffer';
import { badLength } from './ofp-error.js';
import { OFP10, OFP12 } from './versions.js';
import { PAD, need, struct, u16Length, type Struct } from './struct.js';
import { requireLength, restOrUndefined, unencodable, type Codec } from './wire.js';

interface Base { version: number; xid: number }

export interface QueueGetConfigRequestMessage extends Base {
  type: 'QUEUE_GET_CONFIG_REQUEST';
  /** u16 in 1.0, u32 in 1.1+. */
  port: number;
  padding?: Buffer;
  trailing?: Buffer;
}

/** OFPQT_MIN_RATE (1) / MAX_RATE (2, 1.2+): rate in 1/10 of a percent; anything else as bytes. */
export type QueueProperty =
  | { property: 1 | 2; rate: number; padding?: Buffer }
  /** `data` follows the 8-byte property header (for EXPERIMENTER: experimenter id, pad, data). */
  | { property: number; data: Buffer; padding?: Buffer };

export interface PacketQueue {
  queueId: number;
  /** 1.2+. */
  port?: number;
  properties: QueueProperty[];
  padding?: Buffer;
}

export interface QueueGetConfigReplyMessage extends Base {
  type: 'QUEUE_GET_CONFIG_REPLY';
  port: number;
  queues: PacketQueue[];
  padding?: Buffer;
}

const request10 = struct([['port', 'u16'], ['', PAD(2)]]);
const request11 = struct([['port', 'u32'], ['', PAD(4)]]);
const reply10 = struct([['port', 'u16'], ['', PAD(6)]]);
const reply11 = request11;
const queue10 = struct([['queueId', 'u32'], ['len', 'u16'], ['', PAD(2)]]);
const queue12 = struct([['queueId', 'u32'], ['port', 'u32'], ['len', 'u16'], ['', PAD(6)]]);
const propHeader = struct([['property', 'u16'], ['len', 'u16'], ['', PAD(4)]]);
const rateProp = struct([['property', 'u16'], ['len', 'u16'], ['', PAD(4)], ['rate', 'u16'], ['', PAD(6)]]);
const RATE_PROP_LEN = 16;

export const queueGetConfigRequestCodec: Codec<QueueGetConfigRequestMessage> = {
  decode(buf, version, xid) {
    const s = version === OFP10 ? request10 : request11;
    requireLength(buf, 8 + s.size, 'QUEUE_GET_CONFIG_REQUEST');
    const m = { type: 'QUEUE_GET_CONFIG_REQUEST', version, xid } as QueueGetConfigRequestMessage;
    s.read(buf, 8, m as unknown as Record<string, unknown>);
    const trailing = restOrUndefined(buf, 8 + s.size);
    if (trailing) m.trailing = trailing;
    return m;
  },
  bodyLength: (m) => (m.version === OFP10 ? request10 : request11).size + (m.trailing?.length ?? 0),
  encodeBody(m, out) {
    const s = m.version === OFP10 ? request10 : request11;
    s.write(m as unknown as Record<string, unknown>, out, 8);
    m.trailing?.copy(out, 8 + s.size);
  },
};

const queueLayout = (v: number): Struct => (v >= OFP12 ? queue12 : queue10);

export const queueGetConfigReplyCodec: Codec<QueueGetConfigReplyMessage> = {
  decode(buf, version, xid) {
    const s = version === OFP10 ? reply10 : reply11;
    requireLength(buf, 8 + s.size, 'QUEUE_GET_CONFIG_REPLY');
    const m = { type: 'QUEUE_GET_CONFIG_REPLY', version, xid, queues: [] as PacketQueue[] } as QueueGetConfigReplyMessage;
    s.read(buf, 8, m as unknown as Record<string, unknown>);
    const qs = queueLayout(version);
    for (let at = 8 + s.size; at < buf.length;) {
      need(buf, at, qs.size, 'ofp_packet_queue');
      const q = {} as PacketQueue & { len?: number };
      qs.read(buf, at, q as unknown as Record<string, unknown>);
      const len = q.len!;
      delete q.len;
      if (len < qs.size) throw badLength(`ofp_packet_queue length ${len} is below ${qs.size}`);
      need(buf, at, len, 'ofp_packet_queue');
      q.properties = readQueueProperties(buf, at + qs.size, at + len);
      m.queues.push(q);
      at += len;
    }
    return m;
  },
  bodyLength: (m) => (m.version === OFP10 ? reply10 : reply11).size + m.queues.reduce((n, q) => n + queueLength(q, m.version), 0),
  encodeBody(m, out) {
    const s = m.version === OFP10 ? reply10 : reply11;
    s.write(m as unknown as Record<string, unknown>, out, 8);
    const qs = queueLayout(m.version);
    let at = 8 + s.size;
    for (const q of m.queues) {
      const len = u16Length(queueLength(q, m.version), 'ofp_packet_queue');
      qs.write({ ...q, len }, out, at);
      let p = at + qs.size;
      for (const prop of q.properties) p += writeQueueProperty(prop, out, p);
      at += len;
    }
  },
};

function readQueueProperties(buf: Buffer, pos: number, end: number): QueueProperty[] {
  const props: QueueProperty[] = [];
  for (let at = pos; at < end;) {
    if (at + propHeader.size > end) throw badLength('ofp_queue_prop_header runs past its queue');
    const len = buf.readUInt16BE(at + 2);
    if (len < propHeader.size || at + len > end) throw badLength(`queue property length ${len} does not fit`);
    const property = buf.readUInt16BE(at);
    const r: Record<string, unknown> = {};
    if ((property === 1 || property === 2) && len === RATE_PROP_LEN) {
      rateProp.read(buf, at, r);
      props.push(r.padding ? { property, rate: r.rate as number, padding: r.padding as Buffer } : { property, rate: r.rate as number });
    } else {
      propHeader.read(buf, at, r);
      const p: QueueProperty = { property, data: buf.subarray(at + propHeader.size, at + len) };
      if (r.padding) p.padding = r.padding as Buffer;
      props.push(p);
    }
    at += len;
  }
  return props;
}

function queuePropertyLength(p: QueueProperty): number {
  return 'rate' in p ? RATE_PROP_LEN : propHeader.size + p.data.length;
}

function queueLength(q: PacketQueue, version: number): number {
  return queueLayout(version).size + q.properties.reduce((n, p) => n + queuePropertyLength(p), 0);
}

function writeQueueProperty(p: QueueProperty, out: Buffer, at: number): number {
  const len = queuePropertyLength(p);
  if ('rate' in p) {
    if (p.property !== 1 && p.property !== 2) throw unencodable(`queue property ${p.property as number} has no rate`);
    rateProp.write({ ...p, len }, out, at);
  } else {
    propHeader.write({ ...p, len: u16Length(len, 'queue property') }, out, at);
    p.data.copy(out, at + propHeader.size);
  }
  return len;
}
