import { describe, expect, it } from 'vitest';
import { once } from 'node:events';
import * as net from 'node:net';
import { Rconn, listen } from '../../src/index.js';
import { waitFor } from '../support/raw-peer.js';

// In a file of its own: the handle census must not see other tests' sockets and child processes.
const handles = (): string[] => process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap').sort();

/** Handle kinds whose count grew (timers of the test runner may come and go, ours must not stay). */
function grown(before: string[], after: string[]): string[] {
  const count = (xs: string[]) => xs.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map<string, number>());
  const b = count(before);
  return [...count(after)].filter(([k, n]) => n > (b.get(k) ?? 0)).map(([k]) => k);
}

describe('close()', () => {
  it('leaves the process with the active handles it had before', async () => {
    const before = handles();
    const listener = await listen('ptcp:0:127.0.0.1', { backoffJitter: 0 });
    const rconn = new Rconn({ backoffJitter: 0, echoInterval: 5 });
    rconn.connect(`tcp:127.0.0.1:${listener.address().port!}`);
    await once(rconn, 'connected');
    await waitFor(() => listener.connections.size === 1, 5000, 'accepted rconn');
    await rconn.close();
    await listener.close();
    await new Promise((r) => setImmediate(r));
    const after = handles();
    expect(grown(before, after)).toEqual([]);
    expect(rconn.state).toBe('VOID');
  });

  it('close() during a connect attempt or in backoff also leaves nothing behind', async () => {
    const before = handles();
    const rconn = new Rconn({ backoffJitter: 0 });
    rconn.connect('tcp:127.0.0.1:1');
    await once(rconn, 'connectFailed');
    expect(rconn.state).toBe('BACKOFF');
    await rconn.close();
    // A peer that accepts and never says HELLO: close() must abort the attempt in CONNECTING.
    const mute = net.createServer((s) => { s.on('error', () => {}); s.resume(); });
    await new Promise<void>((r) => mute.listen(0, '127.0.0.1', r));
    const stalled = new Rconn({ backoffJitter: 0, helloTimeout: 30 });
    stalled.connect(`tcp:127.0.0.1:${(mute.address() as net.AddressInfo).port}`);
    await waitFor(() => stalled.state === 'CONNECTING', 2000, 'CONNECTING');
    await new Promise((r) => setTimeout(r, 100));
    await stalled.close();
    await new Promise<void>((r) => mute.close(() => r()));
    await new Promise((r) => setTimeout(r, 50));
    const after = handles();
    expect(grown(before, after)).toEqual([]);
  });
});
