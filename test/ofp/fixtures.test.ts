import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  decode, encode, errorText, formatDatapathId, helloVersions, type OfpMessage,
} from '../../src/ofp/index.js';
import { FIXTURES_DIR, atOffset, fixtureComments, listHexFixtures, readHexFixture } from '../support/fixtures.js';

function decodeFixture(path: string): { wire: Buffer; msg: OfpMessage } {
  const wire = readHexFixture(path);
  return { wire, msg: decode(atOffset(wire)) };
}

function as<T extends OfpMessage['type']>(msg: OfpMessage, type: T): Extract<OfpMessage, { type: T }> {
  expect(msg.type).toBe(type);
  return msg as Extract<OfpMessage, { type: T }>;
}

describe('fixtures/ofp: every file decodes at a non-zero offset and re-encodes byte for byte', () => {
  for (const path of listHexFixtures('ofp')) {
    it(path, () => {
      expect(fixtureComments(path).length).toBeGreaterThan(0);
      const { wire, msg } = decodeFixture(path);
      expect(encode(msg).equals(wire)).toBe(true);
    });
  }
});

// Real Open vSwitch bytes captured by another engineer; the folder may not exist yet.
const ovsDir = join(FIXTURES_DIR, 'ovs');
const ovsFixtures = existsSync(ovsDir) ? listHexFixtures('ovs') : [];
describe('fixtures/ovs (real Open vSwitch bytes)', () => {
  if (ovsFixtures.length === 0) it.todo('no captures in fixtures/ovs yet');
  for (const path of ovsFixtures) {
    it(path, () => {
      const { wire, msg } = decodeFixture(path);
      expect(msg.version).toBe(wire[0]);
      expect(encode(msg).equals(wire)).toBe(true);
    });
  }
});

