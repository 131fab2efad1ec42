/**
 * The ovs-ofctl matrix: Open vSwitch's own command-line tool against `ofrconn switch ptcp:` in
 * OpenFlow 1.0, 1.3, 1.4 and 1.5. Every command must exit 0, and after every change dump-flows
 * must list exactly the flows expected (with their counters) and dump-aggregate agree.
 * dump-table-features exists from 1.3 on (ovs-ofctl refuses it for 1.0).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ensureBuilt, killLeftovers, startCli, type CliRun } from '../cli/spawn-cli.js';
import { checkPeers, commandPath } from '../support/peers.js';

const exec = promisify(execFile);
const peers = checkPeers(['ovs-ofctl'], 'the ovs-ofctl matrix against ofrconn switch');
peers.failUnderCi();

const PROTOCOLS = ['OpenFlow10', 'OpenFlow13', 'OpenFlow14', 'OpenFlow15'] as const;
/** command -> protocol -> pass/fail, printed at the end. */
const matrix = new Map<string, Map<string, string>>();
const record = (cmd: string, protocol: string, ok: boolean): void => {
  if (!matrix.has(cmd)) matrix.set(cmd, new Map());
  matrix.get(cmd)!.set(protocol, ok ? 'pass' : 'FAIL');
};

// An ARP request from 02:..:01 on port 1, broadcast (42 bytes, unpadded).
const ARP = 'ffffffffffff020000000001080600010800060400010200000000010a0000010000000000000a000002';
const dir = mkdtempSync(join(tmpdir(), 'ofctl-matrix-'));
const FLOWS_FILE = join(dir, 'flows.txt');
writeFileSync(FLOWS_FILE, Array.from({ length: 100 }, (_, i) =>
  `priority=10,in_port=${i < 50 ? 2 : 3},dl_dst=02:00:00:00:01:${i.toString(16).padStart(2, '0')},actions=output:1`).join('\n') + '\n');

beforeAll(ensureBuilt, 120_000);
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  if (matrix.size === 0) return;
  const rows = [...matrix].map(([cmd, byProto]) => `${cmd.padEnd(22)} ${PROTOCOLS.map((p) => (byProto.get(p) ?? '-').padEnd(11)).join('')}`);
  console.log(`ovs-ofctl against ofrconn switch ptcp:\n${'command'.padEnd(22)} ${PROTOCOLS.map((p) => p.padEnd(11)).join('')}\n${rows.join('\n')}`);
});

/** Strips what changes from run to run (durations, idle ages) from dump-flows lines. */
function flows(out: string): string[] {
  return out.split('\n').filter((l) => l.startsWith(' ')).map((l) => l.trim().replace(/duration=[\d.]+s, /, '').replace(/idle_age=\d+, /, '')).sort();
}

