import { describe, expect, it } from 'vitest';
import { decode, encode, helloVersions, makeHello } from '../../src/ofp/index.js';

describe('makeHello / helloVersions', () => {
  it('no bitmap when the set is the contiguous range 1..max (as Open vSwitch does)', () => {
    expect(makeHello([1, 2, 3, 4, 5, 6])).toStrictEqual({ type: 'HELLO', version: 6, xid: 0, elements: [] });
    expect(encode(makeHello([3, 1, 2], 5)).toString('hex')).toBe('0300000800000005');
    expect(encode(makeHello([1])).toString('hex')).toBe('0100000800000000');
  });

  it('a bitmap otherwise, with the header at the highest version', () => {
    expect(encode(makeHello([1, 4])).toString('hex')).toBe('04000010000000000001000800000012');
    expect(encode(makeHello([4])).toString('hex')).toBe('04000010000000000001000800000010');
    expect(encode(makeHello([4, 5, 6, 6])).toString('hex')).toBe('06000010000000000001000800000070');
  });

  it('helloVersions reads the bitmap back, undefined without one', () => {
    for (const set of [[1, 4], [4], [2, 3, 6], [1, 2, 3, 5]]) {
      expect(helloVersions(makeHello(set))).toEqual(set);
      const back = decode(encode(makeHello(set)));
      if (back.type !== 'HELLO') throw new Error('type');
      expect(helloVersions(back)).toEqual(set);
    }
    expect(helloVersions(makeHello([1, 2, 3]))).toBeUndefined();
    expect(helloVersions({ type: 'HELLO', version: 6, xid: 0, elements: [{ type: 'VERSIONBITMAP', bitmaps: [0x41, 0x3] }] }))
      .toEqual([6, 32, 33]);
  });

  it('a bitmap after unknown elements is found; a malformed one is not used', () => {
    const m = decode(Buffer.from('04000018000000010009000400000000000100080000001a', 'hex'));
    if (m.type !== 'HELLO') throw new Error('type');
    expect(helloVersions(m)).toEqual([1, 3, 4]);
    const bad = decode(Buffer.from('0400001000000001000100060000001a', 'hex'));
    if (bad.type !== 'HELLO') throw new Error('type');
    expect(bad.elements[0]).toMatchObject({ type: 1 });
    expect(helloVersions(bad)).toBeUndefined();
  });

  it('rejects an empty or invalid set', () => {
    expect(() => makeHello([])).toThrow(expect.objectContaining({ code: 'UNENCODABLE' }));
    expect(() => makeHello([0, 1])).toThrow(expect.objectContaining({ code: 'UNENCODABLE' }));
  });
});
