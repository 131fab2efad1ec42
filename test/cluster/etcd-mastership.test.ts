/**
 * examples/etcd-mastership: 3 controller processes elect their master through a private etcd;
 * 50 emulated switches connect to all three. Three times: stop (SIGSTOP) the master process; a new
 * master must take over on every switch within the lease TTL plus one probe interval, no switch
 * may lose its connection to a survivor, and when the stopped master resumes, its MASTER request
 * with the old generation id is refused as STALE and it steps down.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MultiControllerSwitch } from '../../src/index.js';
import { buildExamples } from '../support/examples-build.js';
import { startEtcd, type EtcdServer } from '../support/etcd.js';
import { checkPeers } from '../support/peers.js';
import { sleep, until } from '../interop/helpers.js';

const peers = checkPeers(['etcd'], 'etcd mastership example');
peers.failUnderCi();

const TTL_S = 3;
const PROBE_S = 5;
const SWITCHES = 50;
const RUNS = 3;

interface Instance {
  id: string;
  child: ChildProcess;
  target: string;
  events: Array<Record<string, string>>;
}

describe.runIf(peers.ok)('controller cluster electing its master through etcd', () => {
  let etcd: EtcdServer;
  const instances: Instance[] = [];
  const switches: MultiControllerSwitch[] = [];
  /** Disconnects per controller target, over every switch. */
  const disconnects = new Map<string, number>();

  beforeAll(async () => {
    const [[script], server] = await Promise.all([buildExamples('etcd-mastership/controller.ts'), startEtcd()]);
    etcd = server;
    for (const id of ['c1', 'c2', 'c3']) {
      const child = spawn(process.execPath, [script!, '--id', id, '--listen', 'ptcp:0:127.0.0.1', '--etcd', etcd.url,
        '--ttl', String(TTL_S), '--reassert', '1'], { stdio: ['ignore', 'pipe', 'inherit'] });
      const events: Instance['events'] = [];
      createInterface({ input: child.stdout! }).on('line', (line) => {
        try { events.push(JSON.parse(line) as Record<string, string>); } catch { /* not ours */ }
      });
      const inst: Instance = { id, child, target: '', events };
      instances.push(inst);
      await until(() => events.some((e) => e.event === 'listening'), 15_000, `${id} listening`);
      inst.target = `tcp:127.0.0.1:${events.find((e) => e.event === 'listening')!.port}`;
    }
    for (let i = 1; i <= SWITCHES; i++) {
      const sw = new MultiControllerSwitch(instances.map((c) => c.target), {
        emulator: { datapathId: BigInt(i) }, rconn: { probeInterval: PROBE_S, maxBackoff: 2 },
      });
      for (const { target, rconn } of sw.connections) rconn.on('disconnected', () => disconnects.set(target, (disconnects.get(target) ?? 0) + 1));
      switches.push(sw.start());
    }
  }, 180_000); // builds dist/ and the examples first

  afterAll(async () => {
    await Promise.all(switches.map((s) => s.close()));
    for (const { child } of instances) { child.kill('SIGCONT'); child.kill('SIGKILL'); }
    await etcd?.stop();
  });

  /** The target every switch reports as MASTER, or null while they disagree or have none. */
  const masterEverywhere = (): string | null => {
    const masters = new Set(switches.map((s) => s.status().find((c) => c.role === 'MASTER')?.target ?? null));
    return masters.size === 1 ? [...masters][0]! : null;
  };

  it(`fails over ${RUNS} times within TTL + one probe interval, fencing the old master with its generation id`, async () => {
    await until(() => masterEverywhere() !== null, 30_000, 'every switch to have the same master');
    const timings: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const oldTarget = masterEverywhere()!;
      const old = instances.find((c) => c.target === oldTarget)!;
      const oldGen = [...old.events].reverse().find((e) => e.event === 'elected')!.gen!;
      const survivors = instances.filter((c) => c !== old).map((c) => c.target);
      const before = new Map(survivors.map((t) => [t, disconnects.get(t) ?? 0]));
      const seen = old.events.length;

      const t0 = Date.now();
      old.child.kill('SIGSTOP');
      await until(() => { const m = masterEverywhere(); return m !== null && m !== oldTarget; }, (TTL_S + PROBE_S) * 1000 + 5_000, 'a new master on every switch');
      const took = Date.now() - t0;
      timings.push(took);
      expect(took).toBeLessThan((TTL_S + PROBE_S) * 1000);
      const newTarget = masterEverywhere()!;

      // The old master comes back still believing it is master: the switches refuse its generation.
      old.child.kill('SIGCONT');
      await until(() => old.events.slice(seen).some((e) => e.event === 'stale' && e.gen === oldGen), 10_000, 'the old master to be refused as STALE');
      await until(() => old.events.slice(seen).some((e) => e.event === 'steppedDown'), 10_000, 'the old master to step down');
      await sleep(1_500); // its next re-assertion (as SLAVE) must not move mastership
      expect(masterEverywhere()).toBe(newTarget);
      for (const t of survivors) expect(disconnects.get(t) ?? 0, `disconnects from survivor ${t}`).toBe(before.get(t));
    }
    console.log(`etcd failover times (ms), TTL ${TTL_S} s, probe ${PROBE_S} s, ${SWITCHES} switches: ${timings.join(', ')}`);
  }, 120_000);
});
