/** SwitchFleet: N emulated switches, distinct datapath ids, each reconnecting on its own rconn. */
import { afterEach, describe, expect, test } from 'vitest';
import { SwitchFleet, formatDatapathId, listen, type RconnListener } from '../../src/index.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function controller(port = 0): Promise<{ server: RconnListener; dpids: string[] }> {
  const dpids: string[] = [];
  const server = await listen(`ptcp:${port}:127.0.0.1`, { handshake: { timeout: 5 } });
  server.on('rconn', (sw) => dpids.push(formatDatapathId(sw.features!.datapathId)));
  cleanups.push(() => server.close());
  return { server, dpids };
}

describe('SwitchFleet', () => {
  test('options are checked at the call: ConfigError naming the option, nothing connects', () => {
    const bad = (options: unknown, option: string): void => {
      expect(() => SwitchFleet.start('tcp:127.0.0.1:1', options as never)).toThrow(expect.objectContaining({ code: 'EINVAL', option }));
    };
    bad({}, 'count');
    bad({ count: 0 }, 'count');
    bad({ count: 1.5 }, 'count');
    bad({ count: 100_001 }, 'count');
    bad({ count: 2, firstDatapathId: 0xffff_ffff_ffff_ffffn }, 'firstDatapathId');
    bad({ count: 1, firstDatapathId: 1 }, 'firstDatapathId');
    bad({ count: 1, setup: 'yes' }, 'setup');
  });

  test('20 switches with consecutive datapath ids complete the handshake, and all come back after a controller restart', async () => {
    const first = await controller();
    const port = first.server.address().port!;
    const fleet = SwitchFleet.start(`tcp:127.0.0.1:${port}`, { count: 20, firstDatapathId: 0x100n, rconnOptions: { backoffJitter: 0 } });
    cleanups.push(() => fleet.close());
    await expect.poll(() => first.dpids.length, { timeout: 5000 }).toBe(20);
    expect(new Set(first.dpids)).toEqual(new Set(Array.from({ length: 20 }, (_, i) => formatDatapathId(0x100n + BigInt(i)))));
    expect(fleet.members.map((m) => m.rconn.name)).toContain('switch 0000000000000113');

    await first.server.close();
    await expect.poll(() => fleet.connectedCount()).toBe(0);
    const second = await controller(port);
    // Backoff after a short-lived connection: the first retry within about a second (jitter 0).
    await expect.poll(() => second.dpids.length, { timeout: 10_000 }).toBe(20);
    expect(new Set(second.dpids).size).toBe(20);
    expect(fleet.connectedCount()).toBe(20);
  });

  test('count and datapath ids are validated', () => {
    expect(() => SwitchFleet.start('tcp:127.0.0.1:1', { count: 0 })).toThrow(expect.objectContaining({ code: 'EINVAL' }));
    expect(() => SwitchFleet.start('tcp:127.0.0.1:1', { count: 2, firstDatapathId: 0xffff_ffff_ffff_ffffn })).toThrow(/64 bits/);
  });
});
