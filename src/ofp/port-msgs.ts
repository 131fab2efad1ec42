/**
 * Port descriptions in every version (1.4 made ofp_port variable-length, with its Ethernet fields
 * in a property), and the messages built on them: PORT_STATUS, PORT_MOD; plus TABLE_MOD, the
 * other small "mod" message with 1.4+ properties.
 */
import { Buffer } from 'node:buffer';
import type { OfpPort } from './messages.js';
import { badLength } from './ofp-error.js';
import { OFP10, OFP14 } from './versions.js';
import { decodePort, encodePort } from './features.js';
import { readPortName, writePortName } from './port-name.js';
import { macString, writeMac } from './mac.js';
import {
  PAD, need, propertiesLength, readProperties, struct, u16Length, writeProperties, type OfpProperty,
} from './struct.js';
import { put32, requireLength, restOrUndefined, unencodable, type Codec } from './wire.js';

interface Base { version: number; xid: number }

export interface PortStatusMessage extends Base {
  type: 'PORT_STATUS';
  /** OFPPR_ADD 0, DELETE 1, MODIFY 2. */
  reason: number;
  desc: OfpPort;
  padding?: Buffer;
  trailing?: Buffer;
}

export interface PortModMessage extends Base {
  type: 'PORT_MOD';
  /** u16 in 1.0, u32 in 1.1+. */
  portNo: number;
  hwAddr: string;
  config: number;
  mask: number;
  /**
   * Features to advertise; 1.0-1.3 always, 1.4+ as the ETHERNET property (present only when the
   * message's first property is one).
   */
  advertise?: number;
  /** 1.4+: the other properties (optical, experimenter), as bytes. */
  properties?: OfpProperty[];
  padding?: Buffer;
  trailing?: Buffer;
}

export interface TableModMessage extends Base {
  type: 'TABLE_MOD';
  tableId: number;
  config: number;
  /** 1.4+: eviction, vacancy, experimenter properties, as bytes. */
  properties?: OfpProperty[];
  padding?: Buffer;
  trailing?: Buffer;
}

const PORT10_LEN = 48;
const PORT11_LEN = 64;
const PORT14_HEAD = 40;
const ETHERNET_PROP = 0;
const ETHERNET_PROP_LEN = 32;

/** Size of the port at `pos`: fixed before 1.4, its length field from 1.4 on. */
export function portSizeAt(buf: Buffer, pos: number, version: number): number {
  if (version < OFP14) return version === OFP10 ? PORT10_LEN : PORT11_LEN;
  need(buf, pos, PORT14_HEAD, 'ofp_port');
  const len = buf.readUInt16BE(pos + 4);
  if (len < PORT14_HEAD) throw badLength(`ofp_port length ${len} is below ${PORT14_HEAD}`);
  need(buf, pos, len, 'ofp_port');
  return len;
}

/** Decodes the port at `pos` (whose size portSizeAt gave). */
export function readPort(buf: Buffer, pos: number, size: number, version: number): OfpPort {
  if (version < OFP14) return decodePort(buf.subarray(pos, pos + size), version);
  const p = {
    portNo: buf.readUInt32BE(pos), hwAddr: macString(buf.readUInt16BE(pos + 8), buf.readUInt32BE(pos + 10)),
    name: '', config: buf.readUInt32BE(pos + 32), state: buf.readUInt32BE(pos + 36),
    curr: 0, advertised: 0, supported: 0, peer: 0, currSpeed: 0, maxSpeed: 0,
  } as OfpPort;
  readPortName(buf, pos + 16, p);
  const pads = [buf.subarray(pos + 6, pos + 8), buf.subarray(pos + 14, pos + 16)];
  let at = pos + PORT14_HEAD;
  const end = pos + size;
  if (end - at >= ETHERNET_PROP_LEN && buf.readUInt16BE(at) === ETHERNET_PROP && buf.readUInt16BE(at + 2) === ETHERNET_PROP_LEN) {
    pads.push(buf.subarray(at + 4, at + 8));
    p.curr = buf.readUInt32BE(at + 8);
    p.advertised = buf.readUInt32BE(at + 12);
    p.supported = buf.readUInt32BE(at + 16);
    p.peer = buf.readUInt32BE(at + 20);
    p.currSpeed = buf.readUInt32BE(at + 24);
    p.maxSpeed = buf.readUInt32BE(at + 28);
    at += ETHERNET_PROP_LEN;
  } else {
    p.noEthernet = true;
  }
  if (pads.some((b) => b.some((x) => x !== 0))) p.padding = Buffer.concat(pads);
  if (at < end) p.properties = readProperties(buf, at, end, 'ofp_port');
  return p;
}

