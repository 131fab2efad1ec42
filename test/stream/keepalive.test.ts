import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  _setSockoptLoaderForTests,
  getKeepaliveOptions,
  listenStream,
  openStream,
  readTcpInfo,
  sockoptUnavailableReason,
  type PassiveStream,
  type Stream,
} from '../../src/stream/index.js';
import { serverTls, tempDir, trustCa } from './helpers.js';

const linux = process.platform === 'linux';

/** A connected client/server pair of the given kind on loopback. */
async function pair(kind: 'tcp' | 'ssl'): Promise<{ client: Stream; server: Stream; l: PassiveStream; done: () => Promise<void> }> {
  const l = await listenStream(`p${kind}:0:127.0.0.1`, kind === 'ssl' ? { tls: serverTls() } : {});
  const accepted = l.accept();
  const client = await openStream(`${kind}:127.0.0.1:${l.address().port}`, kind === 'ssl' ? { tls: trustCa() } : {});
  const server = (await accepted.next()).value as Stream;
  return {
    client,
    server,
    l,
    done: async () => {
      client.destroy();
      server.destroy();
      await l.close();
    },
  };
}

afterEach(() => _setSockoptLoaderForTests(null));

describe.runIf(linux).each(['tcp', 'ssl'] as const)('keepalive on %s streams (Linux, koffi)', (kind) => {
  it('setKeepalive(7) sets the five options; 0 turns keepalive off', async () => {
    expect(sockoptUnavailableReason()).toBeUndefined();
    const { client, server, done } = await pair(kind);
    for (const s of [client, server]) {
      expect(s.setKeepalive(7)).toBe(0);
      expect(getKeepaliveOptions(s.socket)).toEqual({
        SO_KEEPALIVE: 1,
        TCP_KEEPIDLE: 7,
        TCP_KEEPINTVL: 1,
        TCP_KEEPCNT: 7,
        TCP_USER_TIMEOUT: 14_000,
      });
      expect(s.setKeepalive(0)).toBe(0);
      const off = getKeepaliveOptions(s.socket)!;
      expect(off.SO_KEEPALIVE).toBe(0);
      expect(off.TCP_USER_TIMEOUT).toBe(0);
    }
    await done();
  });

  it('clamps to the kernel limits (40000 -> idle 32767, count 127)', async () => {
    const { client, done } = await pair(kind);
    expect(client.setKeepalive(40_000)).toBe(0);
    expect(getKeepaliveOptions(client.socket)).toEqual({
      SO_KEEPALIVE: 1,
      TCP_KEEPIDLE: 32767,
      TCP_KEEPINTVL: 1,
      TCP_KEEPCNT: 127,
      TCP_USER_TIMEOUT: 80_000_000,
    });
    expect(client.setKeepalive(-1)).toBe('EINVAL');
    expect(client.setKeepalive(Number.NaN)).toBe('EINVAL');
    await done();
  });

  it("survives Node's own setKeepAlive(), on the raw socket and on the duplex", async () => {
    const { client, done } = await pair(kind);
    // Baseline: what Node alone does to the count and interval.
    client.socket.setKeepAlive(true, 3000);
    const nodeOnly = getKeepaliveOptions(client.socket)!;
    expect(nodeOnly.TCP_KEEPIDLE).toBe(3);
    expect(nodeOnly.TCP_KEEPCNT).not.toBe(7);

    expect(client.setKeepalive(7)).toBe(0);
    const ours = { SO_KEEPALIVE: 1, TCP_KEEPIDLE: 7, TCP_KEEPINTVL: 1, TCP_KEEPCNT: 7, TCP_USER_TIMEOUT: 14_000 };
    client.socket.setKeepAlive(true, 1000);
    expect(getKeepaliveOptions(client.socket)).toEqual(ours);
    (client.duplex as unknown as { setKeepAlive(on: boolean, ms: number): void }).setKeepAlive(true, 1000);
    expect(getKeepaliveOptions(client.socket)).toEqual(ours);

    // Once we turned it off, Node's calls stand as made.
    expect(client.setKeepalive(0)).toBe(0);
    client.socket.setKeepAlive(true, 5000);
    expect(getKeepaliveOptions(client.socket)!.TCP_KEEPIDLE).toBe(5);
    await done();
  });

  it('reads tcp_info: an established, quiet connection is not idle', async () => {
    const { client, done } = await pair(kind);
    expect(client.setKeepalive(5)).toBe(0);
    const info = readTcpInfo(client.socket)!;
    expect(info.stateName).toBe('ESTABLISHED');
    expect(info.state).toBe(1);
    expect(info.probes).toBe(0);
    expect(info.rtoMs).toBeGreaterThan(0);
    expect(client.isIdle()).toBe(false);
    await done();
  });

  it('after the socket is gone: EBADF, and isIdle is false', async () => {
    const { client, done } = await pair(kind);
    client.destroy();
    await new Promise((r) => client.socket.once('close', r));
    expect(client.setKeepalive(5)).toBe('EBADF');
    expect(client.isIdle()).toBe(false);
    expect(readTcpInfo(client.socket)).toBeUndefined();
    expect(getKeepaliveOptions(client.socket)).toBeUndefined();
    await done();
  });

  it('an errno from setsockopt is returned by name', async () => {
    _setSockoptLoaderForTests(() => ({
      setInt: () => 'ENOPROTOOPT',
      getInt: () => 'ENOPROTOOPT',
      getBytes: () => 'ENOPROTOOPT',
      tcpKeepaliveTimes: () => 'ENOPROTOOPT',
    }));
    const { client, done } = await pair(kind);
    expect(client.setKeepalive(5)).toBe('ENOPROTOOPT');
    expect(client.isIdle()).toBe(false);
    await done();
  });
});

