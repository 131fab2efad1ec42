/**
 * ovs-ofctl (nobody here wrote it) against our switch side: a passive endpoint whose accepted
 * connections answer with the SwitchEmulator, echo answered by the rconn itself. `probe`, `ping`
 * and `show` must succeed in OpenFlow 1.0 and 1.3.
 *
 * Two ways to build that switch side: `listen()` (RconnListener, the one-call API) and
 * `Pvconn` + `new Rconn().adopt(vconn)` with the message handler attached before adopting.
 * ovs-ofctl sends its request right behind its HELLO, so the first message arrives in the same
 * segment as the HELLO: the switch side must not lose it.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Pvconn, Rconn, SwitchEmulator, listen } from '../../src/index.js';
import { checkPeers, commandPath } from '../support/peers.js';

const run = promisify(execFile);

const peers = checkPeers(['ovs-ofctl'], 'ovs-ofctl against our switch side');
peers.failUnderCi();

const DPID = 0x00000000feedf00dn;

interface SwitchSide {
  target: string;
  /** Negotiated version of every accepted connection, in order. */
  versions: number[];
  close(): Promise<void>;
}

/** Answers every message the emulator has a reply for. */
function serve(rconn: Rconn): void {
  const sw = new SwitchEmulator({ datapathId: DPID });
  rconn.on('message', (msg) => {
    const reply = sw.reply(msg);
    if (reply) rconn.send(reply);
  });
}

const SIDES: Record<string, () => Promise<SwitchSide>> = {
  async 'listen()'() {
    const listener = await listen('ptcp:0:127.0.0.1');
    const versions: number[] = [];
    listener.on('rconn', (rconn) => {
      versions.push(rconn.version);
      serve(rconn);
    });
    return { target: `tcp:127.0.0.1:${listener.address().port}`, versions, close: () => listener.close() };
  },
  async 'Pvconn + Rconn.adopt'() {
    const pvconn = await Pvconn.listen('ptcp:0:127.0.0.1');
    const versions: number[] = [];
    const rconns = new Set<Rconn>();
    pvconn.on('vconn', (vconn) => {
      versions.push(vconn.version);
      const rconn = new Rconn();
      serve(rconn);
      rconn.on('state', (s) => { if (s === 'DISCONNECTED') setImmediate(() => void rconn.close()); });
      rconn.once('close', () => rconns.delete(rconn));
      rconns.add(rconn);
      rconn.adopt(vconn);
    });
    return {
      target: `tcp:127.0.0.1:${pvconn.address().port}`,
      versions,
      close: async () => { await pvconn.close(); await Promise.all([...rconns].map((r) => r.close())); },
    };
  },
};

const ofctl = async (...args: string[]): Promise<string> => {
  const { stdout } = await run(commandPath('ovs-ofctl')!, ['--timeout=5', ...args], { timeout: 10_000 });
  return stdout;
};

describe.runIf(peers.ok).each(Object.keys(SIDES))('ovs-ofctl against the SwitchEmulator behind %s', (side) => {
  let sw: SwitchSide;
  beforeAll(async () => { sw = await SIDES[side]!(); });
  afterAll(async () => { await sw?.close(); });

  describe.each([['OpenFlow10', 1], ['OpenFlow13', 4]] as const)('%s', (protocol, version) => {
    test('probe succeeds', async () => {
      const before = sw.versions.length;
      // ovs-ofctl probe exits 0 and prints nothing when the echo round trip worked
      await expect(ofctl('-O', protocol, 'probe', sw.target)).resolves.toBe('');
      expect(sw.versions.slice(before)).toEqual([version]);
    });

    test('ping: ten echo round trips with a 3-byte payload, each checked by ovs-ofctl', async () => {
      // `ping TARGET [N]`: N is the payload size; ovs-ofctl sends 10 echoes and exits non-zero
      // on a missing or mismatched reply
      const out = await ofctl('-O', protocol, 'ping', sw.target, '3');
      const lines = out.trim().split('\n');
      expect(lines).toHaveLength(10);
      const re = new RegExp(`^3 bytes from ${sw.target.replace(/\./g, '\\.')}: xid=[0-9a-f]+ time=[\\d.]+ ms$`);
      for (const l of lines) expect(l).toMatch(re);
    });

    test('show prints our datapath id and ports eth1, eth2', async () => {
      const out = await ofctl('-O', protocol, 'show', sw.target);
      const tag = protocol === 'OpenFlow10' ? '' : ' \\(OF1\\.3\\)';
      expect(out).toMatch(new RegExp(`^OFPT_FEATURES_REPLY${tag} \\(xid=0x[0-9a-f]+\\): dpid:00000000feedf00d`));
      expect(out).toMatch(/n_tables:4, n_buffers:256/);
      expect(out).toMatch(/ 1\(eth1\): addr:02:00:00:00:00:01/);
      expect(out).toMatch(/ 2\(eth2\): addr:02:00:00:00:00:02/);
      expect(out).toMatch(/OFPT_GET_CONFIG_REPLY.*: frags=normal miss_send_len=128/);
    });
  });
});
