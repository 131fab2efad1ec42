/**
 * FEATURES_REPLY and the port descriptions it carries in 1.0-1.2. These are larger, colder
 * structures, so their layouts are described with binary-parser (compiled once, here at module
 * load) rather than hand-written like the per-message hot path. What surrounds the parser is kept
 * cheap: one parser call per message (all ports in one array), fields read as numbers rather than
 * sliced out as Buffers, and the port name read in place.
 */
import { Buffer } from 'node:buffer';
import { Parser } from 'binary-parser';
import type { FeaturesReplyMessage, OfpPort } from './messages.js';
import { OFP_HEADER_LEN } from './header.js';
import { OFP10, OFP13 } from './versions.js';
import { put32, requireLength, unencodable, writePadding, type Codec } from './wire.js';
import { macString, writeMac } from './mac.js';
import { PORT_NAME_LEN, readPortName, writePortName } from './port-name.js';

const FEATURES_BODY_LEN = 24;
const PORTS_START = OFP_HEADER_LEN + FEATURES_BODY_LEN;
const PORT10_LEN = 48;
const PORT11_LEN = 64;
// Where the name sits inside ofp_phy_port (1.0) and ofp_port (1.1+).
const NAME_AT_10 = 8;
const NAME_AT_11 = 16;

interface PortFields {
  portNo: number; pad?: number; hwHi: number; hwLo: number; pad2?: number;
  config: number; state: number; curr: number; advertised: number; supported: number; peer: number;
  currSpeed?: number; maxSpeed?: number;
}
interface FeaturesFields {
  datapathId: bigint; nBuffers: number; nTables: number; pad1: number; pad2: number; capabilities: number;
  word: number; ports?: (PortFields | OfpPort)[];
}

// The MAC is read as a u16 and a u32 and the pads as integers: numbers cost nothing to make, a
// Buffer slice per field costs more than the rest of the port. The name is skipped here and read
// in place from the message (readPortName) because its decoding depends on where its NUL is.
const port10Parser = new Parser().endianness('big')
  .uint16('portNo').uint16('hwHi').uint32('hwLo').seek(PORT_NAME_LEN)
  .uint32('config').uint32('state').uint32('curr').uint32('advertised').uint32('supported').uint32('peer');
const port11Parser = new Parser().endianness('big')
  .uint32('portNo').uint32('pad').uint16('hwHi').uint32('hwLo').uint16('pad2').seek(PORT_NAME_LEN)
  .uint32('config').uint32('state').uint32('curr').uint32('advertised').uint32('supported').uint32('peer')
  .uint32('currSpeed').uint32('maxSpeed');

/**
 * Result object for the top-level parsers. binary-parser's generated code sets `$parent`/`$root` on
 * it and deletes them at the end; deleting them turns the object into a slow dictionary-mode one,
 * which cost more than the parse itself (the port objects it makes in arrays are unaffected). With
 * these inert accessors the writes add no property and the deletes find none to remove. Results do
 * not depend on this; only speed does.
 */
class FeaturesResult {}
for (const key of ['$parent', '$root']) {
  Object.defineProperty(FeaturesResult.prototype, key, { get: () => null, set: () => undefined });
}

// The whole message: the header is skipped (codec.ts has read it). 1.0-1.2: pad[3] after
// n_tables; 1.3+ uses the first of those bytes for auxiliary_id, and carries no ports. `word` is
// the supported-actions bitmap in 1.0 and the reserved word in 1.1+.
const featuresHead = (): Parser => new Parser().endianness('big').create(FeaturesResult).seek(OFP_HEADER_LEN)
  .uint64('datapathId').uint32('nBuffers').uint8('nTables').uint8('pad1').uint16('pad2')
  .uint32('capabilities').uint32('word');
const features10Parser = featuresHead().array('ports', { type: port10Parser, readUntil: 'eof' });
const features11Parser = featuresHead().array('ports', { type: port11Parser, readUntil: 'eof' });
const features13Parser = featuresHead();
for (const p of [port10Parser, port11Parser, features10Parser, features11Parser, features13Parser]) p.compile();

export const featuresReplyCodec: Codec<FeaturesReplyMessage> = {
  decode(buf, version, xid) {
    requireLength(buf, PORTS_START, 'FEATURES_REPLY');
    if (version >= OFP13) return decodeFeatures13(buf, version, xid);
    const size = version === OFP10 ? PORT10_LEN : PORT11_LEN;
    const portsEnd = buf.length - ((buf.length - PORTS_START) % size);
    // readUntil 'eof' must not start a partial port: only then is a shorter view needed.
    const parser = version === OFP10 ? features10Parser : features11Parser;
    const f = parser.parse(portsEnd === buf.length ? buf : buf.subarray(0, portsEnd)) as FeaturesFields;
    // The parser's array is fresh per call: its entries are swapped for our ports in place.
    const ports = f.ports!;
    const nameAt = PORTS_START + (version === OFP10 ? NAME_AT_10 : NAME_AT_11);
    for (let i = 0; i < ports.length; i++) ports[i] = toPort(ports[i] as PortFields, buf, nameAt + i * size, version);
    const m: FeaturesReplyMessage = version === OFP10
      ? {
        type: 'FEATURES_REPLY', version, xid, datapathId: f.datapathId, nBuffers: f.nBuffers, nTables: f.nTables,
        capabilities: f.capabilities, actions: f.word, ports: ports as OfpPort[],
      }
      : {
        type: 'FEATURES_REPLY', version, xid, datapathId: f.datapathId, nBuffers: f.nBuffers, nTables: f.nTables,
        capabilities: f.capabilities, reserved: f.word, ports: ports as OfpPort[],
      };
    if (f.pad1 !== 0 || f.pad2 !== 0) m.padding = buf.subarray(21, 24);
    if (portsEnd < buf.length) m.trailing = buf.subarray(portsEnd);
    return m;
  },

  bodyLength: (m) => FEATURES_BODY_LEN + portsLength(m) + (m.trailing?.length ?? 0),

  encodeBody(m, out) {
    out.writeBigUInt64BE(BigInt.asUintN(64, m.datapathId), 8);
    put32(out, 16, m.nBuffers >>> 0);
    out[20] = m.nTables;
    if (m.version >= OFP13) {
      out[21] = m.auxiliaryId ?? 0;
      writePadding(out, 22, 2, m.padding);
    } else {
      writePadding(out, 21, 3, m.padding);
    }
    put32(out, 24, m.capabilities >>> 0);
    put32(out, 28, ((m.version === OFP10 ? m.actions : m.reserved) ?? 0) >>> 0);
    let pos = PORTS_START;
    if (m.version < OFP13) {
      const ports = m.ports;
      if (ports) for (let i = 0; i < ports.length; i++) pos += encodePort(ports[i]!, m.version, out, pos);
    } else if (m.ports?.length) {
      throw unencodable('FEATURES_REPLY carries no ports in OpenFlow 1.3+');
    }
    m.trailing?.copy(out, pos);
  },
};

