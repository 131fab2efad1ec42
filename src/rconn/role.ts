/**
 * The controller side of OpenFlow 1.2+ roles: one ROLE_REQUEST, answered by the ROLE_REPLY or the
 * switch's ERROR with the same xid, within a deadline, on the connection it was sent on.
 */
import {
  CONTROLLER_ROLES, OFP12, isControllerRole, roleName, roleNumber, type ControllerRole, type ErrorMessage, type OfpMessage,
  type RoleMessage,
} from '../ofp/index.js';
import { ConfigError, NotConnectedError, RconnError, TimeoutError } from '../errors.js';
import type { Clock } from './clock.js';
import type { Rconn } from './rconn.js';

export interface RoleRequestOptions {
  /** Seconds to wait for the ROLE_REPLY. @default 5 */
  timeout?: number;
}

export interface RoleReply {
  /** The role the switch now gives this connection. */
  role: ControllerRole | `UNKNOWN_${number}`;
  /** The switch's current generation id; all ones (GENERATION_ID_UNDEFINED) while none was set. */
  generationId: bigint;
  message: RoleMessage<'ROLE_REPLY'>;
}

/** Codes of {@link RoleRequestError}. */
export type RoleRequestErrorCode =
  /** ROLE_REQUEST_FAILED/STALE: the generation id is older than one the switch has already seen. */
  | 'ESTALE'
  /** ROLE_REQUEST_FAILED/UNSUP: the switch does not support the role change. */
  | 'EROLEUNSUP'
  /** ROLE_REQUEST_FAILED/BAD_ROLE. */
  | 'EBADROLE'
  /** Another ERROR (e.g. BAD_REQUEST/BAD_TYPE from a switch without roles); see `reply`. */
  | 'EREFUSED'
  /** The connection negotiated OpenFlow 1.0 or 1.1, which have no ROLE_REQUEST. */
  | 'EOPNOTSUPP';

/** A role request the switch refused, or one that cannot be sent on this connection. */
export class RoleRequestError extends RconnError {
  override name = 'RoleRequestError';
  declare readonly code: RoleRequestErrorCode;
  constructor(code: RoleRequestErrorCode, message: string, readonly reply?: ErrorMessage) {
    super(code, message);
  }
}

const DEFAULT_TIMEOUT_S = 5;
const MAX_GENERATION_ID = (1n << 64n) - 1n;
const ROLE_ERRORS: Readonly<Record<string, RoleRequestErrorCode>> = { STALE: 'ESTALE', UNSUP: 'EROLEUNSUP', BAD_ROLE: 'EBADROLE' };

/**
 * Sends ROLE_REQUEST(role, generationId) on `rconn` and settles with the switch's answer: resolves
 * with the ROLE_REPLY; rejects with RoleRequestError (ESTALE, EROLEUNSUP, EBADROLE, EREFUSED,
 * EOPNOTSUPP), TimeoutError (ETIMEDOUT) or NotConnectedError (ENOTCONN: not connected, or the
 * connection dropped before the answer). Bad arguments throw ConfigError (EINVAL) at the call.
 */
export function requestRole(
  rconn: Rconn, clock: Clock, role: ControllerRole, generationId = 0n, options: RoleRequestOptions = {},
): Promise<RoleReply> {
  const timeout = options.timeout ?? DEFAULT_TIMEOUT_S;
  // Bad arguments are the caller's bug: thrown at the call, like every option of the library.
  if (!isControllerRole(role)) {
    throw new ConfigError(`role must be one of ${CONTROLLER_ROLES.join(', ')}, got ${String(role)}`, { option: 'role', value: role });
  }
  if (typeof generationId !== 'bigint' || generationId < 0n || generationId > MAX_GENERATION_ID) {
    throw new ConfigError(`generationId must be a bigint in [0, 2^64), got ${String(generationId)}`, { option: 'generationId', value: generationId });
  }
  if (typeof timeout !== 'number' || !(timeout > 0) || !Number.isFinite(timeout)) {
    throw new ConfigError(`timeout must be a positive number of seconds, got ${String(timeout)}`, { option: 'timeout', value: timeout });
  }
  if (!rconn.isConnected()) return Promise.reject(new NotConnectedError(`${rconn.name}: not connected`));
  const version = rconn.version;
  if (version < OFP12) {
    return Promise.reject(new RoleRequestError('EOPNOTSUPP', `${rconn.name}: OpenFlow ${version} has no ROLE_REQUEST (needs 1.2+)`));
  }
  const xid = rconn.nextXid();
  return new Promise<RoleReply>((resolve, reject) => {
    const finish = (): void => {
      clock.clearTimer(timer);
      rconn.off('message', onMessage);
      rconn.off('disconnected', onGone);
      rconn.off('close', onGone);
    };
    const onMessage = (msg: OfpMessage): void => {
      if (msg.xid !== xid) return;
      if (msg.type === 'ROLE_REPLY') {
        finish();
        resolve({ role: roleName(msg.role), generationId: msg.generationId, message: msg });
      } else if (msg.type === 'ERROR') {
        finish();
        reject(refusal(rconn, role, msg));
      }
    };
    const onGone = (): void => {
      finish();
      reject(new NotConnectedError(`${rconn.name}: connection lost before the ROLE_REPLY`));
    };
    const timer = clock.setTimer(() => {
      finish();
      reject(new TimeoutError(`${rconn.name}: no ROLE_REPLY to ROLE_REQUEST ${role} within ${timeout} s`));
    }, timeout * 1000);
    rconn.on('message', onMessage);
    rconn.on('disconnected', onGone);
    rconn.on('close', onGone);
    try {
      rconn.send({ type: 'ROLE_REQUEST', version, xid, role: roleNumber(role), generationId });
    } catch (err) {
      finish();
      reject(err);
    }
  });
}

function refusal(rconn: Rconn, role: ControllerRole, msg: ErrorMessage): RoleRequestError {
  const code = msg.errorTypeName === 'ROLE_REQUEST_FAILED' ? ROLE_ERRORS[msg.codeName] ?? 'EREFUSED' : 'EREFUSED';
  return new RoleRequestError(code, `${rconn.name}: ROLE_REQUEST ${role} refused with ${msg.errorTypeName}/${msg.codeName}`, msg);
}
