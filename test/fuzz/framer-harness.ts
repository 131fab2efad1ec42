/**
 * Drives a Framer over a byte string cut at arbitrary points, and an independent reference
 * splitter to compare it with.
 */
import fc from 'fast-check';
import { Framer, OfpError } from '../../src/ofp/index.js';

export type Outcome = 'ok' | 'TRUNCATED' | 'BAD_LENGTH';

export interface FramerRun {
  messages: Buffer[];
  outcome: Outcome;
}

/** What a correct framer yields for `bytes`: messages up to the first bad length, then how it ends. */
export function referenceSplit(bytes: Buffer): FramerRun {
  const messages: Buffer[] = [];
  let pos = 0;
  while (bytes.length - pos >= 8) {
    const len = bytes.readUInt16BE(pos + 2);
    if (len < 8) return { messages, outcome: 'BAD_LENGTH' };
    if (bytes.length - pos < len) break;
    messages.push(bytes.subarray(pos, pos + len));
    pos += len;
  }
  return { messages, outcome: pos < bytes.length ? 'TRUNCATED' : 'ok' };
}

/** Sorted, distinct cut positions inside a buffer of `length` bytes. */
export function cutsArb(length: number): fc.Arbitrary<number[]> {
  return fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, length - 1) }), { maxLength: Math.min(24, length) })
    .map((c) => c.filter((x) => x < length).sort((a, b) => a - b));
}

/**
 * Feeds `bytes` in the chunks `cuts` make. With `reuse`, each chunk is a private copy that is
 * overwritten right after push() (as a socket layer recycling its buffer would), so the framer
 * must have copied whatever it keeps. Any throw other than OfpError propagates (a test failure).
 */
export function runFramer(bytes: Buffer, cuts: number[], reuse: boolean): FramerRun {
  const framer = new Framer();
  const messages: Buffer[] = [];
  const bounds = [0, ...cuts, bytes.length];
  let failure: OfpError | undefined;
  for (let i = 0; i + 1 < bounds.length && !failure; i++) {
    const view = bytes.subarray(bounds[i]!, bounds[i + 1]!);
    const chunk = reuse ? Buffer.from(view) : view;
    try {
      for (const m of framer.push(chunk)) messages.push(reuse ? Buffer.from(m) : m);
    } catch (err) {
      if (!(err instanceof OfpError)) throw err;
      failure = err;
    }
    if (reuse) chunk.fill(0xee);
  }
  if (!failure) {
    try { framer.end(); } catch (err) {
      if (!(err instanceof OfpError)) throw err;
      failure = err;
    }
  }
  if (failure) {
    // A framing failure is permanent: the same error from every later call.
    if (framer.failed !== undefined && framer.failed !== failure) throw new Error('framer.failed is not the error thrown');
    for (const call of [() => framer.push(Buffer.from([1, 0, 0, 8, 0, 0, 0, 0])), () => framer.end()]) {
      let again: unknown;
      try { call(); } catch (e) { again = e; }
      if (failure.code === 'BAD_LENGTH' && again !== failure) throw new Error('a failed framer accepted more input');
    }
  }
  const outcome = (failure?.code ?? 'ok') as Outcome;
  if (!['ok', 'TRUNCATED', 'BAD_LENGTH'].includes(outcome)) throw new Error(`unexpected framer error code ${outcome}`);
  return { messages, outcome };
}

/** Same messages (byte for byte) and the same ending as the reference. */
export function assertSameRun(actual: FramerRun, expected: FramerRun, what: string): void {
  const same = actual.outcome === expected.outcome
    && actual.messages.length === expected.messages.length
    && actual.messages.every((m, i) => m.equals(expected.messages[i]!));
  if (!same) {
    throw new Error(`${what}: framer gave ${actual.messages.length} messages then ${actual.outcome}, `
      + `expected ${expected.messages.length} then ${expected.outcome}`);
  }
}
