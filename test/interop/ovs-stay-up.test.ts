/**
 * A healthy connection stays up: Open vSwitch probes us every 5 s of silence (inactivity_probe
 * 5000, its floor) while we probe it, for 30 s, once with our echo probing and once with 'auto'
 * (TCP keepalive on Linux, so only OVS sends echoes). Both run side by side on two bridges of one
 * sandbox. Nobody may drop anybody, and every echo either side sends must be answered.
 *
 * With both sides at 5 s, whoever's timer fires first resets the other's idle clock, and OVS's
 * timer wins most ties (measured: OVS 5 probes, ours 1 in 30 s). So that our probe goes out at
 * least once for sure, the echo run sends OVS one unanswered SET_CONFIG 1 s after an OVS echo:
 * OVS's idle deadline moves 1 s past ours.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { listen, type ProbeMode, type Rconn, type RconnListener } from '../../src/index.js';
import { OvsSandbox } from '../support/ovs.js';
import { checkPeers } from '../support/peers.js';
import { letOurProbeGoFirst, nextRconn, sleep, watchTraffic, type Traffic } from './helpers.js';

const peers = checkPeers(['ovs-vswitchd', 'ovsdb-server', 'ovsdb-tool', 'ovs-vsctl', 'ovs-appctl'], 'OVS stay-up test');
peers.failUnderCi();

const HOLD_MS = 30_000;

interface Run {
  mode: ProbeMode;
  bridge: string;
  target: string;
  listener: RconnListener;
  rconn: Rconn;
  traffic: Traffic;
  disconnects: number;
  seqnoAtStart: number;
}

describe.runIf(peers.ok)('OVS and our controller side probing each other for 30 s', () => {
  const sb = new OvsSandbox();
  const runs: Run[] = [];
  const run = (mode: ProbeMode): Run => runs.find((r) => r.mode === mode)!;
  let ovsLog = '';

  beforeAll(async () => {
    await sb.start({ dpid: 1 });
    const setups = (['echo', 'auto'] as const).map(async (mode, i) => {
      const listener = await listen('ptcp:0:127.0.0.1', { probe: mode, probeInterval: 5 });
      const target = `tcp:127.0.0.1:${listener.address().port}`;
      const bridge = `br${i + 1}`;
      const accepted = nextRconn(listener);
      await sb.addBridge(bridge, { dpid: i + 2, controllers: [target], probeMs: 5000 });
      const rconn = await accepted;
      // the monitor is added before the first probe could be due (5 s), so it sees every echo
      const entry: Run = { mode, bridge, target, listener, rconn, traffic: watchTraffic(rconn), disconnects: 0, seqnoAtStart: rconn.seqno };
      rconn.on('disconnected', () => entry.disconnects++);
      runs.push(entry);
    });
    await Promise.all(setups);
    await Promise.all([sleep(HOLD_MS), sleep(8_000).then(() => letOurProbeGoFirst(run('echo').rconn))]);
    ovsLog = await sb.log();
    const report = runs.map((r) => {
      const s = r.rconn.status();
      return `  ${r.mode.padEnd(5)} probe in force=${s.probe} ours sent/answered=${s.probesSent}/${s.probeReplies}` +
        ` rtt smoothed=${s.rtt.smoothed?.toFixed(2) ?? "-"} ms; OVS echo requests rx=${r.traffic.count('rx', 'ECHO_REQUEST')}` +
        ` our replies tx=${r.traffic.count('tx', 'ECHO_REPLY')}; disconnects=${r.disconnects}`;
    });
    console.log(`after ${HOLD_MS / 1000} s:\n${report.join('\n')}`);
  }, HOLD_MS + 30_000);

  afterAll(async () => {
    await Promise.all(runs.map((r) => r.listener.close()));
    await sb.stop();
  });


  test.each(['echo', 'auto'] as const)('%s: still connected, same connection, no disconnect event', (mode) => {
    const r = run(mode);
    expect(r.rconn.isConnected()).toBe(true);
    expect(r.rconn.seqno).toBe(r.seqnoAtStart);
    expect(r.disconnects).toBe(0);
    expect(r.rconn.status().lastError).toBeNull();
  });

  test('OVS never dropped a controller for inactivity (its log)', () => {
    expect(ovsLog).not.toMatch(/inactivity probe/);
    for (const r of runs) {
      expect(ovsLog).toContain(`${r.bridge}<->${r.target}: connected`);
      expect(ovsLog).not.toMatch(new RegExp(`${r.bridge}<->${r.target}: (connection dropped|disconnecting|connection closed)`));
    }
  });

  test('echo: our probes went out and were answered by OVS', () => {
    const s = run('echo').rconn.status();
    expect(s.probe).toBe('echo');
    expect(s.probeReplies).toBeGreaterThan(0);
    // at most the probe sent in the last instant may still be in flight
    expect(s.probesSent - s.probeReplies).toBeLessThanOrEqual(1);
    expect(s.rtt.samples).toBe(s.probeReplies);
  });

  test('auto: TCP keepalive does our probing, so we send no echo of our own', () => {
    const s = run('auto').rconn.status();
    expect(s.probe).toBe('transport');
    expect(s.probesSent).toBe(0);
    expect(run('auto').traffic.count('tx', 'ECHO_REQUEST')).toBe(0);
  });

  test.each(['echo', 'auto'] as const)('%s: every ECHO_REQUEST from OVS was answered', (mode) => {
    const t = run(mode).traffic;
    expect(t.count('rx', 'ECHO_REQUEST')).toBeGreaterThan(0);
    expect(t.count('tx', 'ECHO_REPLY')).toBe(t.count('rx', 'ECHO_REQUEST'));
  });
});
