import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { OvsCommandError, OvsSandbox } from '../support/ovs.js';
import { checkPeers } from '../support/peers.js';

const peers = checkPeers(['ovs-vswitchd', 'ovsdb-server', 'ovsdb-tool', 'ovs-vsctl', 'ovs-appctl', 'ovs-ofctl'], 'OVS sandbox smoke test');
peers.failUnderCi();

/** Live, non-zombie process? (the detached daemons are reaped by PID 1, possibly late) */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2)[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** A plain TCP listener standing in for a controller: resolves with the first 8 bytes OVS sends. */
async function listener(): Promise<{ port: number; firstHeader: Promise<{ sock: net.Socket; bytes: Buffer }>; close(): void }> {
  const server = net.createServer();
  const firstHeader = new Promise<{ sock: net.Socket; bytes: Buffer }>((resolve) => {
    server.once('connection', (sock) => {
      let buf = Buffer.alloc(0);
      const onData = (d: Buffer) => {
        buf = Buffer.concat([buf, d]);
        if (buf.length < 8) return;
        const len = buf.readUInt16BE(2);
        if (buf.length < len) return;
        sock.off('data', onData);
        resolve({ sock, bytes: buf.subarray(0, len) });
      };
      sock.on('data', onData);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as net.AddressInfo;
  return { port, firstHeader, close: () => server.close() };
}

describe.runIf(peers.ok)('OvsSandbox', () => {
  const sb = new OvsSandbox();
  let lst: Awaited<ReturnType<typeof listener>>;

  beforeAll(async () => {
    lst = await listener();
    // the listener is up first: OVS connects at once instead of backing off 1, 2, 4 s
    await sb.start({ dpid: '00000000000000ab', protocols: 'OpenFlow10,OpenFlow13', controllers: [`tcp:127.0.0.1:${lst.port}`] });
  });
  afterAll(async () => {
    await sb.stop();
    lst?.close();
  });

  test('runs in a short /tmp directory with both daemons up', async () => {
    expect(sb.dir).toMatch(/^\/tmp\/ovs\w{6}$/);
    expect(await sb.pid('ovsdb-server')).toBeGreaterThan(0);
    expect(await sb.pid('ovs-vswitchd')).toBeGreaterThan(0);
  });

  test('ovs-vsctl show lists br0 with its controller', async () => {
    const show = await sb.vsctl('show');
    expect(show).toMatch(/Bridge br0/);
    expect(show).toContain(`Controller "tcp:127.0.0.1:${lst.port}"`);
    expect(show).toMatch(/datapath_type: dummy/);
  });

  test('ovs-ofctl finds br0 through OVS_RUNDIR and reports the configured dpid', async () => {
    expect(await sb.ofctl('show', 'br0')).toMatch(/dpid:00000000000000ab/);
  });

  test('ovs-appctl reaches this sandbox ovs-vswitchd', async () => {
    expect(await sb.appctl('version')).toMatch(/Open vSwitch\) 3\./);
  });

  test('OVS connects to a plain node listener and sends a HELLO', async () => {
    const { sock, bytes } = await lst.firstHeader;
    // OFP header by hand: version, type, length, xid
    expect(bytes[0]).toBe(0x04); // highest allowed version, OF1.3
    expect(bytes[1]).toBe(0); // OFPT_HELLO
    expect(bytes.readUInt16BE(2)).toBe(16); // header + one version-bitmap element
    expect(bytes.readUInt32BE(12)).toBe((1 << 1) | (1 << 4)); // bitmap {1.0, 1.3}

    // answer with our own HELLO: OVS then reports the controller as connected
    sock.write(Buffer.from([0x04, 0, 0, 8, 0, 0, 0, 1]));
    await sb.waitConnected(`tcp:127.0.0.1:${lst.port}`);
    expect((await sb.controllers())[0]).toMatchObject({ target: `tcp:127.0.0.1:${lst.port}`, isConnected: true });
    expect(await sb.log()).toMatch(/rconn\|INFO\|br0<->tcp:127\.0\.0\.1:\d+: connected/);
  });

  test('setController replaces the targets, setProtocols changes the bridge', async () => {
    await sb.setController(['ptcp:0:127.0.0.1'], { probeMs: 7000, maxBackoffMs: 2000 });
    const rows = await sb.vsctl('--data=bare', '--no-headings', '--columns=target,inactivity_probe,max_backoff', 'list', 'controller');
    expect(rows.trim().split(/\s+/)).toEqual(['ptcp:0:127.0.0.1', '7000', '2000']);
    await sb.setProtocols(['OpenFlow13']);
    expect((await sb.vsctl('get', 'bridge', 'br0', 'protocols')).trim()).toBe('[OpenFlow13]');
    await sb.setProtocols(undefined);
    expect((await sb.vsctl('get', 'bridge', 'br0', 'protocols')).trim()).toBe('[]');
  });

  test('a failing command rejects with OvsCommandError carrying stderr', async () => {
    const err = await sb.vsctl('br-exists', 'nope').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OvsCommandError);
    expect((err as OvsCommandError).code).toBe('ERR_OVS_COMMAND');
  });
});

describe.runIf(peers.ok)('OvsSandbox.stop', () => {
  test('leaves no process of the sandbox and no directory; idempotent', async () => {
    const sb = new OvsSandbox();
    await sb.start();
    const dir = sb.dir;
    const pids = [await sb.pid('ovs-vswitchd'), await sb.pid('ovsdb-server')];
    expect(pids.every((p) => p !== undefined && alive(p))).toBe(true);
    await sb.stop();
    expect(pids.filter((p) => alive(p!))).toEqual([]);
    expect(existsSync(dir)).toBe(false);
    expect(await sb.log()).toMatch(/ovs-vswitchd \(Open vSwitch\)/); // kept for diagnostics
    await sb.stop();
  });

  test('killNow (the process-exit fallback) kills both daemons and removes the directory', async () => {
    const sb = new OvsSandbox();
    await sb.start();
    const dir = sb.dir;
    const pids = [await sb.pid('ovs-vswitchd'), await sb.pid('ovsdb-server')];
    sb.killNow();
    // SIGKILL is asynchronous: give the kernel a moment to tear the processes down
    for (let i = 0; i < 40 && pids.some((p) => alive(p!)); i++) await new Promise((r) => setTimeout(r, 50));
    expect(pids.filter((p) => alive(p!))).toEqual([]);
    expect(existsSync(dir)).toBe(false);
    await sb.stop();
  });

  test('is safe on a sandbox that was never started', async () => {
    await expect(new OvsSandbox().stop()).resolves.toBeUndefined();
  });

  test('cleans up after a start that failed half-way', async () => {
    const sb = new OvsSandbox();
    // the daemons are up by the time ovs-vsctl rejects the unknown protocol
    const err = await sb.start({ protocols: 'OpenFlow99' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OvsCommandError);
    const dir = sb.dir;
    const pid = await sb.pid('ovs-vswitchd');
    expect(pid).toBeGreaterThan(0);
    await sb.stop();
    expect(alive(pid!)).toBe(false);
    expect(existsSync(dir)).toBe(false);
  });

  test('rejects a bad datapath id before starting anything', async () => {
    const sb = new OvsSandbox();
    await expect(sb.start({ dpid: 'not-hex' })).rejects.toThrow(RangeError);
    await sb.stop();
  });
});
