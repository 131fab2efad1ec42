/** The built `ofrconn` against itself on loopback. */
import net from 'node:net';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { ensureBuilt, jsonLines, killLeftovers, runCli, startCli } from './spawn-cli.js';

beforeAll(ensureBuilt, 120_000);
afterEach(killLeftovers);

/** The port a passive ofrconn bound, from its `listening` line (plain or JSON). */
async function listeningPort(run: ReturnType<typeof startCli>): Promise<number> {
  const line = await run.waitFor(/listening on p(tcp|ssl):\d+/);
  return Number(/listening on p(?:tcp|ssl):(\d+)/.exec(line)![1]);
}

/** A port nothing listens on: bind an ephemeral one and close it again. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('ofrconn controller and switch', () => {
  test('switch tcp: connects to controller ptcp:, which logs its datapath id; SIGINT gives a summary and exit 0', async () => {
    const controller = startCli(['controller', 'ptcp:0:127.0.0.1']);
    const port = await listeningPort(controller);
    const sw = startCli(['switch', `tcp:127.0.0.1:${port}`, '--datapath-id', '00:00:00:00:00:00:0a:bc']);

    await sw.waitFor(/connected: OpenFlow 1\.5 negotiated, probe transport/);
    await sw.waitFor(/answered FEATURES_REQUEST with FEATURES_REPLY \(datapath id 0000000000000abc\)/);
    await controller.waitFor(/connection accepted: OpenFlow 1\.5 negotiated/);
    await controller.waitFor(/switch datapath id 0000000000000abc/);
    await controller.waitFor(/echo round trip \d+\.\d+ ms/);

    sw.signal('SIGINT');
    expect((await sw.exited).code).toBe(0);
    expect(sw.stdout.join('\n')).toMatch(/summary after [\d.]+ s: 1 connection\n/);
    await controller.waitFor(/disconnected: connection closed by peer \(EOF\)$/);

    controller.signal('SIGTERM');
    expect((await controller.exited).code).toBe(0);
    expect(controller.stdout.join('\n')).toMatch(/datapath 0000000000000abc; 1 connection/);
    expect(controller.stderr.join('')).toBe('');
  });

  test('--versions limits the negotiation: 1.0,1.3 against 1.3 only gives 1.3', async () => {
    const controller = startCli(['controller', 'ptcp:0:127.0.0.1', '--versions', '1.3']);
    const port = await listeningPort(controller);
    const sw = startCli(['switch', `tcp:127.0.0.1:${port}`, '--versions', '1.0,1.3', '--probe', 'echo']);
    await sw.waitFor(/OpenFlow 1\.3 negotiated, probe echo \(OFPT_ECHO after 5 s idle\)/);
    await controller.waitFor(/switch datapath id 0000000000000001/);
    sw.signal('SIGTERM');
    controller.signal('SIGTERM');
    expect((await sw.exited).code).toBe(0);
    expect((await controller.exited).code).toBe(0);
  });

  test('a probe interval below the floor is announced when it is raised', async () => {
    const port = await closedPort();
    const sw = startCli(['switch', `tcp:127.0.0.1:${port}`, '--probe-interval', '2', '--echo-interval', '7']);
    await sw.waitFor(/ofrconn: --probe-interval 2 raised to 5 s, the minimum/);
    sw.signal('SIGTERM');
    expect((await sw.exited).code).toBe(0);
    // 7 is above the floor: nothing to announce.
    expect(sw.stdout.join('\n')).not.toMatch(/--echo-interval/);
    const json = startCli(['switch', `tcp:127.0.0.1:${port}`, '--probe-interval', '0.5', '--json']);
    await json.waitFor(/"event":"clamped"/);
    json.signal('SIGTERM');
    await json.exited;
    expect(jsonLines(json.stdout).find((r) => r.event === 'clamped')).toMatchObject({ flag: '--probe-interval', requested: 0.5, used: 5 });
  });

  test('a switch started before its controller keeps retrying with growing backoff, then connects', async () => {
    const port = await closedPort();
    const sw = startCli(['switch', `tcp:127.0.0.1:${port}`, '--max-backoff', '2']);
    await sw.waitFor(/connection attempt 1 failed: .*ECONNREFUSED.*retrying in [\d.]+ s/);
    await sw.waitFor(/connection attempt 2 failed/);
    const controller = startCli(['controller', `ptcp:${port}:127.0.0.1`]);
    await listeningPort(controller);
    await sw.waitFor(/connected: OpenFlow 1\.5/, 10_000);
    await controller.waitFor(/switch datapath id 0000000000000001/);
    sw.signal('SIGINT');
    controller.signal('SIGINT');
    expect((await sw.exited).code).toBe(0);
    expect((await controller.exited).code).toBe(0);
  });
});

describe('ofrconn probe', () => {
  test('against ofrconn switch ptcp: exits 0 and prints the version and the RTT', async () => {
    const sw = startCli(['switch', 'ptcp:0:127.0.0.1']);
    const port = await listeningPort(sw);
    const r = await runCli(['probe', `tcp:127.0.0.1:${port}`]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/OpenFlow 1\.5, echo round trip \d+\.\d+ ms/);

    const r10 = await runCli(['probe', `tcp:127.0.0.1:${port}`, '--versions', '1.0', '--json']);
    expect(r10.code).toBe(0);
    const [rec] = jsonLines(r10.stdout.split('\n'));
    expect(rec).toMatchObject({ event: 'probe', ok: true, version: '1.0', probe: 'echo', state: 'ACTIVE', txq: 0 });
    expect(typeof rec!.rttMs).toBe('number');
    sw.signal('SIGINT');
    expect((await sw.exited).code).toBe(0);
  });

  test('on a passive target it waits for one peer (here ofrconn switch tcp:) and probes it', async () => {
    const probe = startCli(['probe', 'ptcp:0:127.0.0.1', '--timeout', '10']);
    const port = await listeningPort(probe);
    const sw = startCli(['switch', `tcp:127.0.0.1:${port}`]);
    expect((await probe.exited).code, probe.dump()).toBe(0);
    expect(probe.stdout.join('\n')).toMatch(/OpenFlow 1\.5, echo round trip \d+\.\d+ ms \(peer tcp:127\.0\.0\.1:\d+\)/);
    sw.signal('SIGTERM');
    expect((await sw.exited).code).toBe(0);
  });

  test('against a closed port: non-zero exit and one clear line naming the refusal', async () => {
    const port = await closedPort();
    const r = await runCli(['probe', `tcp:127.0.0.1:${port}`]);
    expect(r.code).toBe(1);
    // Each fact once: the target, what failed, the errno.
    expect(r.stderr).toBe(`ofrconn: error: probe tcp:127.0.0.1:${port} failed: cannot connect: connection refused (ECONNREFUSED)`);
  });

  test('--json: the failure is a probeFailed event on stdout (with the name) and a JSON error on stderr', async () => {
    const port = await closedPort();
    const r = await runCli(['probe', `tcp:127.0.0.1:${port}`, '--json']);
    expect(r.code).toBe(1);
    const [event] = jsonLines(r.stdout.split('\n'));
    expect(event).toMatchObject({ event: 'probeFailed', name: `tcp:127.0.0.1:${port}`, ok: false, error: { code: 'ECONNREFUSED' } });
    const [error, ...rest] = jsonLines(r.stderr.split('\n'));
    expect(rest).toEqual([]);
    expect(error).toMatchObject({ event: 'error', code: 'ECONNREFUSED', message: `probe tcp:127.0.0.1:${port} failed: cannot connect: connection refused (ECONNREFUSED)` });
  });

  test('against a peer that never says HELLO: times out after --timeout, non-zero', async () => {
    const server = net.createServer(() => { /* accept and stay silent */ });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const { port } = server.address() as net.AddressInfo;
    try {
      const r = await runCli(['probe', `tcp:127.0.0.1:${port}`, '--timeout', '0.5']);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('no connection and HELLO exchange within 0.5 s (ETIMEDOUT)');
    } finally {
      server.close();
    }
  });
});

