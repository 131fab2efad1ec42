/**
 * The switch side of controller roles (OpenFlow 1.2+), sans-I/O: one SwitchRoles per switch holds
 * the generation id and each connection's role and asynchronous-message configuration, answers
 * ROLE_REQUEST / SET_ASYNC / GET_ASYNC_REQUEST, refuses a SLAVE's state-changing requests and says
 * which connections an asynchronous message goes to. The rules follow the specification and, where
 * it leaves room, Open vSwitch (ofproto/connmgr.c), so both answer every role case alike.
 */
import {
  ERROR_DATA_MAX, GENERATION_ID_UNDEFINED, OFP12, OFP13, OFP14, asyncConfig, isStaleGeneration, makeError, makeRoleStatus,
  roleName, type AsyncConfigMessage, type ControllerRole, type OfpMessage,
} from '../ofp/index.js';

const ROLE_NOCHANGE = 0;
const ROLE_EQUAL = 1;
const ROLE_MASTER = 2;
const ROLE_SLAVE = 3;
const REASON_MASTER_REQUEST = 0;

/** Requests that change the switch's state: a SLAVE gets BAD_REQUEST/IS_SLAVE for them. */
const STATE_CHANGING = new Set<OfpMessage['type']>([
  'FLOW_MOD', 'PACKET_OUT', 'PORT_MOD', 'GROUP_MOD', 'METER_MOD', 'TABLE_MOD', 'BUNDLE_CONTROL', 'BUNDLE_ADD_MESSAGE',
]);

/** The asynchronous messages whose delivery the role and SET_ASYNC decide. */
export type AsyncKind = 'PACKET_IN' | 'PORT_STATUS' | 'FLOW_REMOVED';
const ASYNC_KINDS: readonly AsyncKind[] = ['PACKET_IN', 'PORT_STATUS', 'FLOW_REMOVED'];

/** Reason bitmasks per kind: [for MASTER/EQUAL, for SLAVE], the order of SET_ASYNC 1.3's arrays. */
export type AsyncConfig = Record<AsyncKind, [master: number, slave: number]>;

/**
 * The specification's defaults: MASTER/EQUAL get PACKET_IN (every reason but INVALID_TTL),
 * PORT_STATUS and FLOW_REMOVED; a SLAVE only PORT_STATUS.
 */
export function defaultAsyncConfig(version: number): AsyncConfig {
  const packetIn = version >= OFP14 ? 0x3b : 0x3; // 1.4 split ACTION into APPLY_ACTION, ACTION_SET, GROUP, PACKET_OUT
  const flowRemoved = version >= OFP14 ? 0x3f : 0xf;
  return { PACKET_IN: [packetIn, 0], PORT_STATUS: [0x7, 0x7], FLOW_REMOVED: [flowRemoved, 0] };
}

/** What the switch does about one message: answer the sender, tell other connections. */
export interface RoleOutcome<C> {
  reply: OfpMessage | null;
  notices: Array<{ conn: C; msg: OfpMessage }>;
}

interface ConnRole {
  version: number;
  role: number;
  async: AsyncConfig;
}

// SET_ASYNC 1.4+ property types: (kind, slave?) pairs in this order, 0..5.
const ASYNC_PROPS: ReadonlyArray<[AsyncKind, 0 | 1]> = [
  ['PACKET_IN', 1], ['PACKET_IN', 0], ['PORT_STATUS', 1], ['PORT_STATUS', 0], ['FLOW_REMOVED', 1], ['FLOW_REMOVED', 0],
];

export class SwitchRoles<C> {
  private generationId: bigint | null = null;
  private readonly conns = new Map<C, ConnRole>();

  /** A new connection (or a reconnect): EQUAL, default asynchronous configuration. */
  attach(conn: C, version: number): void {
    this.conns.set(conn, { version, role: ROLE_EQUAL, async: defaultAsyncConfig(version) });
  }

  detach(conn: C): void {
    this.conns.delete(conn);
  }

  roleOf(conn: C): ControllerRole | null {
    const c = this.conns.get(conn);
    return c ? (roleName(c.role) as ControllerRole) : null;
  }

  /** The newest generation id a MASTER or SLAVE request carried; null before the first. */
  get generation(): bigint | null {
    return this.generationId;
  }