function decodeFeatures13(buf: Buffer, version: number, xid: number): FeaturesReplyMessage {
  const f = features13Parser.parse(buf) as FeaturesFields;
  const m: FeaturesReplyMessage = {
    type: 'FEATURES_REPLY', version, xid, datapathId: f.datapathId, nBuffers: f.nBuffers, nTables: f.nTables,
    auxiliaryId: f.pad1, capabilities: f.capabilities, reserved: f.word,
  };
  if (f.pad2 !== 0) m.padding = buf.subarray(22, 24);
  if (buf.length > PORTS_START) m.trailing = buf.subarray(PORTS_START);
  return m;
}

function portsLength(m: FeaturesReplyMessage): number {
  if (m.version >= OFP13) return 0;
  return (m.ports?.length ?? 0) * (m.version === OFP10 ? PORT10_LEN : PORT11_LEN);
}

/** Decodes one ofp_phy_port (1.0, 48 bytes) or ofp_port (1.1+, 64 bytes). */
export function decodePort(bytes: Buffer, version: number): OfpPort {
  const f = (version === OFP10 ? port10Parser : port11Parser).parse(bytes) as PortFields;
  return toPort(f, bytes, version === OFP10 ? NAME_AT_10 : NAME_AT_11, version);
}

/** Our port from the parsed fields; `nameAt` is where its name lies in `buf`. */
function toPort(f: PortFields, buf: Buffer, nameAt: number, version: number): OfpPort {
  const hwAddr = macString(f.hwHi, f.hwLo);
  const p: OfpPort = version === OFP10
    ? {
      portNo: f.portNo, hwAddr, name: '', config: f.config, state: f.state, curr: f.curr, advertised: f.advertised,
      supported: f.supported, peer: f.peer,
    }
    : {
      portNo: f.portNo, hwAddr, name: '', config: f.config, state: f.state, curr: f.curr, advertised: f.advertised,
      supported: f.supported, peer: f.peer, currSpeed: f.currSpeed!, maxSpeed: f.maxSpeed!,
    };
  if (version !== OFP10 && (f.pad !== 0 || f.pad2 !== 0)) {
    // Two separate pads in the wire layout, one field here: a copy, the only one a decode makes.
    const at = nameAt - NAME_AT_11;
    p.padding = Buffer.concat([buf.subarray(at + 4, at + 8), buf.subarray(at + 14, at + 16)]);
  }
  readPortName(buf, nameAt, p);
  return p;
}

/** Writes a port at `pos`; returns its size. */
export function encodePort(p: OfpPort, version: number, out: Buffer, pos: number): number {
  if (p.nameBytes && p.nameBytes.length !== PORT_NAME_LEN) {
    throw unencodable(`port name bytes must be ${PORT_NAME_LEN} long`);
  }
  let at = pos;
  if (version === OFP10) {
    out.writeUInt16BE(p.portNo, at);
    writeMac(p.hwAddr, out, at + 2);
    at += 8;
  } else {
    put32(out, at, p.portNo >>> 0);
    if (p.padding) {
      if (p.padding.length !== 6) throw unencodable('ofp_port padding must be 6 bytes');
      p.padding.copy(out, at + 4, 0, 4);
      p.padding.copy(out, at + 14, 4, 6);
    } else {
      put32(out, at + 4, 0);
      out[at + 14] = 0;
      out[at + 15] = 0;
    }
    writeMac(p.hwAddr, out, at + 8);
    at += 16;
  }
  if (p.nameBytes) p.nameBytes.copy(out, at);
  else writePortName(p.name, out, at);
  at += PORT_NAME_LEN;
  put32(out, at, p.config >>> 0);
  put32(out, at + 4, p.state >>> 0);
  put32(out, at + 8, p.curr >>> 0);
  put32(out, at + 12, p.advertised >>> 0);
  put32(out, at + 16, p.supported >>> 0);
  put32(out, at + 20, p.peer >>> 0);
  at += 24;
  if (version !== OFP10) {
    put32(out, at, (p.currSpeed ?? 0) >>> 0);
    put32(out, at + 4, (p.maxSpeed ?? 0) >>> 0);
    at += 8;
  }
  return at - pos;
}

/** A datapath id as Open vSwitch prints it: 16 lower-case hex digits. */
export function formatDatapathId(dpid: bigint): string {
  return BigInt.asUintN(64, dpid).toString(16).padStart(16, '0');
}
