import { describe, expect, it } from 'vitest';
import { Rconn, RoleRequestError } from '../../src/rconn/index.js';
import { GENERATION_ID_UNDEFINED, isStaleGeneration, makeError, roleStatusOf, makeRoleStatus } from '../../src/ofp/index.js';
import { FakeClock } from '../support/fake-clock.js';
import { MemoryVconn } from '../support/memory-vconn.js';

async function connected(version = 4) {
  const clock = new FakeClock();
  const vconn = new MemoryVconn(version);
  const rconn = new Rconn({ clock, backoffJitter: 0, connector: async () => vconn });
  rconn.connect('tcp:127.0.0.1:6653');
  await clock.advance(0);
  return { clock, vconn, rconn };
}

describe('requestRole', () => {
  it('sends ROLE_REQUEST with the role and generation id and resolves with the matching ROLE_REPLY', async () => {
    const { vconn, rconn } = await connected();
    const pending = rconn.requestRole('MASTER', 7n);
    const [req] = vconn.sentOfType('ROLE_REQUEST');
    expect(req).toMatchObject({ role: 2, generationId: 7n, version: 4 });
    // A reply with another xid is not ours.
    vconn.receive({ type: 'ROLE_REPLY', version: 4, xid: req!.xid + 1, role: 3, generationId: 1n });
    vconn.receive({ type: 'ROLE_REPLY', version: 4, xid: req!.xid, role: 2, generationId: 7n });
    await expect(pending).resolves.toMatchObject({ role: 'MASTER', generationId: 7n });
    expect(rconn.listenerCount('message')).toBe(0);
    await rconn.close();
  });

  it.each([
    ['STALE', 'ESTALE'], ['UNSUP', 'EROLEUNSUP'], ['BAD_ROLE', 'EBADROLE'],
  ])('ROLE_REQUEST_FAILED/%s rejects with %s and keeps the switch ERROR', async (codeName, code) => {
    const { vconn, rconn } = await connected();
    const pending = rconn.requestRole('SLAVE', 1n);
    const xid = vconn.sentOfType('ROLE_REQUEST')[0]!.xid;
    vconn.receive(makeError(4, xid, 'ROLE_REQUEST_FAILED', codeName));
    const err = await pending.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RoleRequestError);
    expect(err).toMatchObject({ code, reply: { codeName } });
    await rconn.close();
  });

  it('another ERROR is EREFUSED', async () => {
    const { vconn, rconn } = await connected();
    const pending = rconn.requestRole('EQUAL');
    vconn.receive(makeError(4, vconn.sentOfType('ROLE_REQUEST')[0]!.xid, 'BAD_REQUEST', 'BAD_TYPE'));
    await expect(pending).rejects.toMatchObject({ code: 'EREFUSED' });
    await rconn.close();
  });

  it('refuses OpenFlow 1.0 and 1.1 without sending anything', async () => {
    for (const v of [1, 2]) {
      const { vconn, rconn } = await connected(v);
      await expect(rconn.requestRole('MASTER', 1n)).rejects.toMatchObject({ code: 'EOPNOTSUPP' });
      expect(vconn.sentOfType('ROLE_REQUEST')).toEqual([]);
      await rconn.close();
    }
  });

  it('times out on the injected clock', async () => {
    const { clock, rconn } = await connected();
    const pending = rconn.requestRole('MASTER', 1n, { timeout: 2 });
    const outcome = pending.catch((e: unknown) => e);
    await clock.advance(1999);
    await clock.advance(1);
    expect(await outcome).toMatchObject({ code: 'ETIMEDOUT' });
    expect(rconn.listenerCount('message')).toBe(0);
    await rconn.close();
  });

  it('rejects with ENOTCONN when the connection drops before the reply, and when not connected', async () => {
    const { vconn, rconn } = await connected();
    const pending = rconn.requestRole('MASTER', 1n);
    vconn.fail(Object.assign(new Error('reset'), { code: 'ECONNRESET' }));
    await expect(pending).rejects.toMatchObject({ code: 'ENOTCONN' });
    await expect(rconn.requestRole('MASTER', 1n)).rejects.toMatchObject({ code: 'ENOTCONN' });
    await rconn.close();
  });

  it('throws ConfigError at the call for bad arguments, naming the argument', async () => {
    const { rconn } = await connected();
    expect(() => rconn.requestRole('BOSS' as 'MASTER')).toThrow(expect.objectContaining({ code: 'EINVAL', option: 'role' }));
    expect(() => rconn.requestRole('MASTER', -1n)).toThrow(expect.objectContaining({ option: 'generationId' }));
    expect(() => rconn.requestRole('MASTER', 1n << 64n)).toThrow(expect.objectContaining({ option: 'generationId' }));
    expect(() => rconn.requestRole('MASTER', 5 as unknown as bigint)).toThrow(expect.objectContaining({ option: 'generationId' }));
    expect(() => rconn.requestRole('MASTER', 1n, { timeout: 0 })).toThrow(expect.objectContaining({ option: 'timeout' }));
    await rconn.close();
  });
});

describe('role helpers', () => {
  it('compares generation ids as a signed 64-bit difference, wrapping around', () => {
    expect(isStaleGeneration(4n, 5n)).toBe(true);
    expect(isStaleGeneration(5n, 5n)).toBe(false);
    expect(isStaleGeneration(0n, GENERATION_ID_UNDEFINED)).toBe(false);
    expect(isStaleGeneration(GENERATION_ID_UNDEFINED, 0n)).toBe(true);
    expect(isStaleGeneration(1n << 63n, 0n)).toBe(true);
    expect(isStaleGeneration((1n << 63n) - 1n, 0n)).toBe(false);
  });

  it('ROLE_STATUS is the 1.4+ message, the ONF experimenter in 1.3, absent before, and reads back', () => {
    const status = { role: 3, reason: 0, generationId: 9n };
    expect(makeRoleStatus(3, status)).toBeNull();
    for (const v of [4, 5, 6]) expect(roleStatusOf(makeRoleStatus(v, status)!)).toEqual(status);
    expect(makeRoleStatus(4, status)!.type).toBe('EXPERIMENTER');
    expect(makeRoleStatus(5, status)!.type).toBe('ROLE_STATUS');
  });
});