  /**
   * Handles `msg` from `conn` when roles concern it (ROLE_REQUEST, SET_ASYNC, GET_ASYNC_REQUEST, a
   * SLAVE's state-changing request); null when the message is for the switch proper.
   */
  handle(conn: C, msg: OfpMessage, raw: Buffer): RoleOutcome<C> | null {
    const c = this.conns.get(conn);
    if (!c) return null;
    if (msg.type === 'ROLE_REQUEST') return this.roleRequest(conn, c, msg.role, msg.generationId, msg.xid, raw);
    if (msg.type === 'SET_ASYNC') {
      setAsync(c, msg);
      return { reply: null, notices: [] };
    }
    if (msg.type === 'GET_ASYNC_REQUEST') {
      const [packetIn, portStatus, flowRemoved] = ASYNC_KINDS.map((k) => ({ master: c.async[k][0], slave: c.async[k][1] }));
      return { reply: asyncConfig(c.version, msg.xid, { packetIn, portStatus, flowRemoved }, 'GET_ASYNC_REPLY'), notices: [] };
    }
    if (c.role === ROLE_SLAVE && STATE_CHANGING.has(msg.type)) {
      return { reply: makeError(c.version, msg.xid, 'BAD_REQUEST', 'IS_SLAVE', raw.subarray(0, ERROR_DATA_MAX)), notices: [] };
    }
    return null;
  }

  /**
   * Whether an asynchronous message of `kind` with `reason` goes to `conn` (its role and
   * SET_ASYNC); reason -1 (unknown) asks whether the connection gets that kind at all. Before 1.2
   * there are no roles: every connection gets everything.
   */
  wants(conn: C, kind: AsyncKind, reason: number): boolean {
    const c = this.conns.get(conn);
    if (!c) return false;
    if (c.version < OFP12) return true;
    const mask = c.async[kind][c.role === ROLE_SLAVE ? 1 : 0];
    if (reason === -1) return mask !== 0;
    return reason >= 0 && reason <= 31 && (mask & (1 << reason)) !== 0;
  }

  private roleRequest(conn: C, c: ConnRole, role: number, generationId: bigint, xid: number, raw: Buffer): RoleOutcome<C> {
    if (role > ROLE_SLAVE) {
      return { reply: makeError(c.version, xid, 'ROLE_REQUEST_FAILED', 'BAD_ROLE', raw.subarray(0, ERROR_DATA_MAX)), notices: [] };
    }
    const notices: RoleOutcome<C>['notices'] = [];
    if (role !== ROLE_NOCHANGE) {
      if (role !== ROLE_EQUAL) {
        if (this.generationId !== null && isStaleGeneration(generationId, this.generationId)) {
          return { reply: makeError(c.version, xid, 'ROLE_REQUEST_FAILED', 'STALE', raw.subarray(0, ERROR_DATA_MAX)), notices: [] };
        }
        this.generationId = generationId;
      }
      if (role === ROLE_MASTER && c.role !== ROLE_MASTER) {
        for (const [other, o] of this.conns) {
          if (other === conn || o.role !== ROLE_MASTER) continue;
          o.role = ROLE_SLAVE;
          const status = makeRoleStatus(o.version, { role: ROLE_SLAVE, reason: REASON_MASTER_REQUEST, generationId: this.reportedGeneration });
          if (status) notices.push({ conn: other, msg: status });
        }
      }
      c.role = role;
    }
    return {
      reply: { type: 'ROLE_REPLY', version: c.version, xid, role: c.role, generationId: this.reportedGeneration },
      notices,
    };
  }

  private get reportedGeneration(): bigint {
    return this.generationId ?? GENERATION_ID_UNDEFINED;
  }
}

/** SET_ASYNC: 1.3 replaces every mask; 1.4+ properties each set one, the others keep their value. */
function setAsync(c: ConnRole, msg: AsyncConfigMessage<'SET_ASYNC'>): void {
  if (c.version === OFP13) {
    const pairs = [msg.packetInMask, msg.portStatusMask, msg.flowRemovedMask];
    ASYNC_KINDS.forEach((kind, i) => { const p = pairs[i]; if (p) c.async[kind] = [p[0], p[1]]; });
    return;
  }
  for (const p of msg.properties ?? []) {
    // ROLE_STATUS, TABLE_STATUS and REQUESTFORWARD masks (types 6+) and experimenter properties:
    // accepted; nothing here sends those messages by configuration.
    if (!('mask' in p)) continue;
    const prop = ASYNC_PROPS[p.type];
    if (prop) c.async[prop[0]][prop[1]] = p.mask >>> 0;
  }
}
