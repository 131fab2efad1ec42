/**
 * Bad input: random and mutated byte strings. decode() and the Framer may refuse them, but only
 * with OfpError (never a RangeError from a Buffer read, never a crash); and whatever decode does
 * accept re-encodes to exactly the same bytes.
 */
import fc from 'fast-check';
import { OfpError, decode, encode, type OfpMessage } from '../../src/ofp/index.js';
import { plainMessage } from '../support/plain.js';
import { anyMessageArb, bytes, u32, u8 } from './arbitraries.js';
import { assertSameRun, cutsArb, referenceSplit, runFramer } from './framer-harness.js';
import { fuzzProperty, type FuzzProperty } from './fuzz-property.js';
import { viewAt } from './roundtrip.props.js';

/** decode(b): OfpError is fine, any other throw fails; a decoded message must re-encode to b. */
export function decodeOrOfpError(b: Buffer, offset = 0): void {
  let msg;
  try {
    msg = decode(viewAt(b, offset));
    // The lazily decoded match, actions and instructions: reading them may fail, with OfpError only.
    plainMessage(msg);
  } catch (err) {
    if (err instanceof OfpError) {
      if (msg) expectReEncode(msg, b);
      return;
    }
    throw new Error(`decode threw ${(err as Error)?.name}: ${(err as Error)?.message} for ${b.toString('hex')}`);
  }
  expectReEncode(msg, b);
}

function expectReEncode(msg: OfpMessage, b: Buffer): void {
  const again = encode(msg);
  if (!again.equals(b)) throw new Error(`accepted ${b.toString('hex')} but re-encoded it as ${again.toString('hex')}`);
}

/** A header whose length field matches, so the bytes reach the type's codec. */
export function withHeader(version: number, type: number, xid: number, body: Buffer): Buffer {
  const b = Buffer.alloc(8 + body.length);
  b[0] = version;
  b[1] = type;
  b.writeUInt16BE(b.length, 2);
  b.writeUInt32BE(xid, 4);
  body.copy(b, 8);
  return b;
}

const knownVersion = fc.integer({ min: 1, max: 6 });
const plausibleType = fc.oneof(fc.integer({ min: 0, max: 35 }), u8);
/** Bodies around the fixed sizes of the decoded layouts (16, 24, 32, 48, 72 ...). */
const body = fc.oneof(bytes(24), bytes(96), bytes(200, 60));

type Mutation =
  | { op: 'set'; at: number; value: number }
  | { op: 'truncate'; by: number }
  | { op: 'extend'; with: Buffer }
  | { op: 'retype'; type: number }
  | { op: 'reversion'; version: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: u8 }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('truncate' as const), by: fc.integer({ min: 1, max: 40 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('extend' as const), with: bytes(40, 1) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('retype' as const), type: plausibleType }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('reversion' as const), version: fc.oneof(knownVersion, u8) }) },
);

/** Applies mutations to a copy of `wire`, then makes the length field tell the truth again. */
function mutate(wire: Buffer, ms: Mutation[]): Buffer {
  let b = Buffer.from(wire);
  for (const m of ms) {
    if (m.op === 'set') { if (b.length > 8) b[8 + (m.at % (b.length - 8))] = m.value; }
    else if (m.op === 'truncate') b = b.subarray(0, Math.max(8, b.length - m.by));
    else if (m.op === 'extend') b = Buffer.concat([b, m.with]);
    else if (m.op === 'retype') b[1] = m.type;
    else b[0] = m.version;
  }
  b = Buffer.from(b);
  b.writeUInt16BE(Math.min(b.length, 0xffff), 2);
  return b;
}

/** A byte stream that is mostly framed: valid messages, random bodies, the odd run of raw junk. */
const streamArb: fc.Arbitrary<Buffer> = fc.array(fc.oneof(
  { weight: 3, arbitrary: anyMessageArb.map((m) => encode(m)) },
  { weight: 3, arbitrary: fc.tuple(u8, u8, u32, bytes(40)).map(([v, t, x, b]) => withHeader(v, t, x, b)) },
  { weight: 1, arbitrary: bytes(12, 1) },
), { minLength: 1, maxLength: 8 }).map((parts) => Buffer.concat(parts));

const withCuts = (stream: fc.Arbitrary<Buffer>) =>
  stream.chain((b) => fc.tuple(fc.constant(b), cutsArb(b.length), fc.boolean()));

export const garbageProperties: FuzzProperty[] = [
  fuzzProperty('decode of random bytes throws only OfpError', 8_000, bytes(80), (b) => decodeOrOfpError(b)),
  fuzzProperty('decode of a random body behind a true header: OfpError or an exact re-encode', 12_000,
    fc.oneof(knownVersion, u8), plausibleType, u32, body, fc.integer({ min: 0, max: 5 }),
    (v, t, xid, b, off) => decodeOrOfpError(withHeader(v, t, xid, b), off)),
  fuzzProperty('decode of mutated encodings: OfpError or an exact re-encode', 15_000,
    anyMessageArb, fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 5 }),
    (m, ms, off) => decodeOrOfpError(mutate(encode(m), ms), off)),
  fuzzProperty('Framer over random bytes in random chunks: OfpError only, same result as a reference splitter', 5_000,
    withCuts(bytes(120)), ([b, cuts, reuse]) => assertSameRun(runFramer(b, cuts, reuse), referenceSplit(b), 'random bytes')),
  fuzzProperty('Framer over mostly-framed junk in random chunks: OfpError only, same as the reference', 5_000,
    withCuts(streamArb), ([b, cuts, reuse]) => assertSameRun(runFramer(b, cuts, reuse), referenceSplit(b), 'junk stream')),
];
