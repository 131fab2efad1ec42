/** `openflow-rconn/metrics` in-process: what a scrape says against what status() says. */
import { describe, expect, test } from 'vitest';
import { Registry } from 'prom-client';
import { Rconn, listen } from '../../src/index.js';
import { registerRconnMetrics } from '../../src/metrics/index.js';
import { samples } from './samples.js';

describe('registerRconnMetrics', () => {
  test('options are checked at the call, not at the first scrape', () => {
    const registry = new Registry();
    expect(() => registerRconnMetrics({ registry } as never)).toThrow(expect.objectContaining({ code: 'EINVAL', option: 'rconns' }));
    expect(() => registerRconnMetrics({ rconns: [] as never, registry })).toThrow(expect.objectContaining({ code: 'EINVAL', option: 'rconns' }));
    expect(() => registerRconnMetrics({ rconns: () => [], registry, prefix: 7 as never })).toThrow(expect.objectContaining({ code: 'EINVAL', option: 'prefix' }));
    expect(registry.getMetricsAsArray()).toHaveLength(0);
  });

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
      expect(got.get(`test_possibly_lost_bytes_total${label}`)).toBe(s.unackedBytes);
      expect(got.get(`test_send_backlog_bytes${label}`)).toBe(s.sendBacklog);
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