describe('fixtures/ofp: decoded fields', () => {
  it('HELLO 1.5 without a bitmap', () => {
    const m = as(decodeFixture('ofp/hello-1.5-no-bitmap.hex').msg, 'HELLO');
    expect(m).toStrictEqual({ type: 'HELLO', version: 6, xid: 1, elements: [] });
    expect(helloVersions(m)).toBeUndefined();
  });

  it('HELLO 1.3 with a bitmap for {1.0, 1.3}', () => {
    const m = as(decodeFixture('ofp/hello-1.3-bitmap.hex').msg, 'HELLO');
    expect(m.elements).toStrictEqual([{ type: 'VERSIONBITMAP', bitmaps: [0x12] }]);
    expect(helloVersions(m)).toEqual([1, 4]);
  });

  it('HELLO with an unknown element keeps it', () => {
    const m = as(decodeFixture('ofp/hello-1.3-unknown-element.hex').msg, 'HELLO');
    expect(m.elements[0]).toStrictEqual({ type: 7, data: Buffer.from([0xab, 0xcd]) });
    expect(helloVersions(m)).toEqual([4]);
  });

  it('ERROR HELLO_FAILED/INCOMPATIBLE 1.0 with text', () => {
    const m = as(decodeFixture('ofp/error-hello-failed-1.0.hex').msg, 'ERROR');
    expect([m.errorType, m.code, m.errorTypeName, m.codeName]).toEqual([0, 0, 'HELLO_FAILED', 'INCOMPATIBLE']);
    expect(errorText(m)).toBe('we support 0x04, peer 0x01');
  });

  it('ERROR BAD_REQUEST/BAD_LEN 1.3', () => {
    const m = as(decodeFixture('ofp/error-bad-len-1.3.hex').msg, 'ERROR');
    expect([m.errorTypeName, m.codeName, m.xid]).toEqual(['BAD_REQUEST', 'BAD_LEN', 42]);
    expect(errorText(m)).toBe('00000000  04 02 00 07 00 00 00 2a');
  });

  it('ERROR EXPERIMENTER 1.3', () => {
    const m = as(decodeFixture('ofp/error-experimenter-1.3.hex').msg, 'ERROR');
    expect([m.errorType, m.code, m.experimenter, m.errorTypeName]).toEqual([0xffff, 2, 0x2320, 'EXPERIMENTER']);
    expect(m.data.toString('hex')).toBe('deadbeef');
  });

  it('ECHO_REQUEST 1.0', () => {
    const m = as(decodeFixture('ofp/echo-request-1.0.hex').msg, 'ECHO_REQUEST');
    expect([m.version, m.xid, m.data.toString('hex')]).toEqual([1, 0x12345678, '00000007']);
  });

  it('FEATURES_REPLY 1.0 with the LOCAL port', () => {
    const m = as(decodeFixture('ofp/features-reply-1.0-port.hex').msg, 'FEATURES_REPLY');
    expect(formatDatapathId(m.datapathId)).toBe('0000000000000001');
    expect([m.nBuffers, m.nTables, m.capabilities, m.actions, m.reserved]).toEqual([256, 254, 0xc7, 0xfff, undefined]);
    expect(m.ports).toStrictEqual([{
      portNo: 0xfffe, hwAddr: '02:00:00:00:00:01', name: 'br0', config: 1, state: 1, curr: 0, advertised: 0,
      supported: 0, peer: 0,
    }]);
  });

  it('FEATURES_REPLY 1.3 with auxiliary_id and no ports', () => {
    const m = as(decodeFixture('ofp/features-reply-1.3.hex').msg, 'FEATURES_REPLY');
    expect(formatDatapathId(m.datapathId)).toBe('0000aabbccddeeff');
    expect([m.nTables, m.auxiliaryId, m.capabilities, m.reserved, m.ports]).toEqual([254, 0, 0x4f, 0, undefined]);
  });

  it('PACKET_IN 1.0', () => {
    const m = as(decodeFixture('ofp/packet-in-1.0.hex').msg, 'PACKET_IN');
    expect(m).toMatchObject({ bufferId: 0xffffffff, totalLen: 14, inPort: 1, reason: 0 });
    expect('data' in m && m.data.toString('hex')).toBe('ffffffffffff0200000000020806');
  });

  it('PACKET_IN 1.3 with its match and padding separated from the data', () => {
    const m = as(decodeFixture('ofp/packet-in-1.3.hex').msg, 'PACKET_IN');
    expect(m).toMatchObject({ bufferId: 0xffffffff, totalLen: 14, reason: 1, tableId: 0, cookie: 0n });
    if (!('match' in m)) throw new Error('expected the 1.3 layout');
    expect(m.match).toStrictEqual({ inPort: 1 });
    expect(m.data.length).toBe(14);
  });

  it('PACKET_OUT 1.0, FLOW_MOD 1.3, ROLE_REQUEST 1.3, raw and unknown types', () => {
    expect(decodeFixture('ofp/packet-out-1.0.hex').msg).toMatchObject({ bufferId: 256, inPort: 1 });
    const fm = as(decodeFixture('ofp/flow-mod-1.3.hex').msg, 'FLOW_MOD');
    expect(fm).toMatchObject({ outPort: 0xffffffff, outGroup: 0xffffffff, bufferId: 0xffffffff });
    expect('instructions' in fm && fm.instructions.length).toBe(1);
    expect(decodeFixture('ofp/role-request-1.3.hex').msg).toStrictEqual(
      { type: 'ROLE_REQUEST', version: 4, xid: 16, role: 2, generationId: 7n });
    expect(decodeFixture('ofp/barrier-request-1.0.hex').msg).toStrictEqual({ type: 'BARRIER_REQUEST', version: 1, xid: 17 });
    expect(decodeFixture('ofp/multipart-request-1.3-raw.hex').msg).toMatchObject({ type: 'MULTIPART_REQUEST', xid: 18 });
    expect(decodeFixture('ofp/unknown-type-1.0.hex').msg).toMatchObject({ type: 'UNKNOWN', typeCode: 24 });
    expect(decodeFixture('ofp/experimenter-1.3.hex').msg).toMatchObject({ type: 'EXPERIMENTER', experimenter: 0x2320, expType: 20 });
    expect(decodeFixture('ofp/vendor-1.0.hex').msg).toMatchObject({ type: 'VENDOR', experimenter: 0x2320 });
  });
});
