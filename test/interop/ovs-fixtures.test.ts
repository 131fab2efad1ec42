import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { FIXTURES_DIR, fixtureComments, listHexFixtures, readHexFixture } from '../support/fixtures.js';

// The fixtures are captured by scripts/capture-ovs-fixtures.mjs; these checks keep hand edits honest.
const files = listHexFixtures('ovs');

describe('fixtures/ovs', () => {
  test('the expected captures are present', () => {
    const names = files.map((f) => f.replace(/^ovs\//, ''));
    for (const n of ['hello-of10.hex', 'hello-of13.hex', 'hello-of10-of13.hex', 'hello-of13-of14-of15.hex', 'hello-default.hex',
      'error-hello-failed.hex', 'echo-request-of13.hex', 'features-reply-of10.hex', 'features-reply-of13.hex']) {
      expect(names).toContain(n);
    }
  });

  test.each(files)('%s: one whole message, header length = byte count', (f) => {
    const m = readHexFixture(f);
    expect(m.length).toBeGreaterThanOrEqual(8);
    expect(m.readUInt16BE(2)).toBe(m.length);
  });

  test.each(files)('%s: header records the exact OVS version', (f) => {
    expect(fixtureComments(f).join('\n')).toMatch(/ovs-vswitchd \(Open vSwitch\) \d+\.\d+\.\d+/);
  });

  test.each(files)('%s: "# bytes a-b" annotations tile the message in order', (f) => {
    const lines = readFileSync(join(FIXTURES_DIR, f), 'utf8').split('\n');
    let next = 0;
    let expectBytes = 0;
    for (const line of lines) {
      const r = /^# bytes (\d+)-(\d+): /.exec(line);
      if (r) {
        expect(expectBytes, `${f}: range before "${line}" not filled`).toBe(0);
        expect(Number(r[1]), line).toBe(next);
        next = Number(r[2]) + 1;
        expectBytes = next - Number(r[1]);
      } else if (!line.startsWith('#') && line.trim() !== '') {
        expectBytes -= line.trim().split(/\s+/).length;
      }
    }
    expect(expectBytes).toBe(0);
    expect(next).toBe(readHexFixture(f).length);
  });

  test('HELLO bitmaps match the bridge protocols they were captured with', () => {
    const bitmap = (f: string) => {
      const m = readHexFixture(`ovs/${f}`);
      return m.length >= 16 ? m.readUInt32BE(12) : undefined;
    };
    expect(readHexFixture('ovs/hello-of10.hex')[0]).toBe(1);
    expect(bitmap('hello-of10.hex')).toBeUndefined(); // {1.0} is the contiguous range 1..1: no bitmap
    expect(bitmap('hello-of13.hex')).toBe(1 << 4);
    expect(bitmap('hello-of10-of13.hex')).toBe((1 << 1) | (1 << 4));
    expect(bitmap('hello-of13-of14-of15.hex')).toBe((1 << 4) | (1 << 5) | (1 << 6));
    expect(readHexFixture('ovs/hello-default.hex')[0]).toBe(6);
    expect(bitmap('hello-default.hex')).toBeUndefined(); // 1.0..1.5 contiguous
  });

  test('HELLO_FAILED carries ASCII text naming both versions', () => {
    const m = readHexFixture('ovs/error-hello-failed.hex');
    expect([m[1], m.readUInt16BE(8), m.readUInt16BE(10)]).toEqual([1, 0, 0]);
    expect(m.subarray(12).toString('latin1')).toMatch(/0x01.*0x04/);
  });
});
