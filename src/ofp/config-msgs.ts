/**
 * Switch configuration and status messages: GET_CONFIG_REPLY / SET_CONFIG (every version),
 * ROLE_STATUS (1.4+), GET_ASYNC_REPLY / SET_ASYNC (1.3 fixed masks, 1.4+ properties), and the
 * version-neutral async-config builder.
 */
import type { Buffer } from 'node:buffer';
import { OFP13, versionName } from './versions.js';
import {
  PAD, propertiesLength, readProperties, struct, writeProperties, type OfpProperty,
} from './struct.js';
import { put32, requireLength, restOrUndefined, unencodable, type Codec } from './wire.js';

interface Base { version: number; xid: number }

export interface SwitchConfigMessage<T extends 'GET_CONFIG_REPLY' | 'SET_CONFIG' = 'GET_CONFIG_REPLY' | 'SET_CONFIG'> extends Base {
  type: T;
  /** OFPC_FRAG_* (and 1.0-1.2's OFPC_INVALID_TTL_TO_CONTROLLER). */
  flags: number;
  missSendLen: number;
  trailing?: Buffer;
}

export interface RoleStatusMessage extends Base {
  type: 'ROLE_STATUS';
  role: number;
  /** OFPCRR_MASTER_REQUEST 0, CONFIG 1, EXPERIMENTER 2. */
  reason: number;
  generationId: bigint;
  properties?: OfpProperty[];
  padding?: Buffer;
}

/** A 1.4+ async property: a reason mask, or (experimenter, odd length) bytes. */
export type AsyncProperty = { type: number; mask: number } | OfpProperty;

export interface AsyncConfigMessage<T extends 'GET_ASYNC_REPLY' | 'SET_ASYNC' = 'GET_ASYNC_REPLY' | 'SET_ASYNC'> extends Base {
  type: T;
  /** 1.3: [master/equal, slave] reason bitmaps. */
  packetInMask?: [number, number];
  portStatusMask?: [number, number];
  flowRemovedMask?: [number, number];
  /** 1.4+: OFPACPT_* properties (type 2n is the slave mask, 2n+1 the master mask of a message kind). */
  properties?: AsyncProperty[];
  trailing?: Buffer;
}

// ---- GET_CONFIG_REPLY / SET_CONFIG: flags u16, miss_send_len u16 ----

export function switchConfigCodec(type: SwitchConfigMessage['type']): Codec<SwitchConfigMessage> {
  return {
    decode(buf, version, xid) {
      requireLength(buf, 12, type);
      const m: SwitchConfigMessage = { type, version, xid, flags: buf.readUInt16BE(8), missSendLen: buf.readUInt16BE(10) };
      const trailing = restOrUndefined(buf, 12);
      if (trailing) m.trailing = trailing;
      return m;
    },
    bodyLength: (m) => 4 + (m.trailing?.length ?? 0),
    encodeBody(m, out) {
      out.writeUInt16BE(m.flags, 8);
      out.writeUInt16BE(m.missSendLen, 10);
      m.trailing?.copy(out, 12);
    },
  };
}

// ---- ROLE_STATUS (1.4+): role u32, reason u8, pad[3], generation_id u64, properties ----

const roleStatus = struct([['role', 'u32'], ['reason', 'u8'], ['', PAD(3)], ['generationId', 'u64']]);

export const roleStatusCodec: Codec<RoleStatusMessage> = {
  decode(buf, version, xid) {
    requireLength(buf, 24, 'ROLE_STATUS');
    const m = { type: 'ROLE_STATUS', version, xid } as RoleStatusMessage;
    roleStatus.read(buf, 8, m as unknown as Record<string, unknown>);
    const props = readProperties(buf, 24, buf.length, 'ROLE_STATUS');
    if (props.length) m.properties = props;
    return m;
  },
  bodyLength: (m) => 16 + propertiesLength(m.properties),
  encodeBody(m, out) {
    roleStatus.write(m as unknown as Record<string, unknown>, out, 8);
    writeProperties(m.properties, out, 24);
  },
};

// ---- GET_ASYNC_REPLY / SET_ASYNC ----

const ASYNC13_LEN = 24;
const MASK_PROP_LEN = 8;

