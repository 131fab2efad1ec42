/**
 * Open vSwitch as the switch, our listener as its controller: for each bridge `protocols` setting
 * the version we negotiate is the one OVS's own rules give, OVS reports the controller connected,
 * and its FEATURES_REPLY carries the datapath id we configured.
 *
 * One sandbox for every case, one bridge per case (each with its own `protocols`, datapath id and
 * listener), run side by side: ovs-vswitchd only rewrites controller status every ~5 s, so nine
 * cases one after the other would spend most of a minute waiting for is_connected.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { listen, formatDatapathId, type RconnListener } from '../../src/index.js';
import { OvsSandbox } from '../support/ovs.js';
import { checkPeers } from '../support/peers.js';
import { nextRconn, request, until } from './helpers.js';

const peers = checkPeers(['ovs-vswitchd', 'ovsdb-server', 'ovsdb-tool', 'ovs-vsctl', 'ovs-appctl'], 'OVS version negotiation');
peers.failUnderCi();

const DPID_BASE = 0x00000000c0ffee00n;

// protocols (undefined = OVS default, 1.0-1.5) -> the version both sides must settle on
const CASES: Array<[string | undefined, number]> = [
  ['OpenFlow10', 1],
  ['OpenFlow11', 2],
  ['OpenFlow12', 3],
  ['OpenFlow13', 4],
  ['OpenFlow14', 5],
  ['OpenFlow15', 6],
  ['OpenFlow10,OpenFlow13', 4],
  ['OpenFlow13,OpenFlow14,OpenFlow15', 6],
  [undefined, 6],
];

describe.runIf(peers.ok)('OVS as switch, our listener as controller: version negotiation', () => {
  const sb = new OvsSandbox();
  const listeners: RconnListener[] = [];
  const measured: Array<{ i: number; protocols: string; version: number; isConnectedAfterMs: number }> = [];

  beforeAll(async () => {
    // br0 stays without controller; every case adds its own bridge
    await sb.start({ dpid: DPID_BASE });
  });
  afterAll(async () => {
    await Promise.all(listeners.map((l) => l.close()));
    await sb.stop();
    if (measured.length) console.log('negotiated versions (OVS protocols -> version, is_connected after):\n' +
      measured.sort((a, b) => a.i - b.i).map((m) => `  ${m.protocols.padEnd(34)} 0x0${m.version}  ${m.isConnectedAfterMs} ms`).join('\n'));
  });

  test.concurrent.each(CASES.map(([p, v], i) => [p, v, i] as const))('protocols=%s negotiates version %i', async (protocols, expected, i) => {
    const bridge = `br${i + 1}`;
    const dpid = DPID_BASE + BigInt(i + 1);
    const lst = await listen('ptcp:0:127.0.0.1', { probeInterval: 0 });
    listeners.push(lst);
    const target = `tcp:127.0.0.1:${lst.address().port}`;
    const accepted = nextRconn(lst);
    // the listener is up before the controller row exists: OVS connects at once
    await sb.addBridge(bridge, { dpid, protocols, controllers: [target] });
    const started = Date.now();
    const rconn = await accepted;

    expect(rconn.version).toBe(expected);
    expect(rconn.isConnected()).toBe(true);
    const reply = await request(rconn, { type: 'FEATURES_REQUEST', version: expected, xid: rconn.nextXid() }, 'FEATURES_REPLY');
    expect(reply.type).toBe('FEATURES_REPLY');
    expect(reply.version).toBe(expected);
    expect(formatDatapathId(reply.datapathId)).toBe(formatDatapathId(dpid));

    await until(() => sb.bridgeControllerConnected(bridge), 12_000, `ovs-vsctl get controller ${bridge} is_connected = true`);
    measured.push({ i, protocols: protocols ?? '(default)', version: expected, isConnectedAfterMs: Date.now() - started });
    expect(await sb.log()).toContain(`${bridge}<->${target}: connected`);
    expect(rconn.isConnected()).toBe(true);
  }, 20_000);
});
