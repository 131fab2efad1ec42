/**
 * `openflow-rconn/metrics` and `ofrconn controller|switch --metrics`: a real scrape of a controller
 * with two switches connected, checked by Prometheus' own `promtool check metrics`.
 */
import { spawnSync } from 'node:child_process';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { Registry } from 'prom-client';
import { Rconn, listen } from '../../src/index.js';
import { registerRconnMetrics } from '../../src/metrics/index.js';
import { commandPath, requirePeers } from '../support/peers.js';
import { ensureBuilt, killLeftovers, startCli, type CliRun } from './spawn-cli.js';

afterEach(killLeftovers);

/** `name{labels} value` lines as a map from the series to its value. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

describe('registerRconnMetrics', () => {
  test('reads status() at scrape time: values match, a closed connection leaves the scrape', async () => {
    const server = await listen('ptcp:0:127.0.0.1', { probeInterval: 0 });
    const registry = new Registry();
    const metrics = registerRconnMetrics({ rconns: () => server.connections, registry, prefix: 'test_' });
    const client = new Rconn({ probeInterval: 0 });
    try {
      const accepted = new Promise<Rconn>((resolve) => server.once('rconn', resolve));
      client.connect(`tcp:127.0.0.1:${server.address().port}`);
      const peer = await accepted;
      await new Promise((r) => setImmediate(r));
      const s = peer.status();
      const got = samples(await registry.metrics());
      const label = `{connection="${s.name}"}`;
      expect(got.get(`test_connected${label}`)).toBe(1);
      expect(got.get(`test_openflow_version${label}`)).toBe(6);
      expect(got.get(`test_received_messages_total${label}`)).toBe(s.rxPackets);
      expect(got.get(`test_sent_bytes_total${label}`)).toBe(s.txBytes);
      expect(got.get(`test_state{connection="${s.name}",state="ACTIVE"}`)).toBe(1);
      expect(got.get(`test_state{connection="${s.name}",state="BACKOFF"}`)).toBe(0);
      expect(got.get(`test_info{connection="${s.name}",target="${s.target}",version="1.5",probe="off"}`)).toBe(1);
      // No echo sample yet: the series is left out rather than reported as 0 s.
      expect([...got.keys()].some((k) => k.startsWith('test_echo_rtt_seconds'))).toBe(false);

      const peerClosed = new Promise<void>((resolve) => peer.once('close', resolve));
      await client.close();
      await peerClosed;
      expect(samples(await registry.metrics()).size).toBe(0);
      metrics.unregister();
      expect(registry.getMetricsAsArray()).toEqual([]);
    } finally {
      await client.close();
      await server.close();
    }
  });
});

/** The URL from the `serving Prometheus metrics at ...` line. */
async function metricsUrl(run: CliRun): Promise<string> {
  return /(http:\/\/\S+\/metrics)/.exec(await run.waitFor(/serving Prometheus metrics at http:\/\//))![1]!;
}

if (requirePeers(['promtool'], 'the /metrics scrape checked by promtool (package prometheus)')) {
  describe('ofrconn --metrics', () => {
    beforeAll(ensureBuilt, 120_000);

    test('controller with two switches: the scrape passes promtool and shows both connections', async () => {
      const controller = startCli(['controller', 'ptcp:0:127.0.0.1', '--metrics', '127.0.0.1:0']);
      const port = Number(/listening on ptcp:(\d+)/.exec(await controller.waitFor(/listening on ptcp:\d+/))![1]);
      const url = await metricsUrl(controller);
      const switches = [1, 2].map((dp) => startCli(['switch', `tcp:127.0.0.1:${port}`, '--datapath-id', String(dp)]));
      await controller.waitFor(/switch datapath id 0000000000000001/);
      await controller.waitFor(/switch datapath id 0000000000000002/);
      // Our own echo on each connection, answered: after that the counters below are settled.
      await controller.waitFor(() => controller.stdout.filter((l) => /echo round trip/.test(l)).length === 2);

      const res = await fetch(url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await res.text();
      const check = spawnSync(commandPath('promtool')!, ['check', 'metrics'], { input: text, encoding: 'utf8' });
      expect(check.status, `${check.stdout}${check.stderr}\n${text}`).toBe(0);

      const got = samples(text);
      const connected = [...got].filter(([k, v]) => k.startsWith('ofrconn_connected{') && v === 1);
      expect(connected).toHaveLength(2);
      for (const [series] of connected) {
        const label = series.slice('ofrconn_connected'.length);
        // After the HELLO exchange: FEATURES_REQUEST/REPLY and our ECHO_REQUEST/REPLY.
        expect(got.get(`ofrconn_received_messages_total${label}`)).toBeGreaterThanOrEqual(2);
        expect(got.get(`ofrconn_sent_messages_total${label}`)).toBeGreaterThanOrEqual(2);
        expect(got.get(`ofrconn_received_bytes_total${label}`)).toBeGreaterThan(0);
        expect(got.get(`ofrconn_send_queue_messages${label}`)).toBe(0);
        expect(got.get(`ofrconn_reconnects_total${label}`)).toBe(0);
      }
      expect([...got.keys()].filter((k) => k.startsWith('ofrconn_info{') && k.includes('version="1.5"'))).toHaveLength(2);
      expect((await fetch(url.replace(/\/metrics$/, '/'))).status).toBe(404);

      for (const sw of switches) sw.signal('SIGTERM');
      controller.signal('SIGTERM');
      expect((await controller.exited).code).toBe(0);
    });

    test('switch --metrics: one reliable connection, its reconnects counted', async () => {
      const controller = startCli(['controller', 'ptcp:0:127.0.0.1']);
      const port = Number(/listening on ptcp:(\d+)/.exec(await controller.waitFor(/listening on ptcp:\d+/))![1]);
      const sw = startCli(['switch', `tcp:127.0.0.1:${port}`, '--metrics', '127.0.0.1:0', '--max-backoff', '1']);
      const url = await metricsUrl(sw);
      await sw.waitFor(/connected to|connected:/);
      const text = await (await fetch(url)).text();
      const label = `{connection="tcp:127.0.0.1:${port}"}`;
      expect(samples(text).get(`ofrconn_connections_total${label}`)).toBe(1);
      expect(samples(text).get(`ofrconn_connection_attempts_total${label}`)).toBe(1);
      sw.signal('SIGTERM');
      controller.signal('SIGTERM');
      expect((await sw.exited).code).toBe(0);
    });
  });
}
