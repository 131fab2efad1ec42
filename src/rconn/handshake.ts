/**
 * The controller's side of the standard OpenFlow handshake, after HELLO: FEATURES_REQUEST (who is
 * this switch), SET_CONFIG (how much of a missed packet to send us) and, in 1.3+ where
 * FEATURES_REPLY no longer lists ports, a PORT_DESC multipart request. Every switch-side tool may
 * wait for FEATURES_REQUEST before it sends anything (cbench does), so a controller that skips it
 * hears nothing.
 */
import { ConfigError, RconnError } from '../errors.js';
import { OFP13, OFP14, formatMac, type OfpMessage, type OfpPort } from '../ofp/index.js';
import { decodePort } from '../ofp/features.js';
import { readPortName } from '../ofp/port-name.js';
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
const OFPMP_PORT_DESC = 13;
const OFPMPF_REPLY_MORE = 1;
const MULTIPART_HEADER = 8;
const PORT13_LEN = 64;
const PORT14_HEADER = 40;
const OFPPDPT_ETHERNET = 0;

/** Validates handshake options where they are given. */
export function resolveHandshake(o: HandshakeOptions | boolean | undefined): Required<HandshakeOptions> | null {
  if (o === undefined || o === false) return null;
  const opts = o === true ? {} : o;
  const timeout = opts.timeout ?? DEFAULT_HANDSHAKE_TIMEOUT;
  if (typeof timeout !== 'number' || !(timeout > 0) || !Number.isFinite(timeout)) {
    throw new ConfigError(`handshake.timeout must be a number of seconds > 0 (got ${String(timeout)})`);
  }
  const missSendLen = opts.missSendLen === undefined ? DEFAULT_MISS_SEND_LEN : opts.missSendLen;
  if (missSendLen !== null && (!Number.isInteger(missSendLen) || missSendLen < 0 || missSendLen > 0xffff)) {
    throw new ConfigError(`handshake.missSendLen must be an integer in [0, 65535] or null (got ${String(missSendLen)})`);
  }
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
        const more = decodePortDesc(msg.body, version, ports);
        portsDone = !more;
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
      if (missSendLen !== null) rconn.send({ type: 'SET_CONFIG', version, xid: rconn.nextXid(), body: configBody(missSendLen) });
      if (portDescXid >= 0) rconn.send({ type: 'MULTIPART_REQUEST', version, xid: portDescXid, body: portDescRequest() });
    } catch (err) {
      finish(new HandshakeError('EHANDSHAKE', `${rconn.name}: could not send the handshake: ${(err as Error).message}`, { cause: err }));
    }
  });
}

/** ofp_switch_config body: flags FRAG_NORMAL, miss_send_len. */
function configBody(missSendLen: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt16BE(missSendLen, 2);
  return b;
}

function portDescRequest(): Buffer {
  const b = Buffer.alloc(MULTIPART_HEADER);
  b.writeUInt16BE(OFPMP_PORT_DESC, 0);
  return b;
}

/** Appends the ports of one PORT_DESC reply to `out`; returns whether more replies follow. */
function decodePortDesc(body: Buffer, version: number, out: OfpPort[]): boolean {
  if (body.length < MULTIPART_HEADER || body.readUInt16BE(0) !== OFPMP_PORT_DESC) return false;
  const more = (body.readUInt16BE(2) & OFPMPF_REPLY_MORE) !== 0;
  let at = MULTIPART_HEADER;
  if (version < OFP14) {
    for (; at + PORT13_LEN <= body.length; at += PORT13_LEN) out.push(decodePort(body.subarray(at, at + PORT13_LEN), version));
    return more;
  }
  while (at + PORT14_HEADER <= body.length) {
    const len = body.readUInt16BE(at + 4);
    if (len < PORT14_HEADER || at + len > body.length) break;
    out.push(decodePort14(body.subarray(at, at + len)));
    at += len;
  }
  return more;
}

/** 1.4+ ofp_port: a fixed head, then properties; the Ethernet one carries the feature words. */
function decodePort14(b: Buffer): OfpPort {
  const p: OfpPort = {
    portNo: b.readUInt32BE(0), hwAddr: formatMac(b.subarray(8, 14)), name: '', config: b.readUInt32BE(32),
    state: b.readUInt32BE(36), curr: 0, advertised: 0, supported: 0, peer: 0, currSpeed: 0, maxSpeed: 0,
  };
  readPortName(b, 16, p);
  for (let at = PORT14_HEADER; at + 4 <= b.length;) {
    const type = b.readUInt16BE(at);
    const len = b.readUInt16BE(at + 2);
    if (len < 4 || at + len > b.length) break;
    if (type === OFPPDPT_ETHERNET && len >= 32) {
      [p.curr, p.advertised, p.supported, p.peer, p.currSpeed, p.maxSpeed] =
        [0, 1, 2, 3, 4, 5].map((i) => b.readUInt32BE(at + 8 + i * 4));
    }
    at += (len + 7) & ~7;
  }
  return p;
}
