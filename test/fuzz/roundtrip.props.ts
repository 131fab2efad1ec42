/** encode/decode are exact inverses on generated messages of every decoded type in every version. */
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import {
  ALL_VERSIONS, decode, decodeActions, decodeInstructions, decodeMatch, encode, encodeActions, encodeInstructions, encodeMatch,
  readHeader, typeCode, versionName, type OfpMessage,
} from '../../src/ofp/index.js';
import { actionsArb, instructionsArb, matchArb } from './flow-arbitraries.js';
import { anyMessageArb, futureHelloArb, messageArb } from './arbitraries.js';
import { fuzzProperty, type FuzzProperty } from './fuzz-property.js';
import { plainMessage } from '../support/plain.js';

/** A copy of `b` inside a larger buffer at `offset`: decode must not assume byteOffset 0. */
export function viewAt(b: Buffer, offset: number): Buffer {
  const big = Buffer.alloc(b.length + offset + 7, 0xa5);
  b.copy(big, offset);
  return big.subarray(offset, offset + b.length);
}

function describe(m: unknown): string {
  return JSON.stringify(m, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
}

function checkRoundTrip(msg: OfpMessage, offset: number): void {
  const wire = encode(msg);
  const h = readHeader(wire);
  const expectedType = msg.type === 'UNKNOWN' ? msg.typeCode : msg.version > 6 ? 0 : typeCode(msg.version, msg.type);
  if (h.length !== wire.length || h.version !== msg.version || h.xid !== msg.xid || h.type !== expectedType) {
    throw new Error(`bad header ${describe(h)} for ${describe(msg)}`);
  }
  const back = plainMessage(decode(viewAt(wire, offset)));
  if (!isDeepStrictEqual(back, msg)) throw new Error(`decode(encode(m)) differs:\n  m:    ${describe(msg)}\n  back: ${describe(back)}`);
  const again = encode(back);
  if (!again.equals(wire)) throw new Error(`encode(decode(b)) != b: ${wire.toString('hex')} -> ${again.toString('hex')}`);
}

const offset = fc.integer({ min: 0, max: 13 });

/** decode(encode(x)) deep-equals x, and encoding that again gives the same bytes. */
function checkPart<T>(what: string, x: T, enc: (x: T) => Buffer, dec: (b: Buffer) => T): void {
  const wire = enc(x);
  const back = dec(viewAt(wire, 3));
  if (!isDeepStrictEqual(back, x)) throw new Error(`${what}: decode(encode(x)) differs:\n  x:    ${describe(x)}\n  back: ${describe(back)}`);
  if (!enc(back).equals(wire)) throw new Error(`${what}: re-encoding changed the bytes`);
}

const partProperties: FuzzProperty[] = ALL_VERSIONS.flatMap((v) => [
  fuzzProperty(`match round trip, OpenFlow ${versionName(v)}`, 1_500, matchArb(v),
    (m) => checkPart('match', m, (x) => encodeMatch(v, x), (b) => decodeMatch(v, b))),
  fuzzProperty(`action list round trip, OpenFlow ${versionName(v)}`, 1_000, actionsArb(v),
    (a) => checkPart('actions', a, (x) => encodeActions(v, x), (b) => decodeActions(v, b, 0, b.length))),
  ...(v === 1 ? [] : [fuzzProperty(`instruction list round trip, OpenFlow ${versionName(v)}`, 1_000, instructionsArb(v),
    (i) => checkPart('instructions', i, (x) => encodeInstructions(v, x), (b) => decodeInstructions(v, b, 0, b.length)))]),
]);

export const roundTripProperties: FuzzProperty[] = [
  ...ALL_VERSIONS.map((v) => fuzzProperty(
    `decode(encode(m)) deep-equals m and encode(decode(b)) equals b, OpenFlow ${versionName(v)}`,
    7_000, messageArb(v), offset, checkRoundTrip,
  )),
  fuzzProperty('HELLO of a future version (0x07-0xff) round-trips', 1_000, futureHelloArb, offset, checkRoundTrip),
  fuzzProperty('any message of any version round-trips', 5_000, anyMessageArb, offset, checkRoundTrip),
  ...partProperties,
];
