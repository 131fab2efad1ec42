/**
 * The built `ofrconn` against peers nobody here wrote: Open vSwitch (ovs-vswitchd in a private
 * sandbox, dummy datapath), ovs-ofctl and ovs-testcontroller. Under CI=true a missing peer fails.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { OvsSandbox } from '../support/ovs.js';
import { checkPeers, commandPath } from '../support/peers.js';
import { ensureBuilt, killLeftovers, runCli, startCli, type CliRun } from './spawn-cli.js';

const run = promisify(execFile);

const ovsPeers = checkPeers(['ovs-vswitchd', 'ovsdb-server', 'ovsdb-tool', 'ovs-vsctl', 'ovs-appctl'], 'ofrconn against Open vSwitch');
ovsPeers.failUnderCi();
const ofctlPeers = checkPeers(['ovs-ofctl'], 'ofrconn switch against ovs-ofctl');
ofctlPeers.failUnderCi();
const testcontrollerPeers = checkPeers(['ovs-testcontroller'], 'ofrconn switch against ovs-testcontroller');
testcontrollerPeers.failUnderCi();

beforeAll(ensureBuilt, 120_000);
// Per file, not per test: the ovs-ofctl suite shares one switch across its tests.
afterAll(killLeftovers);

async function listeningPort(cli: CliRun): Promise<number> {
  const line = await cli.waitFor(/listening on ptcp:\d+/);
  return Number(/listening on ptcp:(\d+)/.exec(line)![1]);
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe.runIf(ovsPeers.ok)('ofrconn with ovs-vswitchd', () => {
  const sb = new OvsSandbox();
  afterAll(() => sb.stop());

  test('ofrconn controller ptcp: accepts OVS and logs its datapath id', async () => {
    const controller = startCli(['controller', 'ptcp:0:127.0.0.1']);
    const port = await listeningPort(controller);
    // The listener is up first, so OVS connects at once instead of backing off 1, 2, 4 s.
    await sb.start({ dpid: '00000000000000ab', protocols: 'OpenFlow10,OpenFlow13', controllers: [`tcp:127.0.0.1:${port}`] });
    await controller.waitFor(/connection accepted: OpenFlow 1\.3 negotiated, probe transport/, 15_000);
    await controller.waitFor(/switch datapath id 00000000000000ab/);
    await controller.waitFor(/echo round trip/);
    await sb.waitConnected(`tcp:127.0.0.1:${port}`, 15_000);

    controller.signal('SIGINT');
    expect((await controller.exited).code).toBe(0);
    expect(controller.stdout.join('\n')).toMatch(/datapath 00000000000000ab; 1 connection/);
    await sb.stop();
  });

  test('ofrconn probe against OVS\'s ptcp: management endpoint', async () => {
    const port = await freePort();
    await sb.start({ dpid: '00000000000000cd', controllers: [`ptcp:${port}:127.0.0.1`] });
    // OVS opens the listener asynchronously after the database change; retry while refused.
    let r = await runCli(['probe', `tcp:127.0.0.1:${port}`, '--versions', '1.0,1.3']);
    for (let i = 0; i < 50 && r.code !== 0 && /ECONNREFUSED/.test(r.stderr); i++) {
      await new Promise((res) => setTimeout(res, 200));
      r = await runCli(['probe', `tcp:127.0.0.1:${port}`, '--versions', '1.0,1.3']);
    }
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/OpenFlow 1\.3, echo round trip \d+\.\d+ ms/);
    await sb.stop();
  });
});

describe.runIf(ofctlPeers.ok)('ofrconn switch ptcp: with ovs-ofctl', () => {
  let sw: CliRun;
  let port: number;
  const ofctl = (...args: string[]) => run(commandPath('ovs-ofctl')!, ['--timeout=10', ...args]);

  beforeAll(async () => {
    sw = startCli(['switch', 'ptcp:0:127.0.0.1', '--datapath-id', '0000000000001234']);
    port = await listeningPort(sw);
  });
  afterAll(async () => {
    sw.signal('SIGTERM');
    expect((await sw.exited).code).toBe(0);
  });

  test('ovs-ofctl probe succeeds (the rconn answers the echo)', async () => {
    const { stderr } = await ofctl('probe', `tcp:127.0.0.1:${port}`);
    expect(stderr).toBe('');
  });

  test('ovs-ofctl ping gets its payload echoed back', async () => {
    const { stdout } = await ofctl('ping', `tcp:127.0.0.1:${port}`, '64');
    expect(stdout).toMatch(/64 bytes from tcp:127\.0\.0\.1:\d+: xid=\w+ time=[\d.]+ ms/);
  });

  test('ovs-ofctl show (1.0 and 1.3) prints our datapath id and ports', async () => {
    const { stdout } = await ofctl('show', `tcp:127.0.0.1:${port}`);
    expect(stdout).toMatch(/OFPT_FEATURES_REPLY \(xid=0x\w+\): dpid:0000000000001234/);
    expect(stdout).toMatch(/ 1\(eth1\): addr:02:00:00:00:00:01/);
    expect(stdout).toMatch(/OFPT_GET_CONFIG_REPLY/);
    const v13 = await ofctl('-O', 'OpenFlow13', 'show', `tcp:127.0.0.1:${port}`);
    expect(v13.stdout).toMatch(/OFPT_FEATURES_REPLY \(OF1\.3\) \(xid=0x\w+\): dpid:0000000000001234/);
    expect(v13.stdout).toMatch(/OFPST_PORT_DESC reply \(OF1\.3\)/);
    await sw.waitFor(/answered FEATURES_REQUEST with FEATURES_REPLY \(datapath id 0000000000001234\)/);
  });
});

describe.runIf(testcontrollerPeers.ok)('ofrconn switch tcp: against ovs-testcontroller', () => {
  let tc: ChildProcess | undefined;
  // Its control socket goes to OVS_RUNDIR (default /var/run/openvswitch, absent without the service).
  const rundir = mkdtempSync(join(tmpdir(), 'ofrconn-tc'));
  afterAll(() => {
    if (tc?.pid !== undefined && tc.exitCode === null) process.kill(tc.pid, 'SIGTERM');
    rmSync(rundir, { recursive: true, force: true });
  });

  test('connects, negotiates, answers FEATURES_REQUEST; reconnects after the controller restarts', async () => {
    const port = await freePort();
    const startTc = () => spawn(commandPath('ovs-testcontroller')!, [`ptcp:${port}:127.0.0.1`], { stdio: 'ignore', env: { ...process.env, OVS_RUNDIR: rundir } });
    const sw = startCli(['switch', `tcp:127.0.0.1:${port}`, '--max-backoff', '2']);
    tc = startTc();
    await sw.waitFor(/connected: OpenFlow 1\.5 negotiated/, 15_000);
    await sw.waitFor(/answered FEATURES_REQUEST with FEATURES_REPLY/);

    // The controller goes away: the switch notices, backs off, and is back once it returns.
    process.kill(tc.pid!, 'SIGTERM');
    await new Promise((r) => tc!.once('exit', r));
    await sw.waitFor(/disconnected: /);
    tc = startTc();
    await sw.waitFor((l) => /connected: OpenFlow 1\.5 negotiated/.test(l) && sw.stdout.filter((x) => /connected: OpenFlow/.test(x)).length >= 2, 15_000);

    sw.signal('SIGINT');
    expect((await sw.exited).code).toBe(0);
    expect(sw.stdout.join('\n')).toMatch(/2 connections \(1 reconnect\)/);
  });
});