export function portLength(p: OfpPort, version: number): number {
  if (version < OFP14) return version === OFP10 ? PORT10_LEN : PORT11_LEN;
  return PORT14_HEAD + (p.noEthernet ? 0 : ETHERNET_PROP_LEN) + propertiesLength(p.properties);
}

/** Writes `p` at `pos`; returns its size. */
export function writePort(p: OfpPort, version: number, out: Buffer, pos: number): number {
  if (version < OFP14) return encodePort(p, version, out, pos);
  const len = u16Length(portLength(p, version), 'ofp_port');
  const padLen = p.noEthernet ? 4 : 8;
  if (p.padding && p.padding.length !== padLen) throw unencodable(`ofp_port padding must be ${padLen} bytes`);
  const padAt = (i: number, to: number, n: number): void => {
    if (p.padding) p.padding.copy(out, to, i, i + n);
    else out.fill(0, to, to + n);
  };
  put32(out, pos, p.portNo >>> 0);
  out.writeUInt16BE(len, pos + 4);
  padAt(0, pos + 6, 2);
  writeMac(p.hwAddr, out, pos + 8);
  padAt(2, pos + 14, 2);
  if (p.nameBytes) p.nameBytes.copy(out, pos + 16);
  else writePortName(p.name, out, pos + 16);
  put32(out, pos + 32, p.config >>> 0);
  put32(out, pos + 36, p.state >>> 0);
  let at = pos + PORT14_HEAD;
  if (!p.noEthernet) {
    out.writeUInt16BE(ETHERNET_PROP, at);
    out.writeUInt16BE(ETHERNET_PROP_LEN, at + 2);
    padAt(4, at + 4, 4);
    const words = [p.curr, p.advertised, p.supported, p.peer, p.currSpeed ?? 0, p.maxSpeed ?? 0];
    for (let i = 0; i < 6; i++) put32(out, at + 8 + 4 * i, words[i]! >>> 0);
    at += ETHERNET_PROP_LEN;
  }
  at += writeProperties(p.properties, out, at);
  return at - pos;
}

/** A run of ports from `pos` to the end of `buf`. */
export function readPorts(buf: Buffer, pos: number, version: number, what: string): OfpPort[] {
  const ports: OfpPort[] = [];
  for (let at = pos; at < buf.length;) {
    const size = portSizeAt(buf, at, version);
    need(buf, at, size, what);
    ports.push(readPort(buf, at, size, version));
    at += size;
  }
  return ports;
}

// ---- PORT_STATUS: reason u8, pad[7], port ----

export const portStatusCodec: Codec<PortStatusMessage> = {
  decode(buf, version, xid) {
    requireLength(buf, 16, 'PORT_STATUS');
    const size = portSizeAt(buf, 16, version);
    need(buf, 16, size, 'PORT_STATUS port');
    const m: PortStatusMessage = { type: 'PORT_STATUS', version, xid, reason: buf[8]!, desc: readPort(buf, 16, size, version) };
    if (buf.subarray(9, 16).some((b) => b !== 0)) m.padding = buf.subarray(9, 16);
    const trailing = restOrUndefined(buf, 16 + size);
    if (trailing) {
      if (version >= OFP14) throw badLength('PORT_STATUS: bytes after the port its length field describes');
      m.trailing = trailing;
    }
    return m;
  },
  bodyLength: (m) => 8 + portLength(m.desc, m.version) + (m.trailing?.length ?? 0),
  encodeBody(m, out) {
    out[8] = m.reason;
    if (m.padding) {
      if (m.padding.length !== 7) throw unencodable('PORT_STATUS padding must be 7 bytes');
      m.padding.copy(out, 9);
    } else {
      out.fill(0, 9, 16);
    }
    const n = writePort(m.desc, m.version, out, 16);
    m.trailing?.copy(out, 16 + n);
  },
};

