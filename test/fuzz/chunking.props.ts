/** The Framer yields the same messages however the same bytes are cut into chunks. */
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { decode, encode, type OfpMessage } from '../../src/ofp/index.js';
import { anyMessageArb, bytes } from './arbitraries.js';
import { assertSameRun, cutsArb, runFramer, type Outcome } from './framer-harness.js';
import { fuzzProperty, type FuzzProperty } from './fuzz-property.js';
import { plainMessage } from '../support/plain.js';

/** Random cut points, or a cut after every byte (the slowest possible socket). */
function chunkingArb(length: number): fc.Arbitrary<number[]> {
  return fc.oneof(
    { weight: 5, arbitrary: cutsArb(length) },
    { weight: 1, arbitrary: fc.constant(Array.from({ length: Math.max(0, length - 1) }, (_, i) => i + 1)) },
  );
}

const messagesArb = fc.array(anyMessageArb, { minLength: 1, maxLength: 10 });

/** How the stream ends after its good messages. */
type Tail = { kind: 'none' } | { kind: 'badLength'; len: number; after: Buffer } | { kind: 'truncated'; keep: number };

const tailArb: fc.Arbitrary<Tail> = fc.oneof(
  fc.record({ kind: fc.constant('badLength' as const), len: fc.integer({ min: 0, max: 7 }), after: bytes(30) }),
  fc.record({ kind: fc.constant('truncated' as const), keep: fc.integer({ min: 1, max: 0xfffe }) }),
);

function streamOf(msgs: OfpMessage[], tail: Tail): { bytes: Buffer; wires: Buffer[]; outcome: Outcome } {
  const wires = msgs.map((m) => encode(m));
  const parts = [...wires];
  let outcome: Outcome = 'ok';
  if (tail.kind === 'badLength') {
    const h = Buffer.from([4, 0, 0, 0, 0, 0, 0, 9]);
    h.writeUInt16BE(tail.len, 2);
    parts.push(h, tail.after);
    outcome = 'BAD_LENGTH';
  } else if (tail.kind === 'truncated') {
    // A copy of the last message whose length field announces more than follows.
    const last = Buffer.from(wires[wires.length - 1]!);
    const announced = Math.max(last.length + 1, Math.min(0xffff, tail.keep + 8));
    last.writeUInt16BE(announced, 2);
    parts.push(last.subarray(0, Math.min(last.length, announced - 1)));
    outcome = 'TRUNCATED';
  }
  return { bytes: Buffer.concat(parts), wires, outcome };
}

export const chunkingProperties: FuzzProperty[] = [
  fuzzProperty('any chunking of a valid stream yields the same messages, each decoding to what was sent', 4_000,
    messagesArb.chain((msgs) => {
      const s = streamOf(msgs, { kind: 'none' });
      return fc.tuple(fc.constant(msgs), fc.constant(s), chunkingArb(s.bytes.length), fc.boolean());
    }),
    ([msgs, s, cuts, reuse]) => {
      const run = runFramer(s.bytes, cuts, reuse);
      assertSameRun(run, { messages: s.wires, outcome: 'ok' }, `${cuts.length + 1} chunks`);
      run.messages.forEach((raw, i) => {
        if (!isDeepStrictEqual(plainMessage(decode(raw)), msgs[i])) throw new Error(`message ${i} decodes differently after framing`);
      });
    }),
  fuzzProperty('a bad length or a truncated message at the end: same messages first, same error, any chunking', 3_000,
    fc.tuple(messagesArb, tailArb).chain(([msgs, tail]) => {
      const s = streamOf(msgs, tail);
      return fc.tuple(fc.constant(s), chunkingArb(s.bytes.length), fc.boolean());
    }),
    ([s, cuts, reuse]) => {
      assertSameRun(runFramer(s.bytes, cuts, reuse), { messages: s.wires, outcome: s.outcome }, `${s.outcome} tail`);
    }),
];
