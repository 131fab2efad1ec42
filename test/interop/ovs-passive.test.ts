/**
 * Our side connects to Open vSwitch's passive controller endpoint (`ptcp:PORT:127.0.0.1` as a
 * controller target makes ovs-vswitchd listen for controllers): a reliable Rconn negotiates,
 * gets its FEATURES_REQUEST answered, and echoes flow both ways.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Rconn, formatDatapathId, type ConnectedInfo } from '../../src/index.js';
import { OvsSandbox } from '../support/ovs.js';
import { checkPeers } from '../support/peers.js';
import { freePort, letOurProbeGoFirst, request, until, watchTraffic, within, type Traffic } from './helpers.js';

const peers = checkPeers(['ovs-vswitchd', 'ovsdb-server', 'ovsdb-tool', 'ovs-vsctl', 'ovs-appctl'], 'Rconn to the OVS passive endpoint');
peers.failUnderCi();

describe.runIf(peers.ok)('Rconn connecting to ovs-vswitchd ptcp:', () => {
  const sb = new OvsSandbox();
  let rconn: Rconn;
  let traffic: Traffic;
  let connected: ConnectedInfo;
  let port = 0;
  const failures: string[] = [];

  beforeAll(async () => {
    port = await freePort();
    await sb.start({ dpid: '000000000000d00d', protocols: 'OpenFlow10,OpenFlow13,OpenFlow14', controllers: [`ptcp:${port}:127.0.0.1`], probeMs: 5000 });
    // OVS opens its listener after the database change is applied; until then connects are refused
    // and the rconn retries with backoff, as it would against any switch that is still starting.
    rconn = new Rconn({ probe: 'echo', probeInterval: 5, maxBackoff: 1, backoffJitter: 0 });
    traffic = watchTraffic(rconn);
    rconn.on('connectFailed', (f) => failures.push((f.error as { code?: string }).code ?? f.error.message));
    const up = new Promise<ConnectedInfo>((resolve) => rconn.once('connected', resolve));
    rconn.connect(`tcp:127.0.0.1:${port}`);
    connected = await within(up, 15_000, 'the rconn to connect to OVS');
  }, 30_000);

  afterAll(async () => {
    await rconn?.close();
    await sb.stop();
  });

  test('negotiates the highest version both allow (1.4), probing by echo as asked', () => {
    expect(connected).toMatchObject({ version: 5, probe: 'echo' });
    expect(rconn.status()).toMatchObject({ reliable: true, state: 'ACTIVE', version: 5 });
    // only refusals while OVS was still opening its port, nothing else
    expect(failures.every((c) => c === 'ECONNREFUSED')).toBe(true);
  });

  test('OVS answers FEATURES_REQUEST with its datapath id', async () => {
    const reply = await request(rconn, { type: 'FEATURES_REQUEST', version: 5, xid: rconn.nextXid() }, 'FEATURES_REPLY');
    expect(reply.type).toBe('FEATURES_REPLY');
    expect(formatDatapathId(reply.datapathId)).toBe('000000000000d00d');
    expect(reply.auxiliaryId).toBe(0);
  });

  test('an ECHO_REQUEST of ours with a payload comes back with the same payload', async () => {
    const data = Buffer.from('openflow-rconn interop');
    const reply = await request(rconn, { type: 'ECHO_REQUEST', version: 5, xid: rconn.nextXid(), data }, 'ECHO_REPLY');
    expect(reply.type).toBe('ECHO_REPLY');
    expect(Buffer.from((reply as { data: Buffer }).data).equals(data)).toBe(true);
  });

  test('echo both ways: our probes answered, OVS probes answered by us', async () => {
    // both sides probe after 5 s of silence and whichever fires first resets the other (OVS wins
    // most ties): make sure our turn comes once, then wait for one probe of each side
    const nudged = rconn.status().probeReplies > 0 ? Promise.resolve() : letOurProbeGoFirst(rconn);
    await until(() => rconn.status().probeReplies > 0 && traffic.count('rx', 'ECHO_REQUEST') > 0, 25_000,
      'a probe answered in each direction');
    await nudged;
    expect(traffic.count('tx', 'ECHO_REPLY')).toBeGreaterThanOrEqual(traffic.count('rx', 'ECHO_REQUEST'));
    const st = rconn.status();
    console.log(`echo both ways: ours sent/answered ${st.probesSent}/${st.probeReplies}` +
      ` (rtt ${st.rtt.last?.toFixed(2)} ms), OVS requests rx ${traffic.count('rx', 'ECHO_REQUEST')}, our replies tx ${traffic.count('tx', 'ECHO_REPLY')}`);
    expect(st.seqno).toBe(1);
    expect(await sb.log()).not.toMatch(/inactivity probe/);
  }, 30_000);
});
