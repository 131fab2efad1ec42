/**
 * The controller's side of the standard OpenFlow handshake, after HELLO: FEATURES_REQUEST (who is
 * this switch), SET_CONFIG (how much of a missed packet to send us) and, in 1.3+ where
 * FEATURES_REPLY no longer lists ports, a PORT_DESC multipart request. Every switch-side tool may
 * wait for FEATURES_REQUEST before it sends anything (cbench does), so a controller that skips it
 * hears nothing.
 */
import { RconnError } from '../errors.js';
import { invalidOption, numberOption } from '../validate.js';
import { OFP13, type OfpMessage, type OfpPort } from '../ofp/index.js';
import { systemClock, type Clock } from './clock.js';
import type { Rconn } from './rconn.js';

/** What the handshake learnt about the switch (`rconn.features`). */
export interface SwitchFeatures {
  datapathId: bigint;
  nBuffers: number;
  nTables: number;
  /** 1.3+: the auxiliary connection id (0 for the main connection); 0 before 1.3. */
  auxiliaryId: number;
  capabilities: number;
  /** From FEATURES_REPLY (1.0-1.2) or the PORT_DESC reply (1.3+). */
  ports: OfpPort[];
}

export interface HandshakeOptions {
  /** Seconds the switch has to answer everything. @default 10 */
  timeout?: number;
  /** miss_send_len sent in SET_CONFIG; null sends no SET_CONFIG. @default 128 (OpenFlow's default) */
  missSendLen?: number | null;
}

/** Codes of {@link HandshakeError}. */
export type HandshakeErrorCode =
  /** The switch did not answer within the deadline. */
  | 'ETIMEDOUT'
  /** The switch answered FEATURES_REQUEST with an ERROR, or the connection ended during the handshake. */
  | 'EHANDSHAKE';

/** The handshake failed; `code` says how. */
export class HandshakeError extends RconnError {
  override name = 'HandshakeError';
  declare readonly code: HandshakeErrorCode;
  constructor(code: HandshakeErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

export const DEFAULT_HANDSHAKE_TIMEOUT = 10;
export const DEFAULT_MISS_SEND_LEN = 128;
const OFPMPF_REPLY_MORE = 1;

/** Validates handshake options where they are given. */
export function resolveHandshake(o: HandshakeOptions | boolean | undefined): Required<HandshakeOptions> | null {
  if (o === undefined || o === false) return null;
  const opts = o === true ? {} : o;
  if (opts === null || typeof opts !== 'object') invalidOption('listen', 'handshake', o, 'a boolean or { timeout, missSendLen }');
  const timeout = numberOption('listen', 'handshake.timeout', opts.timeout, DEFAULT_HANDSHAKE_TIMEOUT, { min: 0.001 });
  const missSendLen = opts.missSendLen === null ? null
    : numberOption('listen', 'handshake.missSendLen', opts.missSendLen, DEFAULT_MISS_SEND_LEN, { min: 0, max: 0xffff, integer: true });
  return { timeout, missSendLen };
}

/**
 * Runs the handshake on a connected rconn and sets `rconn.features`. Messages other than the
 * handshake's replies that arrive meanwhile are held and delivered, in order, once the promise has
 * resolved and its continuation has run (so listeners attached there see them).
 */
export function featuresHandshake(
  rconn: Rconn, options: HandshakeOptions = {}, clock: Clock = systemClock,
): Promise<SwitchFeatures> {
  const { timeout, missSendLen } = resolveHandshake(options)!;
  const version = rconn.version;
  return new Promise<SwitchFeatures>((resolve, reject) => {
    const featuresXid = rconn.nextXid();
    const portDescXid = version >= OFP13 ? rconn.nextXid() : -1;
    let features: SwitchFeatures | null = null;
    const ports: OfpPort[] = [];
    let portsDone = portDescXid < 0;
    const held: Array<[OfpMessage, Buffer]> = [];

    let done = false;
    const finish = (err: HandshakeError | null): void => {
      done = true;
      clock.clearTimer(timer);
      rconn.off('disconnected', onDisconnected);
      if (err) {
        rconn.interceptDelivery(null);
        reject(err);
        return;
      }
      if (version >= OFP13) features!.ports = ports;
      rconn.features = features!;
      resolve(features!);
      // Once the caller's continuation has wired its listeners up; until then, what arrives (often
      // in the same segment as the last reply) joins the held messages.
      setImmediate(() => {
        rconn.interceptDelivery(null);
        for (const [m, raw] of held) rconn.deliver(m, raw);
      });
    };
    const onMessage = (msg: OfpMessage): void => {
      if (msg.xid === featuresXid && msg.type === 'FEATURES_REPLY') {
        features = {
          datapathId: msg.datapathId, nBuffers: msg.nBuffers, nTables: msg.nTables, auxiliaryId: msg.auxiliaryId ?? 0,
          capabilities: msg.capabilities, ports: msg.ports ?? [],
        };
      } else if (msg.xid === featuresXid && msg.type === 'ERROR') {
        finish(new HandshakeError('EHANDSHAKE', `${rconn.name}: FEATURES_REQUEST answered with ERROR ${msg.errorTypeName}/${msg.codeName}`));
        return;
      } else if (msg.xid === portDescXid && msg.type === 'MULTIPART_REPLY') {
        if (msg.stats === 'PORT_DESC') ports.push(...msg.entries);
        portsDone = (msg.flags & OFPMPF_REPLY_MORE) === 0;
      } else if (msg.xid === portDescXid && msg.type === 'ERROR') {
        // A switch without PORT_DESC is still a switch: it just told us no ports.
        portsDone = true;
      }
      if (features && portsDone) finish(null);
    };
    const onDisconnected = ({ error }: { error: Error | null }): void => {
      finish(new HandshakeError('EHANDSHAKE', `${rconn.name}: connection ended during the handshake${error ? ` (${error.message})` : ''}`, { cause: error }));
    };
    const timer = clock.setTimer(() => {
      finish(new HandshakeError('ETIMEDOUT', `${rconn.name}: switch did not answer FEATURES_REQUEST${portDescXid >= 0 ? ' and PORT_DESC' : ''} within ${timeout} s`));
    }, timeout * 1000);

    // Until it is over, the handshake sees everything the switch sends; what is not its own is held.
    rconn.interceptDelivery((msg, raw) => {
      if (!done && (msg.xid === featuresXid || msg.xid === portDescXid)) onMessage(msg);
      else held.push([msg, raw]);
    });
    rconn.on('disconnected', onDisconnected);
    try {
      rconn.send({ type: 'FEATURES_REQUEST', version, xid: featuresXid });
      if (missSendLen !== null) rconn.send({ type: 'SET_CONFIG', version, xid: rconn.nextXid(), flags: 0, missSendLen });
      if (portDescXid >= 0) rconn.send({ type: 'MULTIPART_REQUEST', version, xid: portDescXid, flags: 0, stats: 'PORT_DESC' });
    } catch (err) {
      finish(new HandshakeError('EHANDSHAKE', `${rconn.name}: could not send the handshake: ${(err as Error).message}`, { cause: err }));
    }
  });
}
