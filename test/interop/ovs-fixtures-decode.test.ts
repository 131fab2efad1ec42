/**
 * The OVS captures added by the interop work, read by our codec: each decodes to the fields the
 * capture script's annotations promise, and re-encodes byte for byte. (test/ofp/fixtures.test.ts
 * round-trips every fixtures/ovs file too; this checks the field values.)
 */
import { describe, expect, test } from 'vitest';
import { decode, encode, formatDatapathId, type OfpMessage } from '../../src/index.js';
import { readHexFixture } from '../support/fixtures.js';

function load<T extends OfpMessage['type']>(name: string, type: T): { wire: Buffer; msg: Extract<OfpMessage, { type: T }> } {
  const wire = readHexFixture(`ovs/${name}`);
  const msg = decode(wire);
  expect(msg.type).toBe(type);
  expect(encode(msg).equals(wire)).toBe(true);
  return { wire, msg: msg as Extract<OfpMessage, { type: T }> };
}

describe('OVS captures decoded by our codec', () => {
  test('echo-reply-of13: the payload we sent comes back, same xid', () => {
    const { msg } = load('echo-reply-of13.hex', 'ECHO_REPLY');
    expect(msg).toMatchObject({ version: 4, xid: 0x201 });
    expect(msg.data.toString('latin1')).toBe('openflow');
  });

  test.each([['features-reply-of14.hex', 5], ['features-reply-of15.hex', 6]] as const)('%s: 1.3-style FEATURES_REPLY without ports', (name, version) => {
    const { msg } = load(name, 'FEATURES_REPLY');
    expect(msg.version).toBe(version);
    expect(msg.xid).toBe(0x101);
    expect(formatDatapathId(msg.datapathId)).toBe('0000000000000001');
    expect(msg.auxiliaryId).toBe(0);
    expect(msg.ports).toBeUndefined();
    expect(msg.nTables).toBe(254);
  });

  test('port-status-of13: reason ADD and the port p1', () => {
    const { msg } = load('port-status-of13.hex', 'PORT_STATUS');
    expect(msg.version).toBe(4);
    expect(msg.reason).toBe(0); // OFPPR_ADD
    expect(msg.desc).toMatchObject({ portNo: 1, name: 'p1' });
  });

  test('flow-removed-of13: our cookie, priority, hard-timeout reason and match in_port=1', () => {
    const { msg } = load('flow-removed-of13.hex', 'FLOW_REMOVED');
    expect(msg.version).toBe(4);
    expect(msg).toMatchObject({ cookie: 0x1234n, priority: 100, reason: 1 /* OFPRR_HARD_TIMEOUT */, hardTimeout: 1, tableId: 0 });
    expect(msg.match).toStrictEqual({ inPort: 1 });
  });
});
