import { afterAll, describe, expect, it } from 'vitest';
import { decode, listen, MultiControllerSwitch, type Rconn } from '../../src/index.js';
import { nextRconn } from '../interop/helpers.js';
import { ROLE_CASES, flowModBytes, reconnectVia, runCase, type RoleRig } from './role-cases.js';

// An Ethernet frame of an experimental ethertype: nothing in it for a flow to trip over.
const FRAME = Buffer.concat([Buffer.from('50540000000250540000000188b5', 'hex'), Buffer.alloc(46, 0xab)]);

/** The emulator connected to two of our controllers, both negotiating `version`. */
async function emulatorRig(version: number): Promise<RoleRig> {
  const [la, lb] = await Promise.all([0, 1].map(() => listen('ptcp:0:127.0.0.1', { versions: [version] })));
  const accepted: [Promise<Rconn>, Promise<Rconn>] = [nextRconn(la!), nextRconn(lb!)];
  const sw = new MultiControllerSwitch([`tcp:127.0.0.1:${la!.address().port}`, `tcp:127.0.0.1:${lb!.address().port}`], {
    rconn: { versions: [version], maxBackoff: 1 },
  }).start();
  // What the OVS rig does with ovs-ofctl: every packet goes to the controllers.
  sw.emulator.answer(decode(flowModBytes(version, 1, true)));
  const [a, b] = await Promise.all(accepted);
  const rig: RoleRig = {
    version, a, b,
    packetIn: async () => sw.emulator.receivePacket(1, FRAME),
    portDown: async () => sw.emulator.setPortState(1, false),
    reconnect: async () => {},
    close: async () => { await sw.close(); await Promise.all([la!.close(), lb!.close()]); },
  };
  rig.reconnect = reconnectVia(rig, [la!, lb!]);
  return rig;
}

const rigs: RoleRig[] = [];
afterAll(async () => { await Promise.all(rigs.map((r) => r.close())); });

describe.each([3, 4, 5, 6])('emulator roles, OpenFlow version %i', (version) => {
  // A case a version cannot express (SET_ASYNC before 1.3) is not a test there, not a skip.
  for (const roleCase of ROLE_CASES.filter((c) => version >= (c.minVersion ?? 3))) {
    it(roleCase.name, async () => {
      const rig = await emulatorRig(version);
      rigs.push(rig);
      expect(await runCase(rig, roleCase)).toEqual(roleCase.expect(version));
      await rig.close();
      rigs.splice(rigs.indexOf(rig), 1);
    });
  }
});
