/**
 * A controller that goes silent is dropped by Open vSwitch: our side neither answers OVS's echo
 * (autoEchoReply false) nor probes (probeInterval 0). OVS (inactivity_probe 5000) probes after
 * 5 s of silence and disconnects 5 s later; our side must report the disconnect.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { listen, type DisconnectedInfo, type OfpMessage, type Rconn, type RconnListener } from '../../src/index.js';
import { OvsSandbox } from '../support/ovs.js';
import { checkPeers } from '../support/peers.js';
import { nextRconn, watchTraffic, within, type Traffic } from './helpers.js';

const peers = checkPeers(['ovs-vswitchd', 'ovsdb-server', 'ovsdb-tool', 'ovs-vsctl', 'ovs-appctl'], 'OVS silent-controller test');
peers.failUnderCi();

describe.runIf(peers.ok)('a silent controller is dropped by OVS', () => {
  const sb = new OvsSandbox();
  let listener: RconnListener;
  let rconn: Rconn;
  let traffic: Traffic;
  let info: DisconnectedInfo;
  let droppedAfterMs = 0;
  const delivered: OfpMessage[] = [];
  const states: string[] = [];

  beforeAll(async () => {
    listener = await listen('ptcp:0:127.0.0.1', { autoEchoReply: false, probeInterval: 0 });
    const target = `tcp:127.0.0.1:${listener.address().port}`;
    const accepted = nextRconn(listener);
    await sb.start({ dpid: 7, protocols: 'OpenFlow13', controllers: [target], probeMs: 5000 });
    rconn = await accepted;
    const connectedAt = Date.now();
    traffic = watchTraffic(rconn);
    rconn.on('message', (m) => delivered.push(m));
    rconn.on('state', (st) => states.push(st));
    info = await within(new Promise<DisconnectedInfo>((resolve) => rconn.once('disconnected', resolve)), 25_000, 'OVS to drop us');
    droppedAfterMs = Date.now() - connectedAt;
    console.log(`OVS dropped the silent controller ${(droppedAfterMs / 1000).toFixed(2)} s after the HELLO exchange` +
      ` (our side: ${info.error?.name ?? 'no error'} ${(info.error as { code?: string } | null)?.code ?? ''})`);
  }, 40_000);

  afterAll(async () => {
    await listener?.close();
    await sb.stop();
  });

  test('OVS probed us with ECHO_REQUEST, which reached the application unanswered', () => {
    expect(traffic.count('rx', 'ECHO_REQUEST')).toBeGreaterThanOrEqual(1);
    expect(traffic.count('tx', 'ECHO_REPLY')).toBe(0);
    expect(delivered.some((m) => m.type === 'ECHO_REQUEST' && m.version === 4)).toBe(true);
  });

  test('OVS logs the inactivity disconnect', async () => {
    expect(await sb.log()).toMatch(/br0<->tcp:127\.0\.0\.1:\d+: no response to inactivity probe after 5 seconds, disconnecting/);
  });

  test('our side reports the disconnect as the peer closing, and the accepted rconn ends', () => {
    // an accepted rconn never reconnects
    expect(info.error).not.toBeNull();
    expect(['EOF', 'ECONNRESET']).toContain((info.error as { code?: string }).code);
    expect(rconn.isConnected()).toBe(false);
    // DISCONNECTED (no retry for an accepted connection); the listener then closes and forgets it
    console.log('state events seen by the application:', states.join(' -> '));
    expect(states).toContain('DISCONNECTED');
    expect(listener.connections.has(rconn)).toBe(false);
    // OVS waits a full idle interval before it even probes
    expect(droppedAfterMs).toBeGreaterThanOrEqual(5_000);
  });
});
