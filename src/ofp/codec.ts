// Imported rather than the global, which Node serves through a getter on every use.
import { Buffer } from 'node:buffer';
import type { EchoMessage, OfpMessage, RawFormMessage } from './messages.js';
import { OFP_HEADER_LEN, OFP_MAX_MESSAGE_LEN, messageLengthAt } from './header.js';
import { OfpError, badLength, badVersion } from './ofp-error.js';
import { typeCode, typeName } from './type-tables.js';
import { ALL_VERSIONS, OFP10, OFP11, OFP12, OFP15, versionName } from './versions.js';
import { helloCodec } from './hello.js';
import { errorCodec } from './error-msg.js';
import { echoCodec, emptyCodec, experimenterCodec, rawCodec, roleCodec, unknownCodec } from './simple.js';
import { featuresReplyCodec } from './features.js';
import { flowMod10Codec, flowMod13Codec, flowRemoved10Codec, flowRemoved13Codec, flowRemoved15Codec } from './flow-messages.js';
import { packetIn10Codec, packetIn11Codec, packetIn13Codec, packetOut10Codec, packetOut15Codec } from './packet-messages.js';
import { EMPTY, get32, put32, unencodable, type Codec } from './wire.js';
import { portModCodec, portStatusCodec, tableModCodec } from './port-msgs.js';
import { asyncConfigCodec, roleStatusCodec, switchConfigCodec } from './config-msgs.js';
import { queueGetConfigReplyCodec, queueGetConfigRequestCodec } from './queue-config.js';
import { groupModCodec, meterModCodec } from './group-meter.js';
import { requestForwardCodec } from './request-forward.js';
import { statsReplyCodec, statsRequestCodec } from './multipart/codec.js';

// Codecs hold no per-message state; the message types make them Codec<subtype>, erased here.
type AnyCodec = Codec<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const HELLO_TYPE = 0;

/** Types decoded the same way in every version they exist in. */
const FIXED: Record<string, AnyCodec> = {
  HELLO: helloCodec,
  ERROR: errorCodec,
  ECHO_REQUEST: echoCodec('ECHO_REQUEST'),
  ECHO_REPLY: echoCodec('ECHO_REPLY'),
  VENDOR: experimenterCodec,
  EXPERIMENTER: experimenterCodec,
  FEATURES_REQUEST: emptyCodec('FEATURES_REQUEST'),
  FEATURES_REPLY: featuresReplyCodec,
  BARRIER_REQUEST: emptyCodec('BARRIER_REQUEST'),
  BARRIER_REPLY: emptyCodec('BARRIER_REPLY'),
  ROLE_REQUEST: roleCodec('ROLE_REQUEST'),
  ROLE_REPLY: roleCodec('ROLE_REPLY'),
  GET_CONFIG_REQUEST: emptyCodec('GET_CONFIG_REQUEST'),
  GET_CONFIG_REPLY: switchConfigCodec('GET_CONFIG_REPLY'),
  SET_CONFIG: switchConfigCodec('SET_CONFIG'),
  PORT_STATUS: portStatusCodec,
  PORT_MOD: portModCodec,
  TABLE_MOD: tableModCodec,
  GROUP_MOD: groupModCodec,
  METER_MOD: meterModCodec,
  ROLE_STATUS: roleStatusCodec,
  GET_ASYNC_REQUEST: emptyCodec('GET_ASYNC_REQUEST'),
  GET_ASYNC_REPLY: asyncConfigCodec('GET_ASYNC_REPLY'),
  SET_ASYNC: asyncConfigCodec('SET_ASYNC'),
  QUEUE_GET_CONFIG_REQUEST: queueGetConfigRequestCodec,
  QUEUE_GET_CONFIG_REPLY: queueGetConfigReplyCodec,
  REQUESTFORWARD: requestForwardCodec((b) => decode(b), (m) => encode(m)),
  STATS_REQUEST: statsRequestCodec('STATS_REQUEST'),
  STATS_REPLY: statsReplyCodec('STATS_REPLY'),
  MULTIPART_REQUEST: statsRequestCodec('MULTIPART_REQUEST'),
  MULTIPART_REPLY: statsReplyCodec('MULTIPART_REPLY'),
};

/** Codecs by the first version each serves, until the next one's first version. */
function fromVersion(first: Partial<Record<number, AnyCodec>>): Partial<Record<number, AnyCodec>> {
  const out: Partial<Record<number, AnyCodec>> = {};
  let current: AnyCodec | undefined;
  for (const v of ALL_VERSIONS) {
    current = first[v] ?? current;
    if (current) out[v] = current;
  }
  return out;
}

