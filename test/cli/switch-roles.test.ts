/** `ofrconn switch tcp:A tcp:B`: one switch, two controllers, each connection with its role. */
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { listen, type Rconn } from '../../src/index.js';
import { nextRconn } from '../interop/helpers.js';
import { ensureBuilt, jsonLines, killLeftovers, startCli } from './spawn-cli.js';

beforeAll(ensureBuilt, 120_000);
afterEach(killLeftovers);

describe('ofrconn switch with several controllers', () => {
  test('connects to both, and the JSON status shows each connection\'s role as the controllers change it', async () => {
    const [la, lb] = await Promise.all([0, 1].map(() => listen('ptcp:0:127.0.0.1', { versions: [5] })));
    try {
      const accepted = [nextRconn(la!), nextRconn(lb!)];
      const ta = `tcp:127.0.0.1:${la!.address().port}`;
      const tb = `tcp:127.0.0.1:${lb!.address().port}`;
      const sw = startCli(['switch', ta, tb, '--json', '--datapath-id', '2a']);
      const [a, b] = (await Promise.all(accepted)) as [Rconn, Rconn];
      await a.requestRole('MASTER', 1n);
      await sw.waitFor((l) => l.includes('"event":"role"') && l.includes(ta) && l.includes('"controllerRole":"MASTER"'));
      await b.requestRole('MASTER', 2n);
      await sw.waitFor((l) => l.includes('"event":"role"') && l.includes(ta) && l.includes('"controllerRole":"SLAVE"'));
      await sw.waitFor((l) => l.includes('"event":"status"') && l.includes(tb) && l.includes('"controllerRole":"MASTER"'));
      sw.signal('SIGINT');
      expect((await sw.exited).code).toBe(0);
      const summaries = jsonLines(sw.stdout).filter((e) => e.event === 'summary');
      expect(summaries.map((e) => [e.target, e.datapathId]).sort()).toEqual([[ta, '000000000000002a'], [tb, '000000000000002a']].sort());
    } finally {
      await Promise.all([la!.close(), lb!.close()]);
    }
  });
});