describe('bad arguments: one line, where to read more, exit 2, no stack trace', () => {
  const cases: Array<[string[], RegExp, string]> = [
    [['frobnicate'], /^ofrconn: error: unknown command 'frobnicate'$/, 'ofrconn --help'],
    [[], /^ofrconn: error: missing command$/, 'ofrconn --help'],
    [['switch', 'tcpp:1.2.3.4'], /^ofrconn: error: bad target "tcpp:1\.2\.3\.4": unknown kind "tcpp"; accepted forms: /, 'ofrconn switch --help'],
    [['controller'], /^ofrconn: error: 'controller' needs a TARGET/, 'ofrconn controller --help'],
    [['probe', 'tcp:127.0.0.1', '--versions', '1.0,2.7'], /^ofrconn: error: --versions: not an OpenFlow version 1\.0-1\.5: "2\.7"/, 'ofrconn probe --help'],
    [['switch', 'tcp:127.0.0.1', '--probe-interval', '-1'], /^ofrconn: error: --probe-interval must be a number of seconds >= 0 \(got '-1'\)$/, 'ofrconn switch --help'],
    [['switch', 'tcp:127.0.0.1', '--probe', 'sometimes'], /^ofrconn: error: --probe must be auto, transport or echo/, 'ofrconn switch --help'],
    [['controller', 'ptcp:', '--datapath-id', '1'], /^ofrconn: error: option --datapath-id does not apply to 'controller'$/, 'ofrconn controller --help'],
    [['demo', '--bogus'], /^ofrconn: error: unknown option --bogus$/, 'ofrconn demo --help'],
    [['switch', 'tcp:127.0.0.1', '--datapath-id', 'xyz'], /^ofrconn: error: --datapath-id must be 1 to 16 hex digits/, 'ofrconn switch --help'],
    [['controller', 'pssl:6653'], /^ofrconn: error: pssl:6653 needs --cert and --key/, 'ofrconn controller --help'],
    [['controller', 'ptcp:0', '--metrics', 'host:port'], /^ofrconn: error: --metrics must be \[HOST:\]PORT/, 'ofrconn controller --help'],
  ];
  test.each(cases)('ofrconn %j', async (args, firstLine, help) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    const lines = r.stderr.split('\n');
    expect(lines[0]).toMatch(firstLine);
    expect(lines.slice(1)).toEqual([`see '${help}'`]);
    expect(r.stdout).toBe('');
  });

  test('with --json the usage error is one JSON object on stderr', async () => {
    const r = await runCli(['switch', 'tcp:127.0.0.1', '--probe', 'sometimes', '--json']);
    expect(r.code).toBe(2);
    const [error, ...rest] = jsonLines(r.stderr.split('\n'));
    expect(rest).toEqual([]);
    expect(error).toMatchObject({ event: 'error', code: 'EUSAGE', help: 'ofrconn switch --help' });
    expect(error!.message).toMatch(/^--probe must be auto, transport or echo/);
    expect(r.stdout).toBe('');
  });

  test('--version is in the help and prints the package version', async () => {
    const top = await runCli(['--help']);
    expect(top.stdout).toMatch(/^ {2}-V, --version {2,}print the version/m);
    const v = await runCli(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/^ofrconn \d+\.\d+\.\d+/);
  });

  test('--help on every command prints its usage on stdout and exits 0', async () => {
    for (const cmd of ['demo', 'controller', 'switch', 'probe']) {
      const r = await runCli([cmd, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: ofrconn ${cmd}`));
    }
    const top = await runCli(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/^Usage: ofrconn COMMAND/);
  });

  test('a runtime failure (port already in use) is one line and exit 1', async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const { port } = server.address() as net.AddressInfo;
    try {
      const r = await runCli(['controller', `ptcp:${port}:127.0.0.1`]);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`ofrconn: error: ptcp:${port}:127.0.0.1: cannot listen: address already in use (EADDRINUSE)`);
      expect(r.stderr.split('\n')).toHaveLength(1);
    } finally {
      server.close();
    }
  });
});

describe('ofrconn demo', () => {
  test('--duration 6: a connected pair within 3 s, the forced disconnect and reconnect, exit 0 with a summary', async () => {
    const demo = startCli(['demo', '--duration', '6']);
    const started = Date.now();
    await demo.waitFor(/switch: connected to tcp:127\.0\.0\.1:\d+: OpenFlow 1\.5 negotiated, probe transport/, 3000);
    await demo.waitFor(/controller tcp:127\.0\.0\.1:\d+: connection accepted/, 3000);
    expect(Date.now() - started).toBeLessThan(3000);
    const { code } = await demo.exited;
    expect(code, demo.dump()).toBe(0);
    const out = demo.stdout.join('\n');
    expect(out).toMatch(/switch datapath id 0000000000000001/);
    expect(out).toMatch(/echo round trip \d+\.\d+ ms/);
    expect(out).toMatch(/forced disconnect/);
    expect(out).toMatch(/switch: disconnected: .*\(EOF\)/);
    expect(out).toMatch(/switch: connection attempt \d+ failed: cannot connect: connection refused \(ECONNREFUSED\), retrying in \d+\.\d s/);
    // The header counts what the lines count: 1 + 1 accepted by the controller, 2 made by the switch.
    expect(out).toMatch(/summary after [\d.]+ s: 4 connections over 3 entries/);
    expect(out).toMatch(/switch: datapath 0000000000000001; 2 connections \(1 reconnect\)/);
  });

  test('--json: every line parses, carries the status fields, and status lines come every second', async () => {
    const r = await runCli(['demo', '--duration', '3.5', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const records = jsonLines(r.stdout.split('\n'));
    for (const rec of records) {
      for (const key of ['event', 'name', 'state', 'version', 'probe', 'seqno', 'rttMs', 'txq']) expect(rec, JSON.stringify(rec)).toHaveProperty(key);
    }
    const events = records.map((rec) => rec.event);
    expect(events).toContain('connected');
    expect(events).toContain('datapath');
    expect(events.at(-1)).toBe('exit');
    const switchStatus = records.filter((rec) => rec.event === 'status' && rec.name === 'switch');
    expect(switchStatus.length).toBeGreaterThanOrEqual(2);
    const connected = records.find((rec) => rec.event === 'connected' && rec.name === 'switch')!;
    expect(connected).toMatchObject({ state: 'ACTIVE', version: '1.5', wireVersion: 6, probe: 'transport', seqno: 1, txq: 0 });
    const dp = records.find((rec) => rec.event === 'datapath')!;
    expect(dp.datapathId).toBe('0000000000000001');
  });
});
