import { OFP10, makeError, type OfpMessage, type OfpPort } from '../ofp/index.js';
import { invalidOption, numberOption } from '../validate.js';

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
// Capabilities: FLOW_STATS | TABLE_STATS | PORT_STATS (same bits in all versions).
const CAPABILITIES = 0x7;
// 1.0 supported actions: OUTPUT, SET_VLAN_VID ... ENQUEUE except ENQUEUE (what OVS reports).
const ACTIONS_10 = 0xfff;
// dp_desc is the shortest field the description goes into: 256 bytes including the NUL.
const DESC_STR_MAX = 255;
// A 1.0 FEATURES_REPLY must fit one message (65535 bytes, 48 per port); also keeps ethN names and
// the 02:00:00:00:00:NN addresses unique.
const MAX_PORTS = 255;

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

  /** Throws ConfigError (EINVAL) naming the first option outside its wire field. */
  constructor(options: SwitchEmulatorOptions = {}) {
    const owner = 'SwitchEmulator';
    const dpid = options.datapathId ?? 1n;
    if (typeof dpid !== 'bigint' || dpid < 0n || dpid >= 1n << 64n) invalidOption(owner, 'datapathId', dpid, 'a bigint in [0, 2^64)');
    this.datapathId = dpid;
    this.nTables = numberOption(owner, 'nTables', options.nTables, 254, { min: 1, max: 255, integer: true });
    this.nBuffers = numberOption(owner, 'nBuffers', options.nBuffers, 256, { min: 0, max: 0xffffffff, integer: true });
    const description = options.description ?? 'openflow-rconn switch emulator';
    if (typeof description !== 'string' || Buffer.byteLength(description) > DESC_STR_MAX) {
      invalidOption(owner, 'description', description, `a string of at most ${DESC_STR_MAX} bytes (the DESC fields are NUL-terminated)`);
    }
    this.description = description;
    const ports = numberOption(owner, 'ports', options.ports, 2, { min: 0, max: MAX_PORTS, integer: true });
    this.ports = Array.from({ length: ports }, (_, i) => makePort(i + 1));
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
      case 'GET_CONFIG_REQUEST':
        return { type: 'GET_CONFIG_REPLY', version, xid, ...this.config };
      case 'SET_CONFIG':
        this.config = { flags: msg.flags, missSendLen: msg.missSendLen };
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

  private statsReply(req: Extract<OfpMessage, { type: 'STATS_REQUEST' | 'MULTIPART_REQUEST' }>): OfpMessage {
    const { version, xid } = req;
    const type = req.type === 'STATS_REQUEST' ? 'STATS_REPLY' : 'MULTIPART_REPLY';
    if (req.stats === 'DESC') {
      return {
        type, version, xid, flags: 0, stats: 'DESC', mfrDesc: 'openflow-rconn', hwDesc: 'emulated',
        swDesc: this.description, serialNum: 'none', dpDesc: this.description,
      };
    }
    if (req.stats === 'PORT_DESC') {
      return { type, version, xid, flags: 0, stats: 'PORT_DESC', entries: this.ports.map((p) => ({ ...p })) };
    }
    return makeError(version, xid, 'BAD_REQUEST', version <= 3 ? 'BAD_STAT' : 'BAD_MULTIPART', Buffer.alloc(0));
  }
}

function makePort(n: number): OfpPort {
  return {
    portNo: n, hwAddr: `02:00:00:00:00:${n.toString(16).padStart(2, '0')}`, name: `eth${n}`, config: 0, state: 0,
    curr: PORT_FEATURES, advertised: PORT_FEATURES, supported: PORT_FEATURES, peer: 0,
    currSpeed: 10_000_000, maxSpeed: 10_000_000,
  };
}
