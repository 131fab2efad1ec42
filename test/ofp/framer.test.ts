import { describe, expect, it } from 'vitest';
import { Framer, OfpError, Runs, decode, echoRequest, encode, makeHello } from '../../src/ofp/index.js';
import { samplesFor } from './samples.js';

function hexes(bufs: Buffer[]): string[] {
  return bufs.map((b) => b.toString('hex'));
}

/** Feeds `stream` cut at `cuts` and returns everything the framer produced; checks end(). */
function frame(stream: Buffer, cuts: number[]): Buffer[] {
  const f = new Framer();
  const out: Buffer[] = [];
  let prev = 0;
  for (const c of [...cuts, stream.length]) {
    out.push(...f.push(stream.subarray(prev, c)));
    prev = c;
  }
  expect(f.buffered).toBe(0);
  f.end();
  return out;
}

// Several messages of different sizes, including an 8-byte one and a FEATURES_REPLY with ports.
const messages = [
  encode(makeHello([1, 4], 1)),
  encode(echoRequest(4, 2)),
  ...samplesFor(1).filter((m) => m.type === 'FEATURES_REPLY' || m.type === 'PACKET_IN').map(encode),
  encode(echoRequest(1, 3, Buffer.from('payload'))),
];
const stream = Buffer.concat(messages);

describe('Framer', () => {
  it('one chunk holding several messages yields each, as views into the chunk', () => {
    const f = new Framer();
    const out = f.push(stream);
    expect(hexes(out)).toEqual(hexes(messages));
    for (const m of out) expect(m.buffer).toBe(stream.buffer);
    expect(out[1]!.byteOffset).toBe(stream.byteOffset + messages[0]!.length);
  });

  it(`returns the same messages for every single split point (${stream.length + 1} of them)`, () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      expect(hexes(frame(stream, [cut])), `cut at ${cut}`).toEqual(hexes(messages));
    }
  });

  it('returns the same messages for every pair of split points of a small stream', () => {
    const small = Buffer.concat([encode(echoRequest(1, 7, Buffer.from([1, 2, 3]))), encode(makeHello([4], 8))]);
    const expected = [small.subarray(0, 11), small.subarray(11)].map((b) => b.toString('hex'));
    for (let a = 0; a <= small.length; a++) {
      for (let b = a; b <= small.length; b++) {
        expect(hexes(frame(small, [a, b])), `cuts ${a},${b}`).toEqual(expected);
      }
    }
  });

  it('one byte at a time', () => {
    expect(hexes(frame(stream, Array.from({ length: stream.length }, (_, i) => i)))).toEqual(hexes(messages));
  });

  it('copies only messages that span chunks; later whole messages are still views', () => {
    const cut = messages[0]!.length + 3; // inside the second message
    const f = new Framer();
    const first = f.push(stream.subarray(0, cut));
    expect(first).toHaveLength(1);
    expect(first[0]!.buffer).toBe(stream.buffer);
    expect(f.buffered).toBe(3);
    const rest = stream.subarray(cut);
    const second = f.push(rest);
    expect(second[0]!.buffer).not.toBe(stream.buffer); // assembled
    for (const m of second.slice(1)) expect(m.buffer).toBe(stream.buffer);
  });

  it('a spanning message does not alias the caller\'s chunk (which may be reused)', () => {
    const wire = encode(echoRequest(1, 9, Buffer.from('abcdef')));
    const chunk = Buffer.from(wire.subarray(0, 10));
    const f = new Framer();
    expect(f.push(chunk)).toEqual([]);
    chunk.fill(0);
    const [m] = f.push(wire.subarray(10));
    expect(m!.equals(wire)).toBe(true);
  });

  it('holds at most the one partial message', () => {
    const big = encode({ type: 'ECHO_REQUEST', version: 1, xid: 1, data: Buffer.alloc(65535 - 8) });
    const f = new Framer();
    for (let i = 0; i < big.length - 1; i += 4096) f.push(big.subarray(i, Math.min(i + 4096, big.length - 1)));
    expect(f.buffered).toBe(big.length - 1);
    const [m] = f.push(big.subarray(big.length - 1));
    expect(m!.length).toBe(65535);
    expect(f.buffered).toBe(0);
  });

  it('EOF between messages is clean; EOF mid-message is TRUNCATED, even mid-header', () => {
    for (const cut of [1, 7, 8, messages[0]!.length - 1]) {
      const f = new Framer();
      f.push(stream.subarray(0, cut));
      expect(() => f.end()).toThrow(expect.objectContaining({ name: 'OfpError', code: 'TRUNCATED' }));
    }
    const ok = new Framer();
    ok.push(stream.subarray(0, messages[0]!.length));
    expect(() => ok.end()).not.toThrow();
  });

  it('a length field below 8 is BAD_LENGTH carrying BAD_REQUEST/BAD_LEN, also when it arrives split', () => {
    const bad = Buffer.from('0102000700000001', 'hex');
    for (let cut = 0; cut <= bad.length; cut++) {
      const f = new Framer();
      let err: unknown;
      try {
        f.push(Buffer.concat([encode(echoRequest(1, 1)), bad.subarray(0, cut)]));
        f.push(bad.subarray(cut));
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(OfpError);
      expect(err).toMatchObject({ code: 'BAD_LENGTH', ofpError: { type: 1, code: 6 } });
      // The stream position is lost: the framer stays failed.
      expect(() => f.push(Buffer.from(encode(echoRequest(1, 2))))).toThrow(OfpError);
    }
  });

  it('framed messages decode', () => {
    const types = frame(stream, [5, 40]).map((b) => decode(b).type);
    expect(types).toEqual(['HELLO', 'ECHO_REQUEST', 'FEATURES_REPLY', 'PACKET_IN', 'ECHO_REQUEST']);
  });
});

describe('Runs (the queue a vconn frames into)', () => {
  /** Takes every queued message as a copy. */
  const drain = (runs: Runs): string[] => {
    const out: string[] = [];
    while (!runs.empty) {
      const buf = runs.next();
      out.push(buf.toString('hex', runs.at, runs.at + runs.length));
    }
    return out;
  };

  it('chunks queued without being handled (more runs than it keeps between chunks) come out in order, and again after reset()', () => {
    const f = new Framer();
    const runs = new Runs();
    for (let round = 0; round < 3; round++) {
      // Four chunks, each ending inside a message: an assembled message and a chunk run apiece.
      const cuts = [0, 5, 70, 140, stream.length].map((c) => Math.min(c, stream.length));
      for (let i = 1; i < cuts.length; i++) f.pushRuns(stream.subarray(cuts[i - 1], cuts[i]), runs);
      expect(runs.added).toBeGreaterThan(2);
      expect(drain(runs)).toEqual(hexes(messages));
      runs.reset();
      expect(runs.empty).toBe(true);
      expect(runs.added).toBe(0);
    }
  });

  it('reused after reset() for a chunk at a time: each chunk\'s messages, none of an earlier chunk', () => {
    const f = new Framer();
    const runs = new Runs();
    for (const m of messages) {
      f.pushRuns(Buffer.from(m), runs);
      expect(drain(runs)).toEqual(hexes([m]));
      runs.reset();
    }
  });
});
