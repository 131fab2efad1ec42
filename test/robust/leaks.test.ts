/**
 * Leaks: many connect / negotiate / disconnect cycles against a local listener (ours, so both ends
 * are checked), and many failed attempts, then the process's open file descriptors
 * (/proc/self/fd) and active resources (process.getActiveResourcesInfo()) must be back where they
 * started. The baseline is taken with the listener already up, so its own handles are allowed.
 */
import { readdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Rconn, listen, type RconnListener } from '../../src/index.js';
import { clientTls, tlsFiles } from '../support/raw-peer.js';
import { closedPort, sleep } from './helpers.js';

interface Snapshot {
  fds: number;
  resources: Record<string, number>;
}

function snapshot(): Snapshot {
  const resources: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) resources[r] = (resources[r] ?? 0) + 1;
  return { fds: readdirSync('/proc/self/fd').length, resources };
}

/** Waits for closing sockets to finish closing, then returns how far the process is from `base`. */
async function settleTo(base: Snapshot, ms = 10_000): Promise<Snapshot> {
  const end = Date.now() + ms;
  let now = snapshot();
  while (Date.now() < end && (now.fds !== base.fds || JSON.stringify(now.resources) !== JSON.stringify(base.resources))) {
    await sleep(50);
    now = snapshot();
  }
  return now;
}

/** The baseline: once the warm-up's closing sockets and their timers are gone. */
async function quiet(l: RconnListener): Promise<Snapshot> {
  while (l.connections.size > 0) await sleep(20);
  await sleep(300);
  return snapshot();
}

const dirs: string[] = [];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

async function listener(kind: 'tcp' | 'unix' | 'ssl'): Promise<{ l: RconnListener; target: string }> {
  if (kind === 'unix') {
    const dir = mkdtempSync(join(tmpdir(), 'ofr-leak-'));
    dirs.push(dir);
    const path = join(dir, 'l.sock');
    return { l: await listen(`punix:${path}`), target: `unix:${path}` };
  }
  const tls = kind === 'ssl' ? { cert: tlsFiles.cert(), key: tlsFiles.key() } : undefined;
  const l = await listen(`p${kind}:0:127.0.0.1`, { tls });
  return { l, target: `${kind}:127.0.0.1:${l.address().port}` };
}

/** One reliable rconn: connect, negotiate, close. */
async function cycle(target: string): Promise<void> {
  const r = new Rconn({ backoffJitter: 0, tls: clientTls() });
  await new Promise<void>((resolve, reject) => {
    r.once('connected', () => resolve());
    r.once('connectFailed', ({ error }) => reject(error));
    r.connect(target);
  });
  await r.close();
}

/** One attempt that fails (`maxTries: 1`), then close. */
async function failedAttempt(target: string, tls = clientTls()): Promise<string> {
  const r = new Rconn({ backoffJitter: 0, maxTries: 1, tls });
  const code = await new Promise<string>((resolve) => {
    r.once('connectFailed', ({ error }) => resolve((error as { code?: string }).code ?? '?'));
    r.connect(target);
  });
  await r.close();
  return code;
}

describe('no leaks after many cycles', () => {
  for (const [kind, n] of [['tcp', 1000], ['unix', 1000], ['ssl', 1000]] as const) {
    it(`${n} connect / negotiate / disconnect cycles over ${kind}`, async () => {
      const { l, target } = await listener(kind);
      let accepted = 0;
      l.on('rconn', () => accepted++);
      await cycle(target); // warm-up: lazy loads (koffi, TLS contexts) are not leaks
      const base = await quiet(l);
      const t0 = Date.now();
      for (let i = 0; i < n; i++) await cycle(target);
      const ms = Date.now() - t0;
      // The listener's side of every connection closes itself once our side is gone.
      const end = Date.now() + 10_000;
      while (l.connections.size > 0 && Date.now() < end) await sleep(20);
      const after = await settleTo(base);
      console.log(`${kind}: ${n} cycles in ${ms} ms; fds ${base.fds} -> ${after.fds}; `
        + `resources ${JSON.stringify(base.resources)} -> ${JSON.stringify(after.resources)}`);
      expect(accepted).toBe(n + 1);
      expect(l.connections.size).toBe(0);
      expect(after).toEqual(base);
      await l.close();
    }, 120_000);
  }

  it('1000 refused attempts and 100 failed TLS verifications leave nothing behind', async () => {
    const port = await closedPort();
    const { l, target } = await listener('ssl');
    await failedAttempt(`tcp:127.0.0.1:${port}`);
    await failedAttempt(target, { ca: tlsFiles.cert() });
    const base = await quiet(l);
    const codes = new Set<string>();
    for (let i = 0; i < 1000; i++) codes.add(await failedAttempt(`tcp:127.0.0.1:${port}`));
    // Trusting only the server's own leaf (not its CA) fails verification on every attempt.
    for (let i = 0; i < 100; i++) codes.add(await failedAttempt(target, { ca: tlsFiles.cert() }));
    const after = await settleTo(base);
    console.log(`failed attempts: codes ${[...codes].join(', ')}; fds ${base.fds} -> ${after.fds}`);
    expect([...codes].sort()).toEqual(['ECONNREFUSED', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE']);
    expect(after).toEqual(base);
    await l.close();
  }, 120_000);
});
