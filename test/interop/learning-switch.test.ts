/**
 * End to end against real controllers nobody here wrote: the switch emulator connects to a learning
 * switch controller, frames enter with receivePacket(), the controller learns from PACKET_INs and
 * installs flows, and the next frames are forwarded by the emulator's own flow table without
 * reaching the controller.
 * - os-ken (osken-manager) running test/support/osken/learning_switch_13.py, OpenFlow 1.3;
 * - ovs-testcontroller (Open vSwitch's L2 learning controller), OpenFlow 1.0.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { Rconn, SwitchEmulator, serveSwitch } from '../../src/index.js';
import { startOsKen, startTestController, type ControllerProcess } from '../support/controllers.js';
import { checkPeers } from '../support/peers.js';
import { ARP_REPLY, ARP_REQUEST, until } from './helpers.js';

interface Rig {
  emulator: SwitchEmulator;
  rconn: Rconn;
  outputs: Array<[number, Buffer]>;
  packetIns: number;
}

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function rig(ctl: ControllerProcess, version: number, datapathId: bigint): Promise<Rig> {
  cleanups.push(() => ctl.stop());
  const emulator = new SwitchEmulator({ datapathId, ports: 3 });
  const rconn = new Rconn({ versions: [version], maxBackoff: 1, backoffJitter: 0 });
  cleanups.push(() => { emulator.close(); return rconn.close(); });
  const r: Rig = { emulator, rconn, outputs: [], packetIns: 0 };
  emulator.on('output', (port, frame) => r.outputs.push([port, frame]));
  emulator.on('packetIn', () => r.packetIns++);
  serveSwitch(rconn, emulator);
  rconn.connect(`tcp:127.0.0.1:${ctl.port}`);
  return r;
}

const ports = (outputs: Array<[number, Buffer]>, frame: Buffer): number[] =>
  outputs.filter(([, f]) => f.equals(frame)).map(([p]) => p).sort();

/** The learning exchange both controllers go through; `learnt` says when the flow for B->A is in. */
async function learn(r: Rig, what: string): Promise<void> {
  // 1. The broadcast from A: the controller learns A@1 and floods it.
  r.emulator.receivePacket(1, ARP_REQUEST);
  await until(() => ports(r.outputs, ARP_REQUEST).length === 2, 5000, `${what}: the broadcast flooded`);
  expect(ports(r.outputs, ARP_REQUEST)).toEqual([2, 3]);
  // 2. B answers A: A is known, so the controller installs B->A -> port 1 and sends it there.
  r.emulator.receivePacket(2, ARP_REPLY);
  await until(() => ports(r.outputs, ARP_REPLY).length === 1, 5000, `${what}: the reply sent to port 1`);
  await until(() => r.emulator.flows().some((f) => f.priority > 0 && f.match.ethDst === '02:00:00:00:00:01'), 5000, `${what}: the learnt flow`);
  expect(r.packetIns).toBe(2);
}

/** 3. The same frame again: the emulator's table forwards it; the controller never sees it. */
async function forwardedByTable(r: Rig): Promise<void> {
  const flow = r.emulator.flows().find((f) => f.priority > 0 && f.match.ethDst === '02:00:00:00:00:01')!;
  const before = flow.packetCount;
  r.emulator.receivePacket(2, ARP_REPLY);
  r.emulator.receivePacket(2, ARP_REPLY);
  expect(ports(r.outputs, ARP_REPLY)).toEqual([1, 1, 1]);
  expect(flow.packetCount - before).toBe(2n);
  expect(r.packetIns).toBe(2);
}

const osken = checkPeers(['osken-manager'], 'os-ken learning switch against the emulator');
osken.failUnderCi();
describe.runIf(osken.ok)('os-ken learning switch (OpenFlow 1.3) drives the emulator', () => {
  test('main state, table-miss installed, PACKET_INs learnt, flows installed, next frames forwarded by the table', async () => {
    const ctl = await startOsKen();
    const r = await rig(ctl, 4, 0x13n);
    await ctl.waitFor(/^LS main dpid=0000000000000013$/, 15_000);
    await ctl.waitFor(/^LS features dpid=0000000000000013 table-miss installed$/);
    await until(() => r.emulator.flows().some((f) => f.priority === 0 && f.fields.size === 0), 5000, 'the table-miss flow');
    await learn(r, 'os-ken');
    await ctl.waitFor(/^LS flow-add dpid=0000000000000013 in_port=2 src=02:00:00:00:00:02 dst=02:00:00:00:00:01 out=1$/);
    await forwardedByTable(r);
    expect(ctl.log.match(/^LS packet-in/gm)).toHaveLength(2);
    expect(ctl.log).not.toMatch(/LS error|too short|Traceback/);
  }, 40_000);
});

const tc = checkPeers(['ovs-testcontroller'], 'ovs-testcontroller learning switch against the emulator');
tc.failUnderCi();
describe.runIf(tc.ok)('ovs-testcontroller (OpenFlow 1.0) drives the emulator', () => {
  test('PACKET_INs learnt, flow installed, next frames forwarded by the table', async () => {
    const ctl = await startTestController('OpenFlow10');
    const r = await rig(ctl, 1, 0x10n);
    await until(() => r.rconn.isConnected(), 10_000, 'ovs-testcontroller to accept the emulator');
    await ctl.waitFor(/received: OFPT_FEATURES_REPLY.*dpid:0000000000000010/);
    await learn(r, 'ovs-testcontroller');
    await forwardedByTable(r);
    expect(ctl.log.match(/received: OFPT_PACKET_IN/g)).toHaveLength(2);
  }, 40_000);
});