describe('keepalive unavailable', () => {
  it("unix streams -> 'EOPNOTSUPP', isIdle false", async () => {
    const tmp = tempDir();
    const path = join(tmp.dir, 'ka.sock');
    const l = await listenStream(`punix:${path}`);
    const s = await openStream(`unix:${path}`);
    expect(s.setKeepalive(5)).toBe('EOPNOTSUPP');
    expect(s.setKeepalive(0)).toBe('EOPNOTSUPP');
    expect(s.isIdle()).toBe(false);
    s.destroy();
    await l.close();
    tmp.remove();
  });

  it.each(['tcp', 'ssl'] as const)("koffi failing to load -> 'EOPNOTSUPP' on %s, isIdle false, a reason to show", async (kind) => {
    _setSockoptLoaderForTests(() => {
      throw new Error("Cannot find module 'koffi'");
    });
    const { client, done } = await pair(kind);
    expect(client.setKeepalive(5)).toBe('EOPNOTSUPP');
    expect(client.isIdle()).toBe(false);
    expect(readTcpInfo(client.socket)).toBeUndefined();
    expect(getKeepaliveOptions(client.socket)).toBeUndefined();
    expect(sockoptUnavailableReason()).toMatch(/^koffi is not installed \(the optional dependency that sets TCP keepalive options; npm install koffi\): /);
    await done();
  });

  it.runIf(linux)('OPENFLOW_RCONN_NO_KOFFI=1 disables it too', async () => {
    process.env.OPENFLOW_RCONN_NO_KOFFI = '1';
    try {
      _setSockoptLoaderForTests(null); // forget the cached binding
      const { client, done } = await pair('tcp');
      expect(client.setKeepalive(5)).toBe('EOPNOTSUPP');
      expect(sockoptUnavailableReason()).toMatch(/OPENFLOW_RCONN_NO_KOFFI/);
      await done();
    } finally {
      delete process.env.OPENFLOW_RCONN_NO_KOFFI;
    }
  });
});
