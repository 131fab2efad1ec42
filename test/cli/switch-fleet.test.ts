/** `ofrconn switch tcp: --count N`: N switches, consecutive datapath ids, one process. */
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { formatDatapathId, listen } from '../../src/index.js';
import { ensureBuilt, killLeftovers, startCli } from './spawn-cli.js';

beforeAll(ensureBuilt, 120_000);
afterEach(killLeftovers);

describe('ofrconn switch --count', () => {
  test('five switches from --datapath-id 0x10 upward complete the controller handshake', async () => {
    const server = await listen('ptcp:0:127.0.0.1', { handshake: { timeout: 5 } });
    const dpids: string[] = [];
    server.on('rconn', (sw) => dpids.push(formatDatapathId(sw.features!.datapathId)));
    try {
      const sw = startCli(['switch', `tcp:127.0.0.1:${server.address().port}`, '--count', '5', '--datapath-id', '10']);
      await expect.poll(() => dpids.length, { timeout: 10_000 }).toBe(5);
      expect(dpids.sort()).toEqual(['10', '11', '12', '13', '14'].map((h) => h.padStart(16, '0')));
      await sw.waitFor(/switch 0000000000000014.*answered FEATURES_REQUEST with FEATURES_REPLY \(datapath id 0000000000000014\)/);
      sw.signal('SIGINT');
      expect((await sw.exited).code).toBe(0);
      expect(sw.stdout.join('\n')).toMatch(/summary after [\d.]+ s: 5 connections/);
    } finally {
      await server.close();
    }
  });
});
