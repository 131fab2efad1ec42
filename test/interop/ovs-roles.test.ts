/**
 * Open vSwitch as the switch, two of our controllers on each bridge: the role-case table
 * (test/roles/role-cases.ts) must come out exactly as the emulator's, for OpenFlow 1.2-1.5; and
 * `ovs-vsctl list controller` shows the roles our requestRole() set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, type Rconn, type RconnListener } from '../../src/index.js';
import { OvsSandbox } from '../support/ovs.js';
import { checkPeers } from '../support/peers.js';
import { ROLE_CASES, reconnectVia, runCase, type RoleRig } from '../roles/role-cases.js';
import { nextRconn, until } from './helpers.js';

const peers = checkPeers(['ovs-vswitchd', 'ovsdb-server', 'ovsdb-tool', 'ovs-vsctl', 'ovs-appctl', 'ovs-ofctl'], 'OVS role cases');
peers.failUnderCi();

const PROTOCOL: Record<number, string> = { 3: 'OpenFlow12', 4: 'OpenFlow13', 5: 'OpenFlow14', 6: 'OpenFlow15' };
const FRAME = 'in_port(1),eth(src=50:54:00:00:00:01,dst=50:54:00:00:00:02),eth_type(0x0800),'
  + 'ipv4(src=10.0.0.1,dst=10.0.0.2,proto=6,tos=0,ttl=64,frag=no),tcp(src=1000,dst=80)';

describe.runIf(peers.ok)('Open vSwitch role cases', () => {
  const sb = new OvsSandbox();
  let bridges = 0;

  beforeAll(async () => {
    await sb.start();
  }, 30_000);
  afterAll(async () => {
    await sb.stop();
  });

  /** A fresh bridge (so a fresh generation id) whose two controllers are two new listeners of ours. */
  async function ovsRig(version: number): Promise<RoleRig & { targets: [string, string] }> {
    const n = ++bridges;
    const bridge = `r${n}`;
    const listeners: RconnListener[] = await Promise.all([0, 1].map(() => listen('ptcp:0:127.0.0.1', { versions: [version] })));
    const targets = listeners.map((l) => `tcp:127.0.0.1:${l.address().port}`) as [string, string];
    const accepted = listeners.map((l) => nextRconn(l));
    await sb.addBridge(bridge, { dpid: n, protocols: PROTOCOL[version], controllers: targets });
    await sb.vsctl('add-port', bridge, `p${n}`, '--', 'set', 'interface', `p${n}`, 'type=dummy', 'ofport_request=1');
    await sb.ofctl('-O', PROTOCOL[version]!, 'add-flow', bridge, 'actions=controller');
    const [a, b] = (await Promise.all(accepted)) as [Rconn, Rconn];
    const rig: RoleRig & { targets: [string, string] } = {
      version, a, b, targets,
      reconnect: async () => {},
      packetIn: async () => void (await sb.appctl('netdev-dummy/receive', `p${n}`, FRAME)),
      portDown: async () => void (await sb.appctl('netdev-dummy/set-admin-state', `p${n}`, 'down')),
      close: async () => {
        await sb.vsctl('del-br', bridge);
        await Promise.all(listeners.map((l) => l.close()));
      },
    };
    rig.reconnect = reconnectVia(rig, listeners);
    return rig;
  }

  describe.each([3, 4, 5, 6])('OpenFlow version %i', (version) => {
    // A case a version cannot express (SET_ASYNC before 1.3) is not a test there, not a skip.
    for (const roleCase of ROLE_CASES.filter((c) => version >= (c.minVersion ?? 3))) {
      it(roleCase.name, async () => {
        const rig = await ovsRig(version);
        try {
          expect(await runCase(rig, roleCase)).toEqual(roleCase.expect(version));
        } finally {
          await rig.close();
        }
      }, 30_000);
    }
  });

  it('requestRole MASTER on one controller makes ovs-vsctl list controller show the other as slave', async () => {
    const rig = await ovsRig(4);
    try {
      await rig.a.requestRole('MASTER', 1n);
      await rig.b.requestRole('MASTER', 2n);
      const roles = async (): Promise<Record<string, string>> =>
        Object.fromEntries((await sb.controllers()).map((c) => [c.target, c.role]));
      // ovs-vswitchd writes controller status to the database on its periodic update (seconds).
      await until(async () => (await roles())[rig.targets[0]] === 'slave', 15_000, 'controller A shown as slave');
      expect(await roles()).toMatchObject({ [rig.targets[0]]: 'slave', [rig.targets[1]]: 'master' });
    } finally {
      await rig.close();
    }
  }, 30_000);
});
