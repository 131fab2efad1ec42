/**
 * `ofrconn controller|switch --metrics`: a real scrape of a controller with two switches connected,
 * checked by Prometheus' own `promtool check metrics`.
 */
import { spawnSync } from 'node:child_process';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { samples } from '../metrics/samples.js';
import { commandPath, requirePeers } from '../support/peers.js';
import { ensureBuilt, killLeftovers, startCli, type CliRun } from './spawn-cli.js';

afterEach(killLeftovers);

/** Several node processes start per test: on a loaded 2-core machine that takes seconds. */
const LOADED_MS = 30_000;

/** The URL from the `serving Prometheus metrics at ...` line. */
async function metricsUrl(run: CliRun): Promise<string> {
  return /(http:\/\/\S+\/metrics)/.exec(await run.waitFor(/serving Prometheus metrics at http:\/\//, LOADED_MS))![1]!;
}

if (requirePeers(['promtool'], 'the /metrics scrape checked by promtool (package prometheus)')) {
  describe('ofrconn --metrics', () => {
    beforeAll(ensureBuilt, 120_000);

    test('controller with two switches: the scrape passes promtool and shows both connections', { timeout: 90_000 }, async () => {
      const controller = startCli(['controller', 'ptcp:0:127.0.0.1', '--metrics', '127.0.0.1:0']);
      const port = Number(/listening on ptcp:(\d+)/.exec(await controller.waitFor(/listening on ptcp:\d+/, LOADED_MS))![1]);
      const url = await metricsUrl(controller);
      const switches = [1, 2].map((dp) => startCli(['switch', `tcp:127.0.0.1:${port}`, '--datapath-id', String(dp)]));
      await controller.waitFor(/switch datapath id 0000000000000001/, LOADED_MS);
      await controller.waitFor(/switch datapath id 0000000000000002/, LOADED_MS);
      // Our own echo on each connection, answered: after that the counters below are settled.
      await controller.waitFor(() => controller.stdout.filter((l) => /echo round trip/.test(l)).length === 2, LOADED_MS);

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

    test('switch --metrics: one reliable connection, its reconnects counted', { timeout: 90_000 }, async () => {
      const controller = startCli(['controller', 'ptcp:0:127.0.0.1']);
      const port = Number(/listening on ptcp:(\d+)/.exec(await controller.waitFor(/listening on ptcp:\d+/, LOADED_MS))![1]);
      const sw = startCli(['switch', `tcp:127.0.0.1:${port}`, '--metrics', '127.0.0.1:0', '--max-backoff', '1']);
      const url = await metricsUrl(sw);
      await sw.waitFor(/connected to|connected:/, LOADED_MS);
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