/** Types whose layout changes between versions. */
const VERSIONED: Record<string, Partial<Record<number, AnyCodec>>> = {
  PACKET_IN: fromVersion({ [OFP10]: packetIn10Codec, [OFP11]: packetIn11Codec, [OFP12]: packetIn13Codec }),
  PACKET_OUT: fromVersion({ [OFP10]: packetOut10Codec, [OFP15]: packetOut15Codec }),
  FLOW_MOD: fromVersion({ [OFP10]: flowMod10Codec, [OFP11]: flowMod13Codec }),
  FLOW_REMOVED: fromVersion({ [OFP10]: flowRemoved10Codec, [OFP11]: flowRemoved13Codec, [OFP15]: flowRemoved15Codec }),
};

const rawCodecs = new Map<string, AnyCodec>();
const unknownCodecs: AnyCodec[] = Array.from({ length: 256 }, (_, i) => unknownCodec(i));

function codecFor(name: string, version: number): AnyCodec {
  return FIXED[name] ?? VERSIONED[name]?.[version] ?? rawFor(name);
}

function rawFor(name: string): AnyCodec {
  let raw = rawCodecs.get(name);
  if (!raw) rawCodecs.set(name, (raw = rawCodec(name as never)));
  return raw;
}

// Resolved once at load, so a message costs two array reads on decode and one map read on encode
// rather than name look-ups through the type and codec tables.
/** DECODERS[version][type number], versions 1.0-1.5. */
const DECODERS: readonly (readonly AnyCodec[])[] = Array.from({ length: OFP15 + 1 }, (_, version) =>
  Array.from({ length: 256 }, (_, type) => {
    const name = version === 0 ? undefined : typeName(version, type);
    return name === undefined ? unknownCodecs[type]! : codecFor(name, version);
  }));

interface Encoder { code: number; codec: AnyCodec }
/**
 * ENCODERS[version][type name], versions 1.0-1.5: objects without a prototype (a keyed read of a
 * constant string costs half a Map#get, and no name can reach Object.prototype).
 */
const ENCODERS: readonly Readonly<Record<string, Encoder | undefined>>[] = DECODERS.map((codecs, version) => {
  const byName: Record<string, Encoder | undefined> = Object.create(null) as Record<string, Encoder | undefined>;
  if (version === 0) return byName;
  for (let code = 0; code < 256; code++) {
    const name = typeName(version, code);
    if (name !== undefined && typeCode(version, name) === code) byName[name] = { code, codec: codecs[code]! };
  }
  return byName;
});

/** A HELLO of a version above 1.5 (the only type those may send): the format every version keeps. */
const FUTURE_HELLO: Encoder = { code: HELLO_TYPE, codec: helloCodec };

/**
 * Decodes exactly one message (`buf` may be a view at any offset; decoded buffers alias it).
 * Throws OfpError BAD_LENGTH (length field != buffer length, body too short for its type) or
 * BAD_VERSION (version 0, or above 1.5 for anything but HELLO, whose format every version keeps so
 * that negotiation with newer peers works).
 */
export function decode(buf: Buffer): OfpMessage {
  if (buf.length < OFP_HEADER_LEN) throw badLength(`${buf.length} bytes cannot hold an OpenFlow header`);
  const version = buf[0]!;
  const type = buf[1]!;
  const length = messageLengthAt(buf, 0);
  if (length !== buf.length) throw badLength(`length field says ${length} bytes, message has ${buf.length}`);
  const xid = get32(buf, 4);
  if (version > OFP15) {
    if (type !== HELLO_TYPE) throw badVersion(`unsupported OpenFlow version ${versionName(version)}`);
    return helloCodec.decode(buf, version, xid);
  }
  if (version === 0) throw badVersion(`unsupported OpenFlow version ${versionName(version)}`);
  // decodeAt itself where a codec has it: codecAt's `decode` for those is one closure shared by
  // them all, whose call inside would see every codec (and be as slow as that makes it).
  const codec = DECODERS[version]![type]!;
  if (codec.decodeAt !== undefined) return codec.decodeAt(buf, 0, buf.length, version, xid) as OfpMessage;
  return codec.decode(buf, version, xid) as OfpMessage;
}

/**
 * decode() for the message at `buf[at]` of `length` bytes (a read chunk holding many), making no
 * view of it for the types a busy connection receives (PACKET_IN, ECHO_*); decoded buffers alias
 * `buf`. Throws like decode(); the length field must say `length`.
 */
export function decodeAt(buf: Buffer, at: number, length: number): OfpMessage {
  if (!(at >= 0 && at + length <= buf.length)) throw badLength(`${length} bytes at ${at} run past the ${buf.length}-byte buffer`);
  const version = buf[at]!;
  const codec = version >= 1 && version <= OFP15 && length >= OFP_HEADER_LEN ? DECODERS[version]![buf[at + 1]!]! : undefined;
  if (codec?.decodeAt === undefined || messageLengthAt(buf, at) !== length) return decode(buf.subarray(at, at + length));
  return codec.decodeAt(buf, at, at + length, version, get32(buf, at + 4)) as OfpMessage;
}