describe.runIf(peers.ok).each(PROTOCOLS)('ovs-ofctl -O %s against ofrconn switch ptcp:', (protocol) => {
  let sw: CliRun;
  let target = '';
  const ofctl = async (name: string, ...args: string[]): Promise<string> => {
    try {
      const { stdout } = await exec(commandPath('ovs-ofctl')!, ['-O', protocol, '--timeout=5', ...args], { timeout: 10_000 });
      record(name, protocol, true);
      return stdout;
    } catch (err) {
      record(name, protocol, false);
      throw err;
    }
  };
  const dump = async (): Promise<string[]> => flows(await ofctl('dump-flows', 'dump-flows', target));
  const aggregate = async (): Promise<string> => (await ofctl('dump-aggregate', 'dump-aggregate', target)).replace(/^.*\): /, '').trim();

  beforeAll(async () => {
    sw = startCli(['switch', 'ptcp:0:127.0.0.1', '--datapath-id', 'c0ffee', '--versions', '1.0,1.3,1.4,1.5']);
    const line = await sw.waitFor(/listening on ptcp:\d+/);
    target = `tcp:127.0.0.1:${/ptcp:(\d+)/.exec(line)![1]}`;
  }, 20_000);
  afterAll(async () => {
    sw?.signal('SIGTERM');
    await sw?.exited;
    killLeftovers();
  });

  test('show, dump-desc, dump-ports-desc, dump-tables, dump-table-features, dump-ports', async () => {
    expect(await ofctl('show', 'show', target)).toMatch(/dpid:0000000000c0ffee[\s\S]*n_tables:4, n_buffers:256[\s\S]* 2\(eth2\): addr:02:00:00:00:00:02/);
    expect(await ofctl('dump-desc', 'dump-desc', target)).toMatch(/Manufacturer: openflow-rconn/);
    expect(await ofctl('dump-ports-desc', 'dump-ports-desc', target)).toMatch(/ 1\(eth1\): addr:02:00:00:00:00:01[\s\S]* 2\(eth2\)/);
    expect(await ofctl('dump-tables', 'dump-tables', target)).toMatch(/table 0[\s\S]*active=0, lookup=0, matched=0/);
    if (protocol !== 'OpenFlow10') {
      expect(await ofctl('dump-table-features', 'dump-table-features', target)).toMatch(/table 0[\s\S]*max_entries=10000/);
    }
    expect(await ofctl('dump-ports', 'dump-ports', target)).toMatch(/2 ports[\s\S]*port {2}1: rx pkts=0/);
  });

  test('add-flow, add-flows (100), mod-flows, del-flows, --strict del-flows, packet-out: exact flows and counters after each', async () => {
    await ofctl('add-flow', 'add-flow', target, 'cookie=0x7,priority=100,in_port=1,dl_dst=ff:ff:ff:ff:ff:ff,actions=output:2');
    expect(await dump()).toEqual(['cookie=0x7, table=0, n_packets=0, n_bytes=0, priority=100,in_port=1,dl_dst=ff:ff:ff:ff:ff:ff actions=output:2']);
    expect(await aggregate()).toBe('packet_count=0 byte_count=0 flow_count=1');

    await ofctl('add-flows', 'add-flows', target, FLOWS_FILE);
    const after = await dump();
    expect(after).toHaveLength(101);
    expect(after).toContain('cookie=0x0, table=0, n_packets=0, n_bytes=0, priority=10,in_port=3,dl_dst=02:00:00:00:01:63 actions=output:1');
    expect(await aggregate()).toBe('packet_count=0 byte_count=0 flow_count=101');

    // packet-out through the tables: the ARP broadcast hits the first flow and leaves on port 2.
    await ofctl('packet-out', 'packet-out', target, '1', 'table', ARP);
    expect((await dump()).filter((l) => l.includes('priority=100'))).toEqual(['cookie=0x7, table=0, n_packets=1, n_bytes=42, priority=100,in_port=1,dl_dst=ff:ff:ff:ff:ff:ff actions=output:2']);
    expect(await aggregate()).toBe('packet_count=1 byte_count=42 flow_count=101');
    expect(await ofctl('dump-ports', 'dump-ports', target, '2')).toMatch(/tx pkts=1, bytes=42/);

    await ofctl('mod-flows', 'mod-flows', target, 'in_port=1,actions=output:controller');
    expect((await dump()).filter((l) => l.includes('priority=100'))).toEqual(['cookie=0x7, table=0, n_packets=1, n_bytes=42, priority=100,in_port=1,dl_dst=ff:ff:ff:ff:ff:ff actions=CONTROLLER:65535']);

    // Non-strict: every flow at least as specific as in_port=3, whatever its priority.
    await ofctl('del-flows', 'del-flows', target, 'in_port=3');
    expect(await dump()).toHaveLength(51);
    expect(await aggregate()).toBe('packet_count=1 byte_count=42 flow_count=51');

    // --strict: priority must match too; a wrong one deletes nothing.
    await ofctl('del-flows --strict', '--strict', 'del-flows', target, 'priority=11,in_port=2,dl_dst=02:00:00:00:01:20');
    expect(await dump()).toHaveLength(51);
    await ofctl('del-flows --strict', '--strict', 'del-flows', target, 'priority=10,in_port=2,dl_dst=02:00:00:00:01:20');
    const left = await dump();
    expect(left).toHaveLength(50);
    expect(left.some((l) => l.includes('dl_dst=02:00:00:00:01:20'))).toBe(false);

    await ofctl('del-flows', 'del-flows', target);
    expect(await dump()).toEqual([]);
    expect(await aggregate()).toBe('packet_count=0 byte_count=0 flow_count=0');
  });
});
