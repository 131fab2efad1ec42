/**
 * FEATURES_REPLY and the port descriptions it carries in 1.0-1.2. These are larger, colder
 * structures, so they are described with binary-parser (compiled once, here at module load) rather
 * than hand-written like the per-message hot path.
 */
import { Parser } from 'binary-parser';
import type { FeaturesReplyMessage, OfpPort } from './messages.js';
import { OFP_HEADER_LEN } from './header.js';
import { OFP10, OFP13 } from './versions.js';
import { nonZero, requireLength, unencodable, writePadding, type Codec } from './wire.js';

const FEATURES_BODY_LEN = 24;
const PORT10_LEN = 48;
const PORT11_LEN = 64;
const PORT_NAME_LEN = 16;

interface FeaturesFields {
  datapathId: bigint; nBuffers: number; nTables: number; pad: Buffer; capabilities: number; word: number;
}
interface PortFields {
  portNo: number; pad?: Buffer; hwAddr: Buffer; pad2?: Buffer; name: Buffer; config: number; state: number;
  curr: number; advertised: number; supported: number; peer: number; currSpeed?: number; maxSpeed?: number;
}

// 1.0-1.2: pad[3] after n_tables; 1.3+ uses the first of those bytes for auxiliary_id.
// `word` is the supported-actions bitmap in 1.0 and the reserved word in 1.1+.
const featuresParser = new Parser().endianness('big')
  .uint64('datapathId').uint32('nBuffers').uint8('nTables').buffer('pad', { length: 3 })
  .uint32('capabilities').uint32('word');

const port10Parser = new Parser().endianness('big')
  .uint16('portNo').buffer('hwAddr', { length: 6 }).buffer('name', { length: PORT_NAME_LEN })
  .uint32('config').uint32('state').uint32('curr').uint32('advertised').uint32('supported').uint32('peer');
const port11Parser = new Parser().endianness('big')
  .uint32('portNo').buffer('pad', { length: 4 }).buffer('hwAddr', { length: 6 }).buffer('pad2', { length: 2 })
  .buffer('name', { length: PORT_NAME_LEN })
  .uint32('config').uint32('state').uint32('curr').uint32('advertised').uint32('supported').uint32('peer')
  .uint32('currSpeed').uint32('maxSpeed');

export const featuresReplyCodec: Codec<FeaturesReplyMessage> = {
  decode(buf, version, xid) {
    requireLength(buf, OFP_HEADER_LEN + FEATURES_BODY_LEN, 'FEATURES_REPLY');
    const end = OFP_HEADER_LEN + FEATURES_BODY_LEN;
    const f = featuresParser.parse(buf.subarray(OFP_HEADER_LEN, end)) as FeaturesFields;
    const m: FeaturesReplyMessage = {
      type: 'FEATURES_REPLY', version, xid, datapathId: f.datapathId, nBuffers: f.nBuffers, nTables: f.nTables,
      capabilities: f.capabilities,
    };
    let pad = f.pad;
    if (version >= OFP13) {
      m.auxiliaryId = pad[0]!;
      pad = pad.subarray(1);
    }
    if (version === OFP10) m.actions = f.word;
    else m.reserved = f.word;
    const padding = nonZero(pad);
    if (padding) m.padding = padding;

    let pos = end;
    if (version < OFP13) {
      const size = version === OFP10 ? PORT10_LEN : PORT11_LEN;
      m.ports = [];
      for (; buf.length - pos >= size; pos += size) m.ports.push(decodePort(buf.subarray(pos, pos + size), version));
    }
    if (pos < buf.length) m.trailing = buf.subarray(pos);
    return m;
  },

  bodyLength: (m) => FEATURES_BODY_LEN + portsLength(m) + (m.trailing?.length ?? 0),

  encodeBody(m, out) {
    out.writeBigUInt64BE(BigInt.asUintN(64, m.datapathId), 8);
    out.writeUInt32BE(m.nBuffers >>> 0, 16);
    out[20] = m.nTables;
    if (m.version >= OFP13) {
      out[21] = m.auxiliaryId ?? 0;
      writePadding(out, 22, 2, m.padding);
    } else {
      writePadding(out, 21, 3, m.padding);
    }
    out.writeUInt32BE(m.capabilities >>> 0, 24);
    out.writeUInt32BE(((m.version === OFP10 ? m.actions : m.reserved) ?? 0) >>> 0, 28);
    let pos = OFP_HEADER_LEN + FEATURES_BODY_LEN;
    if (m.version < OFP13) {
      for (const p of m.ports ?? []) pos += encodePort(p, m.version, out, pos);
    } else if (m.ports?.length) {
      throw unencodable('FEATURES_REPLY carries no ports in OpenFlow 1.3+');
    }
    m.trailing?.copy(out, pos);
  },
};

