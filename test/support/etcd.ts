/**
 * A private etcd (Debian etcd-server) for tests: loopback only, random ports, a temporary data
 * directory removed on stop().
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandPath } from './peers.js';
import { freePort } from '../interop/helpers.js';

export interface EtcdServer {
  /** Client URL, http://127.0.0.1:PORT. */
  url: string;
  stop(): Promise<void>;
}

export async function startEtcd(): Promise<EtcdServer> {
  const etcd = commandPath('etcd');
  if (!etcd) throw new Error('etcd not installed (apt-get install etcd-server)');
  const dir = mkdtempSync(join(tmpdir(), 'etcd-'));
  const [clientPort, peerPort] = [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const child: ChildProcess = spawn(etcd, [
    '--name', 'test', '--data-dir', dir, '--listen-client-urls', url, '--advertise-client-urls', url,
    '--listen-peer-urls', peer, '--initial-advertise-peer-urls', peer, '--initial-cluster', `test=${peer}`,
    '--log-level', 'warn', '--logger', 'zap',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4000); });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) child.kill('SIGKILL');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    const ok = await fetch(`${url}/health`).then((r) => r.ok, () => false);
    if (ok) return { url, stop };
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`etcd did not come up on ${url}:\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
