import { ERROR_DATA_MAX, OFP10, encode, makeError, parseMac, type OfpMessage, type OfpPort } from '../ofp/index.js';
import { encodePort } from '../ofp/features.js';

export interface SwitchEmulatorOptions {
  /** @default 1n */
  datapathId?: bigint;
  /** Emulated ports, numbered 1..n. @default 2 */
  ports?: number;
  /** @default 254 */
  nTables?: number;
  /** @default 256 */
  nBuffers?: number;
  /** Text for the DESC multipart/stats reply. @default 'openflow-rconn switch emulator' */
  description?: string;
}

// OFPPF_10GB_FD: the same bit in every version 1.0-1.5 (the media bits differ).
const PORT_FEATURES = 1 << 6;
const OFPMP_DESC = 0;
const OFPMP_PORT_DESC = 13;
// Capabilities: FLOW_STATS | TABLE_STATS | PORT_STATS (same bits in all versions).
const CAPABILITIES = 0x7;
// 1.0 supported actions: OUTPUT, SET_VLAN_VID ... ENQUEUE except ENQUEUE (what OVS reports).
const ACTIONS_10 = 0xfff;
const STATS_REPLY_HEADER_10 = 4;
const MULTIPART_REPLY_HEADER = 8;

/**
 * The part of an OpenFlow switch a controller, `ovs-ofctl` or a test needs to see: it answers
 * FEATURES_REQUEST, GET_CONFIG_REQUEST, BARRIER_REQUEST and the DESC / PORT_DESC stats (multipart)
 * requests for any version; echo is answered by the rconn itself. Sans-I/O: `reply(msg)` returns
 * the answer, the caller sends it.
 */
export class SwitchEmulator {
  readonly datapathId: bigint;
  readonly ports: readonly OfpPort[];
  private readonly nTables: number;
  private readonly nBuffers: number;
  private readonly description: string;
  /** SET_CONFIG remembered for GET_CONFIG: flags and miss_send_len. */
  private config = { flags: 0, missSendLen: 128 };

  constructor(options: SwitchEmulatorOptions = {}) {
    this.datapathId = options.datapathId ?? 1n;
    this.nTables = options.nTables ?? 254;
    this.nBuffers = options.nBuffers ?? 256;
    this.description = options.description ?? 'openflow-rconn switch emulator';
    this.ports = Array.from({ length: options.ports ?? 2 }, (_, i) => makePort(i + 1));
  }

  /** The reply to `msg`, or null when it needs none (SET_CONFIG, FLOW_MOD, replies, ...). */
  reply(msg: OfpMessage): OfpMessage | null {
    const { version, xid } = msg;
    switch (msg.type) {
      case 'FEATURES_REQUEST':
        return {
          type: 'FEATURES_REPLY', version, xid, datapathId: this.datapathId, nBuffers: this.nBuffers,
          nTables: this.nTables, capabilities: CAPABILITIES,
          ...(version === OFP10 ? { actions: ACTIONS_10 } : { reserved: 0 }),
          ...(version >= 4 ? { auxiliaryId: 0 } : { ports: this.ports.map((p) => ({ ...p })) }),
        } as OfpMessage;
      case 'GET_CONFIG_REQUEST': {
        const body = Buffer.alloc(4);
        body.writeUInt16BE(this.config.flags, 0);
        body.writeUInt16BE(this.config.missSendLen, 2);
        return { type: 'GET_CONFIG_REPLY', version, xid, body };
      }
      case 'SET_CONFIG':
        if (msg.body.length >= 4) this.config = { flags: msg.body.readUInt16BE(0), missSendLen: msg.body.readUInt16BE(2) };
        return null;
      case 'BARRIER_REQUEST':
        return { type: 'BARRIER_REPLY', version, xid };
      case 'STATS_REQUEST':
      case 'MULTIPART_REQUEST':
        return this.statsReply(msg);
      case 'ROLE_REQUEST':
        return { type: 'ROLE_REPLY', version, xid, role: msg.role, generationId: msg.generationId };
      default:
        return null;
    }
  }

  private statsReply(msg: Extract<OfpMessage, { type: 'STATS_REQUEST' | 'MULTIPART_REQUEST' }>): OfpMessage {
    const { type, version, xid, body } = msg;
    if (body.length < 2) return errorFor(msg, 'BAD_REQUEST', 'BAD_LEN');
    const statsType = body.readUInt16BE(0);
    const headerLen = version === OFP10 ? STATS_REPLY_HEADER_10 : MULTIPART_REPLY_HEADER;
    let payload: Buffer;
    if (statsType === OFPMP_DESC) payload = this.descBody();
    else if (statsType === OFPMP_PORT_DESC) payload = this.portDescBody(version);
    else return errorFor(msg, 'BAD_REQUEST', version <= 3 ? 'BAD_STAT' : 'BAD_MULTIPART');
    const out = Buffer.alloc(headerLen + payload.length);
    out.writeUInt16BE(statsType, 0);
    payload.copy(out, headerLen);
    return { type: type === 'STATS_REQUEST' ? 'STATS_REPLY' : 'MULTIPART_REPLY', version, xid, body: out };
  }

  private descBody(): Buffer {
    // ofp_desc: mfr 256, hw 256, sw 256, serial 32, dp 256 bytes of NUL-padded text.
    const out = Buffer.alloc(1056);
    out.write('openflow-rconn', 0);
    out.write('emulated', 256);
    out.write(this.description, 512);
    out.write('none', 768);
    out.write(this.description, 800);
    return out;
  }

  private portDescBody(version: number): Buffer {
    if (version <= 4) {
      const size = version === OFP10 ? 48 : 64;
      const out = Buffer.alloc(size * this.ports.length);
      this.ports.forEach((p, i) => encodePort(p, version, out, i * size));
      return out;
    }
    // 1.4+: ofp_port with an ETHERNET property (40 + 32 bytes).
    const out = Buffer.alloc(72 * this.ports.length);
    this.ports.forEach((p, i) => {
      const at = i * 72;
      out.writeUInt32BE(p.portNo, at);
      out.writeUInt16BE(72, at + 4);
      parseMac(p.hwAddr).copy(out, at + 8);
      out.write(p.name, at + 16);
      out.writeUInt32BE(p.config, at + 32);
      out.writeUInt32BE(p.state, at + 36);
      out.writeUInt16BE(0, at + 40); // OFPPDPT_ETHERNET
      out.writeUInt16BE(32, at + 42);
      const words = [p.curr, p.advertised, p.supported, p.peer, p.currSpeed ?? 0, p.maxSpeed ?? 0];
      words.forEach((w, j) => out.writeUInt32BE(w >>> 0, at + 48 + j * 4));
    });
    return out;
  }
}

/**
 * An ERROR answering `request`: OpenFlow asks for at least its first 64 bytes, header included, so
 * the controller can tell which request failed. encode() is decode()'s exact inverse, so these are
 * the bytes that arrived.
 */
export function errorFor(request: OfpMessage, type: string, code: string): OfpMessage {
  return makeError(request.version, request.xid, type, code, encode(request).subarray(0, ERROR_DATA_MAX));
}

function makePort(n: number): OfpPort {
  return {
    portNo: n, hwAddr: `02:00:00:00:00:${n.toString(16).padStart(2, '0')}`, name: `eth${n}`, config: 0, state: 0,
    curr: PORT_FEATURES, advertised: PORT_FEATURES, supported: PORT_FEATURES, peer: 0,
    currSpeed: 10_000_000, maxSpeed: 10_000_000,
  };
}