function portsLength(m: FeaturesReplyMessage): number {
  if (m.version >= OFP13) return 0;
  return (m.ports?.length ?? 0) * (m.version === OFP10 ? PORT10_LEN : PORT11_LEN);
}

/** Decodes one ofp_phy_port (1.0, 48 bytes) or ofp_port (1.1+, 64 bytes). */
export function decodePort(bytes: Buffer, version: number): OfpPort {
  const f = (version === OFP10 ? port10Parser : port11Parser).parse(bytes) as PortFields;
  const name = portName(f.name);
  const p: OfpPort = {
    portNo: f.portNo, hwAddr: formatMac(f.hwAddr), name, config: f.config, state: f.state, curr: f.curr,
    advertised: f.advertised, supported: f.supported, peer: f.peer,
  };
  if (version !== OFP10) {
    p.currSpeed = f.currSpeed!;
    p.maxSpeed = f.maxSpeed!;
    if (nonZero(f.pad!) || nonZero(f.pad2!)) p.padding = Buffer.concat([f.pad!, f.pad2!]);
  }
  if (!encodeName(name).equals(f.name)) p.nameBytes = f.name;
  return p;
}

/** Writes a port at `pos`; returns its size. */
export function encodePort(p: OfpPort, version: number, out: Buffer, pos: number): number {
  const mac = parseMac(p.hwAddr);
  const name = p.nameBytes ?? encodeName(p.name);
  if (name.length !== PORT_NAME_LEN) throw unencodable(`port name bytes must be ${PORT_NAME_LEN} long`);
  let at = pos;
  if (version === OFP10) {
    out.writeUInt16BE(p.portNo, at);
    at += 2;
  } else {
    out.writeUInt32BE(p.portNo >>> 0, at);
    if (p.padding) {
      if (p.padding.length !== 6) throw unencodable('ofp_port padding must be 6 bytes');
      p.padding.copy(out, at + 4, 0, 4);
      p.padding.copy(out, at + 14, 4, 6);
    }
    at += 8;
  }
  mac.copy(out, at);
  at += version === OFP10 ? 6 : 8;
  name.copy(out, at);
  at += PORT_NAME_LEN;
  const words = [p.config, p.state, p.curr, p.advertised, p.supported, p.peer];
  if (version !== OFP10) words.push(p.currSpeed ?? 0, p.maxSpeed ?? 0);
  for (const w of words) {
    out.writeUInt32BE(w >>> 0, at);
    at += 4;
  }
  return at - pos;
}

function portName(bytes: Buffer): string {
  const nul = bytes.indexOf(0);
  return bytes.toString('utf8', 0, nul < 0 ? bytes.length : nul);
}

function encodeName(name: string): Buffer {
  const b = Buffer.alloc(PORT_NAME_LEN);
  b.write(name, 'utf8');
  return b;
}

export function formatMac(b: Buffer): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(':');
}

export function parseMac(s: string): Buffer {
  const parts = s.split(/[:-]/);
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{1,2}$/.test(p))) {
    throw unencodable(`not a MAC address: ${JSON.stringify(s)}`);
  }
  return Buffer.from(parts.map((p) => parseInt(p, 16)));
}

/** A datapath id as Open vSwitch prints it: 16 lower-case hex digits. */
export function formatDatapathId(dpid: bigint): string {
  return BigInt.asUintN(64, dpid).toString(16).padStart(16, '0');
}
