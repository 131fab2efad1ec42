/** SwitchRoles on its own (sans-I/O): what the role-case table cannot see from the wire. */
import { describe, expect, it } from 'vitest';
import { SwitchRoles, asyncConfig, encode, type OfpMessage } from '../../src/index.js';

const roleRequest = (version: number, role: number, generationId: bigint): OfpMessage =>
  ({ type: 'ROLE_REQUEST', version, xid: 1, role, generationId });
const handle = (roles: SwitchRoles<string>, conn: string, msg: OfpMessage) => roles.handle(conn, msg, encode(msg));

describe('SwitchRoles', () => {
  it('a reconnected connection starts again as EQUAL; the generation id stays with the switch', () => {
    const roles = new SwitchRoles<string>();
    roles.attach('a', 4);
    handle(roles, 'a', roleRequest(4, 2, 9n));
    expect([roles.roleOf('a'), roles.generation]).toEqual(['MASTER', 9n]);
    roles.detach('a');
    expect(roles.roleOf('a')).toBeNull();
    roles.attach('a', 4);
    expect([roles.roleOf('a'), roles.generation]).toEqual(['EQUAL', 9n]);
    expect(handle(roles, 'a', roleRequest(4, 2, 8n))!.reply).toMatchObject({ type: 'ERROR', codeName: 'STALE' });
  });

  it('a demoted MASTER is told in its own version: ROLE_STATUS in 1.4+, the ONF experimenter in 1.3, nothing in 1.2', () => {
    for (const [version, type] of [[5, 'ROLE_STATUS'], [4, 'EXPERIMENTER'], [3, undefined]] as const) {
      const roles = new SwitchRoles<string>();
      roles.attach('a', version);
      roles.attach('b', version);
      handle(roles, 'a', roleRequest(version, 2, 1n));
      const { notices } = handle(roles, 'b', roleRequest(version, 2, 2n))!;
      expect(notices.map((n) => [n.conn, n.msg.type])).toEqual(type ? [['a', type]] : []);
      expect(roles.roleOf('a')).toBe('SLAVE');
    }
  });

  it('GET_ASYNC reports what SET_ASYNC set (1.3 whole, 1.4+ one mask per property)', () => {
    const roles = new SwitchRoles<string>();
    roles.attach('a', 4);
    handle(roles, 'a', asyncConfig(4, 2, { packetIn: { master: 1, slave: 2 }, portStatus: { master: 4, slave: 0 } }));
    expect(handle(roles, 'a', { type: 'GET_ASYNC_REQUEST', version: 4, xid: 3 } as OfpMessage)!.reply)
      .toMatchObject({ type: 'GET_ASYNC_REPLY', packetInMask: [1, 2], portStatusMask: [4, 0], flowRemovedMask: [0, 0] });
    roles.attach('b', 5);
    handle(roles, 'b', asyncConfig(5, 2, { portStatus: { master: 1, slave: 0 } }));
    expect(roles.wants('b', 'PORT_STATUS', 2)).toBe(false);
    expect(roles.wants('b', 'PACKET_IN', 0)).toBe(true); // untouched: still the default
  });

  it('wants(): by role and reason; -1 asks about the kind; before 1.2 everything goes', () => {
    const roles = new SwitchRoles<string>();
    roles.attach('s', 4);
    handle(roles, 's', roleRequest(4, 3, 1n));
    expect(roles.wants('s', 'PACKET_IN', 1)).toBe(false);
    expect(roles.wants('s', 'PACKET_IN', -1)).toBe(false);
    expect(roles.wants('s', 'PORT_STATUS', 2)).toBe(true);
    roles.attach('e', 4);
    expect(roles.wants('e', 'PACKET_IN', 2)).toBe(false); // INVALID_TTL is off by default
    expect(roles.wants('e', 'FLOW_REMOVED', -1)).toBe(true);
    roles.attach('old', 1);
    expect(roles.wants('old', 'PACKET_IN', 7)).toBe(true);
    expect(roles.wants('nobody', 'PORT_STATUS', 0)).toBe(false);
  });

  it('leaves messages that are not about roles to the switch, and answers nothing for unknown connections', () => {
    const roles = new SwitchRoles<string>();
    roles.attach('a', 4);
    expect(handle(roles, 'a', { type: 'BARRIER_REQUEST', version: 4, xid: 1 })).toBeNull();
    expect(handle(roles, 'x', roleRequest(4, 2, 1n))).toBeNull();
  });
});
