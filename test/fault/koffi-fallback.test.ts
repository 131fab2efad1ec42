/**
 * When koffi (or libc through it) cannot be loaded, the keepalive capability is missing (docs/DESIGN.md, "Transport probing", fallback to echo):
 * an Rconn over real loopback TCP must fall back to echo probing and say why, and `probe:
 * 'transport'` must refuse to connect rather than run without liveness checks. No root needed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { _setSockoptLoaderForTests, sockoptUnavailableReason } from '../../src/stream/linux-sockopt.js';
import { Rconn } from '../../src/rconn/index.js';
import { listen, type RconnListener } from '../../src/rconn/listen.js';
import type { ConnectedInfo, ConnectFailedInfo } from '../../src/rconn/events.js';

const failingLoader = (): never => {
  throw new Error("Cannot find module 'koffi' (simulated)");
};

async function withPeer(fn: (target: string) => Promise<void>): Promise<void> {
  const listener: RconnListener = await listen('ptcp:0:127.0.0.1', { probeInterval: 0 });
  try {
    await fn(`tcp:127.0.0.1:${listener.address().port}`);
  } finally {
    await listener.close();
  }
}

const once = <T>(r: Rconn, ev: 'connected' | 'connectFailed'): Promise<T> =>
  new Promise((resolve) => r.once(ev, (info: unknown) => resolve(info as T)));

describe('koffi fails to load', () => {
  afterEach(() => _setSockoptLoaderForTests(null));

  it("probe 'auto' falls back to echo probing, reports keepaliveError, and the echoes work", () =>
    withPeer(async (target) => {
      _setSockoptLoaderForTests(failingLoader);
      const r = new Rconn({ probeInterval: 5, backoffJitter: 0 });
      try {
        const connected = once<ConnectedInfo>(r, 'connected');
        r.connect(target);
        expect((await connected).probe).toBe('echo');
        const s = r.status();
        expect(s.probe).toBe('echo');
        // The code first (stable), then the reason the library knows.
        expect(s.keepaliveError).toMatch(/^EOPNOTSUPP: koffi is not installed .*simulated/);
        expect(sockoptUnavailableReason()).toMatch(/simulated/);
        // The fallback really probes: after P s of silence an echo goes out and is answered.
        const reply = new Promise((resolve) => r.on('probe', (p) => { if (p.kind === 'echo' && p.phase === 'reply') resolve(p); }));
        await reply;
        expect(r.status().probeReplies).toBeGreaterThanOrEqual(1);
        expect(r.state).toBe('ACTIVE');
      } finally {
        await r.close();
      }
    }), 15_000);

  it("probe 'transport' refuses the connection with EOPNOTSUPP, permanently, instead of running unprobed", () =>
    withPeer(async (target) => {
      _setSockoptLoaderForTests(failingLoader);
      const r = new Rconn({ probeInterval: 5, probe: 'transport', backoffJitter: 0 });
      let connectedEvents = 0;
      r.on('connected', () => connectedEvents++);
      try {
        const failed = once<ConnectFailedInfo>(r, 'connectFailed');
        const stopped = new Promise<Error>((resolve) => r.once('error', resolve));
        r.connect(target);
        const info = await failed;
        expect(info.error.name).toBe('ProbeUnsupportedError');
        expect((info.error as { code?: string }).code).toBe('EOPNOTSUPP');
        expect(info.error.message).toMatch(/koffi is not installed/);
        // No retry can cure it: stopped, once, in a final state.
        expect(info.retryIn).toBeNull();
        expect(await stopped).toBe(info.error);
        expect(r.state).toBe('DISCONNECTED');
        expect(connectedEvents).toBe(0);
        expect(r.status().lastError?.code).toBe('EOPNOTSUPP');
      } finally {
        await r.close();
      }
    }), 10_000);

  it.runIf(process.platform === 'linux')('with koffi loading normally the same connection uses transport probing', () =>
    withPeer(async (target) => {
      _setSockoptLoaderForTests(null);
      const r = new Rconn({ probeInterval: 5, backoffJitter: 0 });
      try {
        const connected = once<ConnectedInfo>(r, 'connected');
        r.connect(target);
        expect((await connected).probe).toBe('transport');
        expect(r.status().keepaliveError).toBeNull();
      } finally {
        await r.close();
      }
    }), 10_000);
});