/**
 * Encodes a message, computing its length. Any type may also be given in the raw form
 * `{ type, version, xid, body }`. Throws OfpError UNENCODABLE / BAD_VERSION for what cannot be sent.
 */
export function encode(msg: OfpMessage | RawFormMessage): Buffer {
  const e = encoderFor(msg);
  let out: Buffer;
  try {
    // Uninitialised: every codec writes every byte of its body, padding included.
    const length = lengthOf(e, msg);
    out = Buffer.allocUnsafe(length);
    writeMessage(e, msg, out, 0, length);
  } catch (err) {
    throw shapeError(msg, err);
  }
  return out;
}

/**
 * Encodes `msg` straight into `target` at `offset` (a connection's write buffer: no buffer of its
 * own, no second copy). Returns the bytes written, or -1 (nothing written) when the message does
 * not fit in the room left. Throws like {@link encode}.
 */
export function encodeInto(msg: OfpMessage | RawFormMessage, target: Buffer, offset: number): number {
  const e = encoderFor(msg);
  try {
    const length = lengthOf(e, msg);
    if (offset + length > target.length) return -1;
    writeMessage(e, msg, target, offset, length);
    return length;
  } catch (err) {
    throw shapeError(msg, err);
  }
}

/** The message's length on the wire, within the 64 KiB an OpenFlow length field can say. */
function lengthOf(e: Encoder, msg: OfpMessage | RawFormMessage): number {
  const length = OFP_HEADER_LEN + e.codec.bodyLength(msg);
  if (length > OFP_MAX_MESSAGE_LEN) throw unencodable(`${msg.type} would be ${length} bytes, over 65535`);
  return length;
}

/** Writes the header and body of lengthOf() bytes at `out[at]`. */
function writeMessage(e: Encoder, msg: OfpMessage | RawFormMessage, out: Buffer, at: number, length: number): void {
  out[at] = msg.version;
  out[at + 1] = e.code;
  out[at + 2] = length >>> 8;
  out[at + 3] = length;
  put32(out, at + 4, msg.xid >>> 0);
  const { codec } = e;
  if (codec.encodeBodyAt !== undefined) codec.encodeBodyAt(msg, out, at);
  else codec.encodeBody(msg, at === 0 && out.length === length ? out : out.subarray(at, at + length));
}

// The encoder found last: a busy connection sends one type over and over (PACKET_OUT, FLOW_MOD),
// and comparing a type name with the last one is cheaper than a keyed look-up of a dictionary.
let lastType = '';
let lastVersion = 0;
let lastEncoder: Encoder = FUTURE_HELLO;

function encoderFor(msg: OfpMessage | RawFormMessage): Encoder {
  const { version } = msg;
  if (msg.type === lastType && version === lastVersion && !('body' in msg)) return lastEncoder;
  if (!Number.isInteger(version) || version < 1 || version > 0xff || (version > OFP15 && msg.type !== 'HELLO')) {
    throw new OfpError('BAD_VERSION', `cannot encode a ${msg.type} for OpenFlow version ${versionName(version)}`);
  }
  let code: number | undefined;
  let codec: AnyCodec | undefined;
  if (msg.type === 'UNKNOWN') {
    code = msg.typeCode;
    codec = unknownCodecs[code];
  } else {
    const e = version > OFP15 ? FUTURE_HELLO : ENCODERS[version]![msg.type];
    if (e) {
      if (!('body' in msg && Buffer.isBuffer(msg.body))) {
        if (version <= OFP15) {
          lastType = msg.type;
          lastVersion = version;
          lastEncoder = e;
        }
        return e;
      }
      code = e.code;
      codec = rawFor(msg.type);
    }
  }
  if (code === undefined || codec === undefined || !(code >= 0 && code <= 0xff)) {
    throw unencodable(`OpenFlow ${versionName(version)} has no message type ${msg.type}`);
  }
  return { code, codec };
}

/** A field of the wrong shape for this type/version (e.g. a 1.0 PACKET_IN given version 4). */
function shapeError(msg: OfpMessage | RawFormMessage, err: unknown): OfpError {
  if (err instanceof OfpError) return err;
  return unencodable(`cannot encode ${msg.type} for OpenFlow ${versionName(msg.version)}: ${(err as Error).message}`);
}

export function echoRequest(version: number, xid: number, data: Buffer = EMPTY): EchoMessage<'ECHO_REQUEST'> {
  return { type: 'ECHO_REQUEST', version, xid, data };
}

/** The reply OpenFlow expects: same version, xid and payload. */
export function echoReply(req: EchoMessage): EchoMessage<'ECHO_REPLY'> {
  return { type: 'ECHO_REPLY', version: req.version, xid: req.xid, data: req.data };
}