export function asyncConfigCodec(type: AsyncConfigMessage['type']): Codec<AsyncConfigMessage> {
  return {
    decode(buf, version, xid) {
      const m: AsyncConfigMessage = { type, version, xid };
      if (version === OFP13) {
        requireLength(buf, 8 + ASYNC13_LEN, type);
        const pair = (at: number): [number, number] => [buf.readUInt32BE(at), buf.readUInt32BE(at + 4)];
        m.packetInMask = pair(8);
        m.portStatusMask = pair(16);
        m.flowRemovedMask = pair(24);
        const trailing = restOrUndefined(buf, 32);
        if (trailing) m.trailing = trailing;
        return m;
      }
      const props: AsyncProperty[] = readProperties(buf, 8, buf.length, type);
      for (let i = 0; i < props.length; i++) {
        const p = props[i] as OfpProperty;
        if (p.type < 0xfffe && p.data.length === 4) props[i] = { type: p.type, mask: p.data.readUInt32BE(0) };
      }
      if (props.length) m.properties = props;
      return m;
    },
    bodyLength: (m) => (m.version === OFP13 ? ASYNC13_LEN + (m.trailing?.length ?? 0) : asyncPropsLength(m.properties)),
    encodeBody(m, out) {
      if (m.version === OFP13) {
        const masks = [m.packetInMask, m.portStatusMask, m.flowRemovedMask];
        masks.forEach((pair, i) => {
          if (pair !== undefined && pair.length !== 2) throw unencodable(`${type} masks are [master, slave] pairs`);
          put32(out, 8 + 8 * i, (pair?.[0] ?? 0) >>> 0);
          put32(out, 12 + 8 * i, (pair?.[1] ?? 0) >>> 0);
        });
        m.trailing?.copy(out, 32);
        return;
      }
      let at = 8;
      for (const p of m.properties ?? []) {
        if ('mask' in p) {
          out.writeUInt16BE(p.type, at);
          out.writeUInt16BE(MASK_PROP_LEN, at + 2);
          put32(out, at + 4, p.mask >>> 0);
          at += MASK_PROP_LEN;
        } else {
          at += writeProperties([p], out, at);
        }
      }
    },
  };
}

function asyncPropsLength(props: readonly AsyncProperty[] | undefined): number {
  let n = 0;
  for (const p of props ?? []) n += 'mask' in p ? MASK_PROP_LEN : propertiesLength([p]);
  return n;
}

/** Which async messages a controller gets, per role class: reason bitmaps (bit n = reason n). */
export interface AsyncMasks {
  packetIn?: { master: number; slave: number };
  portStatus?: { master: number; slave: number };
  flowRemoved?: { master: number; slave: number };
  /** 1.4+ only. */
  roleStatus?: { master: number; slave: number };
  tableStatus?: { master: number; slave: number };
  requestForward?: { master: number; slave: number };
}

const ASYNC_KINDS = ['packetIn', 'portStatus', 'flowRemoved', 'roleStatus', 'tableStatus', 'requestForward'] as const;

/**
 * A SET_ASYNC (or GET_ASYNC_REPLY) for `version` from masks written once: the fixed 1.3 layout, or
 * 1.4+ properties (one per mask given). A kind 1.3 lacks is an UNENCODABLE error naming both.
 */
export function asyncConfig<T extends AsyncConfigMessage['type'] = 'SET_ASYNC'>(
  version: number, xid: number, masks: AsyncMasks, type: T = 'SET_ASYNC' as T,
): AsyncConfigMessage<T> {
  if (version < OFP13) throw unencodable(`OpenFlow ${versionName(version)} has no ${type} (it exists since 1.3)`);
  if (version === OFP13) {
    for (const k of ASYNC_KINDS.slice(3)) {
      if (masks[k]) throw unencodable(`async mask ${k} does not exist in OpenFlow 1.3 ${type}`);
    }
    const pair = (k: 'packetIn' | 'portStatus' | 'flowRemoved'): [number, number] => [masks[k]?.master ?? 0, masks[k]?.slave ?? 0];
    return { type, version, xid, packetInMask: pair('packetIn'), portStatusMask: pair('portStatus'), flowRemovedMask: pair('flowRemoved') };
  }
  const properties: AsyncProperty[] = [];
  ASYNC_KINDS.forEach((k, i) => {
    const m = masks[k];
    if (m) properties.push({ type: 2 * i, mask: m.slave }, { type: 2 * i + 1, mask: m.master });
  });
  return { type, version, xid, properties };
}

