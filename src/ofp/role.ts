/**
 * Controller roles (OpenFlow 1.2+ ofp_controller_role) and the rules both ends of a role exchange
 * need: the generation-id comparison that fences out a stale master, and ROLE_STATUS bodies.
 */
import type { OfpMessage } from './messages.js';
import { OFP13, OFP14 } from './versions.js';

/** ofp_controller_role, index = wire value. */
export const CONTROLLER_ROLES = ['NOCHANGE', 'EQUAL', 'MASTER', 'SLAVE'] as const;
export type ControllerRole = (typeof CONTROLLER_ROLES)[number];

/** ofp_controller_role_reason (ROLE_STATUS), index = wire value. */
export const ROLE_STATUS_REASONS = ['MASTER_REQUEST', 'CONFIG', 'EXPERIMENTER'] as const;

/**
 * The generation id a switch reports while no controller has set one yet (Open vSwitch sends
 * all ones, and a NOCHANGE request carries no generation id at all).
 */
export const GENERATION_ID_UNDEFINED = 0xffff_ffff_ffff_ffffn;

/** Experimenter id and type of the ONF extension that carries ROLE_STATUS in OpenFlow 1.3. */
export const ONF_EXPERIMENTER_ID = 0x4f4e4600;
export const ONF_ET_ROLE_STATUS = 1911;

export function roleNumber(role: ControllerRole): number {
  return CONTROLLER_ROLES.indexOf(role);
}

/** Symbolic name of a role value, 'UNKNOWN_<n>' for values outside the enum. */
export function roleName(value: number): ControllerRole | `UNKNOWN_${number}` {
  return CONTROLLER_ROLES[value] ?? `UNKNOWN_${value}`;
}

export function isControllerRole(value: unknown): value is ControllerRole {
  return typeof value === 'string' && (CONTROLLER_ROLES as readonly string[]).includes(value);
}

/**
 * True when `candidate` is older than `current`: the specification compares generation ids as the
 * signed 64-bit difference (candidate - current) < 0, so the sequence may wrap around.
 */
export function isStaleGeneration(candidate: bigint, current: bigint): boolean {
  return BigInt.asIntN(64, candidate - current) < 0n;
}

export interface RoleStatus {
  role: number;
  reason: number;
  generationId: bigint;
}

const ROLE_STATUS_BODY = 16;

/**
 * The role, reason and generation id of a ROLE_STATUS (1.4+) or of Open vSwitch's ONF experimenter
 * ROLE_STATUS (1.3); null for any other message or an experimenter body too short to hold them.
 */
export function roleStatusOf(msg: OfpMessage): RoleStatus | null {
  if (msg.type === 'ROLE_STATUS') return { role: msg.role, reason: msg.reason, generationId: msg.generationId };
  if (msg.type !== 'EXPERIMENTER' || msg.experimenter !== ONF_EXPERIMENTER_ID || msg.expType !== ONF_ET_ROLE_STATUS) return null;
  if (msg.data.length < ROLE_STATUS_BODY) return null;
  return { role: msg.data.readUInt32BE(0), reason: msg.data[4]!, generationId: msg.data.readBigUInt64BE(8) };
}

/** The body of Open vSwitch's 1.3 ONF ROLE_STATUS: role u32, reason u8, pad[3], generation_id u64. */
function onfRoleStatusBody(status: RoleStatus): Buffer {
  const body = Buffer.alloc(ROLE_STATUS_BODY);
  body.writeUInt32BE(status.role >>> 0, 0);
  body[4] = status.reason & 0xff;
  body.writeBigUInt64BE(BigInt.asUintN(64, status.generationId), 8);
  return body;
}

/** A ROLE_STATUS for `version`: the 1.4+ message, the ONF experimenter one in 1.3, none before. */
export function makeRoleStatus(version: number, status: RoleStatus): OfpMessage | null {
  if (version >= OFP14) return { type: 'ROLE_STATUS', version, xid: 0, ...status };
  if (version === OFP13) {
    return {
      type: 'EXPERIMENTER', version, xid: 0, experimenter: ONF_EXPERIMENTER_ID, expType: ONF_ET_ROLE_STATUS,
      data: onfRoleStatusBody(status),
    };
  }
  return null;
}
