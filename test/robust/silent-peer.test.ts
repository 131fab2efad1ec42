/**
 * A peer that completes the HELLO exchange and then says nothing, over tcp, ssl and unix, in real
 * time (P = 5 s, the smallest probe interval there is):
 * - echo probing: an OFPT_ECHO_REQUEST after P, a typed ETIMEDOUT drop at about 2P, a reconnect
 *   after the backoff;
 * - transport probing (tcp, ssl): the peer's kernel answers the keepalives, so the silent but
 *   alive peer is NOT dropped (the point of transport probing: docs/DESIGN.md, "The idea").
 * All cases run at once; the file takes about 2P plus a reconnect.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rconn, sockoptUnavailableReason, type ProbeEvent } from '../../src/index.js';
import { TRANSPORTS, clientTls, rawHello, splitMessages, waitFor, type Transport } from '../support/raw-peer.js';
import { RconnWatch, ScriptedPeer, settled, sleep, unwrap, type Settled } from './helpers.js';

const P = 5;
// Transport probing needs koffi on Linux; elsewhere the library falls back to echo (tested above).
const noKeepalive = sockoptUnavailableReason() !== undefined;

interface EchoOutcome {
  connectedAt: number;
  probeSentAt: number | undefined;
  dropAt: number;
  dropCode: string | undefined;
  dropName: string | undefined;
  echoRequestsAtPeer: number;
  reconnectGap: number;
  lastErrorCode: string | undefined;
}

async function echoProbed(transport: Transport): Promise<EchoOutcome> {
  const peer = await ScriptedPeer.listen(transport, (s) => s.write(rawHello(4)));
  const rconn = new Rconn({ backoffJitter: 0, probe: 'echo', probeInterval: P, tls: clientTls() });
  const watch = new RconnWatch(rconn);
  const probes: { at: number; ev: ProbeEvent }[] = [];
  rconn.on('probe', (ev) => probes.push({ at: Date.now(), ev }));
  try {
    rconn.connect(peer.target);
    await waitFor(() => watch.disconnects.length > 0, 4 * P * 1000, 'the drop');
    await waitFor(() => peer.connections.length >= 2, 5000, 'the reconnect');
    const drop = watch.disconnects[0]!;
    const first = peer.connections[0]!;
    const echoes = splitMessages(first.bytes()).filter((m) => m[1] === 2 && m[0] === 4);
    return {
      connectedAt: watch.connects[0]!,
      probeSentAt: probes.find((p) => p.ev.kind === 'echo' && p.ev.phase === 'sent')?.at,
      dropAt: drop.at,
      dropCode: drop.error?.code,
      dropName: drop.error?.name,
      echoRequestsAtPeer: echoes.length,
      reconnectGap: peer.connections[1]!.at - drop.at,
      lastErrorCode: rconn.status().lastError?.code,
    };
  } finally {
    await rconn.close();
    await peer.close();
  }
}

async function transportProbed(transport: Transport): Promise<{ disconnects: number; connected: boolean; probe: string }> {
  const peer = await ScriptedPeer.listen(transport, (s) => s.write(rawHello(4)));
  const rconn = new Rconn({ backoffJitter: 0, probe: 'transport', probeInterval: P, tls: clientTls() });
  const watch = new RconnWatch(rconn);
  try {
    rconn.connect(peer.target);
    await waitFor(() => watch.connects.length > 0, 5000, 'the connection');
    await sleep(2.6 * P * 1000);
    return { disconnects: watch.disconnects.length, connected: rconn.isConnected(), probe: rconn.status().probe };
  } finally {
    await rconn.close();
    await peer.close();
  }
}

const echo = new Map<Transport, Promise<Settled<EchoOutcome>>>();
const kernel = new Map<Transport, Promise<Settled<Awaited<ReturnType<typeof transportProbed>>>>>();
beforeAll(() => {
  for (const t of TRANSPORTS) {
    echo.set(t, settled(echoProbed(t)));
    if (t !== 'unix' && !noKeepalive) kernel.set(t, settled(transportProbed(t)));
  }
});
afterAll(async () => { await Promise.all([...echo.values(), ...kernel.values()]); });

describe.each(TRANSPORTS)('a peer that goes silent after HELLO, over %s', (transport) => {
  it(`echo probing: ECHO_REQUEST after ${P} s, ETIMEDOUT drop at about ${2 * P} s, then a reconnect`, async () => {
    const r = unwrap(await echo.get(transport)!);
    expect(r.echoRequestsAtPeer).toBeGreaterThanOrEqual(1);
    expect(r.probeSentAt! - r.connectedAt).toBeGreaterThanOrEqual(P * 1000 - 50);
    const silentFor = r.dropAt - r.connectedAt;
    expect(silentFor).toBeGreaterThanOrEqual(2 * P * 1000 - 100);
    expect(silentFor).toBeLessThan(2 * P * 1000 + 3000);
    expect(r.dropCode).toBe('ETIMEDOUT');
    expect(r.dropName).toBe('TimeoutError');
    expect(r.lastErrorCode).toBe('ETIMEDOUT');
    // The backoff after a connection that carried nothing: 1 s.
    expect(r.reconnectGap).toBeGreaterThanOrEqual(900);
    expect(r.reconnectGap).toBeLessThan(2500);
  });

  // Unix sockets cannot probe in the kernel (their echo case is above), so only tcp and ssl get this one.
  if (transport !== 'unix') {
    it(`transport probing: the peer's kernel answers, no drop after ${2.6 * P} s`, async () => {
      if (noKeepalive) {
        if (process.env.CI === 'true') throw new Error('CI=true but TCP keepalive options are unavailable here (koffi?)');
        console.warn('\n*** SKIPPING transport-probing check: TCP keepalive options unavailable here ***\n');
        return;
      }
      const r = unwrap(await kernel.get(transport)!);
      expect(r.probe).toBe('transport');
      expect(r.disconnects).toBe(0);
      expect(r.connected).toBe(true);
    });
  }
});
