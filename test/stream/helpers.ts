import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { FIXTURES_DIR } from '../support/fixtures.js';

/** A PEM file from fixtures/tls/. */
export function tlsFixture(name: string): Buffer {
  return readFileSync(join(FIXTURES_DIR, 'tls', name));
}

export const serverTls = () => ({ cert: tlsFixture('server.crt'), key: tlsFixture('server.key') });
export const trustCa = () => ({ ca: tlsFixture('ca.crt') });

/** Reads exactly `n` bytes from a duplex. */
export function readBytes(d: Duplex, n: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let have = 0;
    const onData = (c: Buffer): void => {
      chunks.push(c);
      have += c.length;
      if (have >= n) {
        d.off('data', onData).off('error', reject);
        d.pause();
        resolve(Buffer.concat(chunks).subarray(0, n));
      }
    };
    d.on('data', onData).once('error', reject);
  });
}

/** Resolves when the duplex has emitted 'close'. */
export function closed(d: Duplex): Promise<void> {
  return d.closed ? Promise.resolve() : new Promise((resolve) => d.once('close', () => resolve()));
}

/** Lets pending close callbacks run (they run in the close phase, after setImmediate). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
}

/** Socket-like handles currently alive in this process, by type (for leak checks). */
export function socketHandles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) {
    if (/TCP|Pipe|TLS/.test(r)) counts[r] = (counts[r] ?? 0) + 1;
  }
  return counts;
}

/** A fresh temporary directory, removed by the returned function. */
export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'ofrc-stream-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Rejects with whatever `p` rejected with; fails if it resolved. */
export async function rejectionOf(p: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await p;
  } catch (err) {
    return err as Error & { code?: string };
  }
  throw new Error('expected a rejection');
}
