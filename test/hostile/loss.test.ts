/**
 * No silent loss at disconnect: a switch sends 1000 messages, and halfway its peer's host vanishes
 * (every segment dropped, inside a network namespace). TCP cannot say which messages arrived, but
 * the disconnected event reports the bytes the peer never acknowledged, as "possibly lost":
 * sent = delivered + possibly lost, and the bytes match what the peer never received within 1 %.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect } from 'vitest';
import { JsonChild } from '../fault/harness.js';
import { DIST_INDEX, ensureDist } from '../support/dist.js';
import { itWithNetns, withNetns } from '../support/netns.js';
import { report, sleep } from './support.js';

const CHILD = join(dirname(fileURLToPath(import.meta.url)), 'children', 'loss-child.mjs');
const MESSAGES = 1000;
const SIZE = 100;
const HELLO = 8;

beforeAll(async () => { await ensureDist(); }, 180_000);

describe('loss accounting at disconnect', () => {
  itWithNetns('blackholed peer: sent = delivered + possibly lost, bytes within 1 %', () =>
    withNetns(async (ns) => {
      const port = 6641;
      const child = new JsonChild('loss', ns.spawn(process.execPath, [CHILD, DIST_INDEX, String(port)]));
      await child.waitFor((e) => e.ev === 'connected', 10_000, 0, 'connected');
      child.send({ cmd: 'send', n: MESSAGES / 2, size: SIZE });
      await sleep(300);
      ns.dropPort(port);
      child.send({ cmd: 'send', n: MESSAGES / 2, size: SIZE });
      const down = (await child.waitFor((e) => e.ev === 'disconnected', 30_000, 0, 'disconnected')) as unknown as {
        code: string; unackedBytes: number | null; dropped: number; peerReceived: number; txBytes: number; sentMessages: number; statusUnacked: number;
      };
      // Our HELLO went first; everything else were the messages.
      const delivered = (down.peerReceived - HELLO) / SIZE;
      const neverReceived = HELLO + down.txBytes - down.peerReceived;
      const lost = (down.unackedBytes ?? NaN) / SIZE;
      const errorPct = (100 * Math.abs((down.unackedBytes ?? NaN) - neverReceived)) / neverReceived;
      report({
        attack: `blackholed peer, ${MESSAGES} messages of ${SIZE} B sent (${down.code})`,
        measured: `delivered ${delivered}, possibly lost ${lost} (${down.unackedBytes} B), queued and dropped ${down.dropped}; the peer never received ${neverReceived} B: off by ${errorPct.toFixed(2)} %`,
        bound: 'sent = delivered + possibly lost + dropped; bytes within 1 %',
        ok: delivered + lost + down.dropped === MESSAGES && errorPct <= 1,
      });
      expect(down.sentMessages).toBe(MESSAGES);
      expect(down.unackedBytes).not.toBeNull();
      expect(delivered + lost + down.dropped).toBe(MESSAGES);
      expect(errorPct).toBeLessThanOrEqual(1);
      expect(down.statusUnacked).toBe(down.unackedBytes);
    }, 'ofrh-loss'), 60_000);
});