// ---- PORT_MOD ----

const portMod10 = struct([['portNo', 'u16'], ['hwAddr', 'mac'], ['config', 'u32'], ['mask', 'u32'],
  ['advertise', 'u32'], ['', PAD(4)]]);
const portMod11 = struct([['portNo', 'u32'], ['', PAD(4)], ['hwAddr', 'mac'], ['', PAD(2)], ['config', 'u32'],
  ['mask', 'u32'], ['advertise', 'u32'], ['', PAD(4)]]);
const portMod14 = struct([['portNo', 'u32'], ['', PAD(4)], ['hwAddr', 'mac'], ['', PAD(2)], ['config', 'u32'],
  ['mask', 'u32']]);
const ETHERNET_MOD_LEN = 8;

const portModLayout = (v: number) => (v === OFP10 ? portMod10 : v < OFP14 ? portMod11 : portMod14);

export const portModCodec: Codec<PortModMessage> = {
  decode(buf, version, xid) {
    const s = portModLayout(version);
    requireLength(buf, 8 + s.size, 'PORT_MOD');
    const m = { type: 'PORT_MOD', version, xid } as PortModMessage;
    s.read(buf, 8, m as unknown as Record<string, unknown>);
    const at = 8 + s.size;
    if (version < OFP14) {
      const trailing = restOrUndefined(buf, at);
      if (trailing) m.trailing = trailing;
      return m;
    }
    const props = readProperties(buf, at, buf.length, 'PORT_MOD');
    const first = props[0];
    if (first && first.type === ETHERNET_PROP && first.data.length === 4 && !first.padding) {
      m.advertise = first.data.readUInt32BE(0);
      props.shift();
    }
    if (props.length) m.properties = props;
    return m;
  },
  bodyLength(m) {
    const s = portModLayout(m.version);
    if (m.version < OFP14) return s.size + (m.trailing?.length ?? 0);
    return s.size + (m.advertise === undefined ? 0 : ETHERNET_MOD_LEN) + propertiesLength(m.properties);
  },
  encodeBody(m, out) {
    const s = portModLayout(m.version);
    s.write(m as unknown as Record<string, unknown>, out, 8);
    let at = 8 + s.size;
    if (m.version < OFP14) {
      m.trailing?.copy(out, at);
      return;
    }
    if (m.advertise !== undefined) {
      out.writeUInt16BE(ETHERNET_PROP, at);
      out.writeUInt16BE(ETHERNET_MOD_LEN, at + 2);
      put32(out, at + 4, m.advertise >>> 0);
      at += ETHERNET_MOD_LEN;
    }
    writeProperties(m.properties, out, at);
  },
};

// ---- TABLE_MOD (1.1+): table_id u8, pad[3], config u32, 1.4+ properties ----

const tableMod = struct([['tableId', 'u8'], ['', PAD(3)], ['config', 'u32']]);

export const tableModCodec: Codec<TableModMessage> = {
  decode(buf, version, xid) {
    requireLength(buf, 16, 'TABLE_MOD');
    const m = { type: 'TABLE_MOD', version, xid } as TableModMessage;
    tableMod.read(buf, 8, m as unknown as Record<string, unknown>);
    if (version >= OFP14) {
      const props = readProperties(buf, 16, buf.length, 'TABLE_MOD');
      if (props.length) m.properties = props;
    } else {
      const trailing = restOrUndefined(buf, 16);
      if (trailing) m.trailing = trailing;
    }
    return m;
  },
  bodyLength: (m) => 8 + (m.version >= OFP14 ? propertiesLength(m.properties) : (m.trailing?.length ?? 0)),
  encodeBody(m, out) {
    tableMod.write(m as unknown as Record<string, unknown>, out, 8);
    if (m.version >= OFP14) writeProperties(m.properties, out, 16);
    else m.trailing?.copy(out, 16);
  },
};
