/**
 * No common version: Open vSwitch allows only OpenFlow 1.0, our side only 1.3. Both sides must
 * send HELLO_FAILED/INCOMPATIBLE with a readable text, OVS must log the failure, and our side must
 * surface a typed VconnError (EINCOMPATIBLE or EHELLOFAILED) without crashing, in both roles:
 * our listener accepting OVS, and our reliable Rconn connecting to OVS's passive endpoint.
 *
 * tshark records the exchange so the text each side sent can be read off the wire.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  Framer, Rconn, VconnError, decode, listen, type ConnectFailedInfo, type ErrorMessage, type RconnListener,
} from '../../src/index.js';
import { startCapture, type Capture } from '../support/capture.js';
import { OvsSandbox } from '../support/ovs.js';
import { checkPeers, ROOT } from '../support/peers.js';
import { freePort, sleep, until } from './helpers.js';

const peers = checkPeers(['ovs-vswitchd', 'ovsdb-server', 'ovsdb-tool', 'ovs-vsctl', 'ovs-appctl', 'tshark', 'dumpcap', ROOT],
  'no common version with OVS');
peers.failUnderCi();

/** Every OFPT_ERROR in the capture, split by whether the listening port sent it. */
async function errorsOnWire(cap: Capture, listenPort: number): Promise<{ fromListener: ErrorMessage[]; toListener: ErrorMessage[] }> {
  const framers = new Map<string, Framer>();
  const out = { fromListener: [] as ErrorMessage[], toListener: [] as ErrorMessage[] };
  for (const seg of await cap.payloads()) {
    const key = `${seg.srcPort}>${seg.dstPort}`;
    const framer = framers.get(key) ?? new Framer();
    framers.set(key, framer);
    for (const raw of framer.push(seg.payload)) {
      const msg = decode(Buffer.from(raw));
      if (msg.type === 'ERROR') (seg.srcPort === listenPort ? out.fromListener : out.toListener).push(msg);
    }
  }
  return out;
}

const text = (e: ErrorMessage): string => e.data.toString('latin1');

describe.runIf(peers.ok)('no common version with OVS (1.0 only) and us (1.3 only)', () => {
  const sb = new OvsSandbox();

  beforeAll(async () => {
    await sb.start({ dpid: 9, protocols: 'OpenFlow10', vconnDebug: true });
  });
  afterAll(async () => {
    await sb.stop();
  });

  describe('OVS connecting to our listener', () => {
    let listener: RconnListener;
    let cap: Capture;
    const errors: Error[] = [];
    let accepted = 0;

    beforeAll(async () => {
      listener = await listen('ptcp:0:127.0.0.1', { versions: [4] });
      listener.on('error', (e) => errors.push(e));
      listener.on('rconn', () => accepted++);
      const port = listener.address().port!;
      cap = await startCapture(port);
      await sb.setController([`tcp:127.0.0.1:${port}`], { maxBackoffMs: 1000 });
      await until(() => errors.length >= 1, 10_000, 'the failed HELLO exchange to be reported');
      // OVS retries; the listener must keep accepting and failing cleanly
      await until(() => errors.length >= 2, 10_000, 'a second attempt by OVS');
      await sb.setController([]);
      await cap.stop();
    }, 30_000);
    afterAll(async () => {
      await listener?.close();
      await cap?.dispose();
    });

    test('our side reports a typed VconnError for every attempt and accepts no connection', () => {
      console.log(`listener errors: ${errors.map((e) => `${e.name} ${(e as VconnError).code}: ${e.message}`).join(' | ')}`);
      expect(accepted).toBe(0);
      for (const e of errors) {
        expect(e).toBeInstanceOf(VconnError);
        expect(['EINCOMPATIBLE', 'EHELLOFAILED']).toContain((e as VconnError).code);
        expect(e.message).toMatch(/0x01|1\.0/);
      }
    });

    test('OVS logs the negotiation failure, naming both versions', async () => {
      expect(await sb.log()).toMatch(/version negotiation failed \(we support version 0x01, peer supports version 0x04\)/);
    });

    test('on the wire: HELLO_FAILED/INCOMPATIBLE with text in both directions', async () => {
      const { fromListener, toListener } = await errorsOnWire(cap, listener.address().port!);
      const first = (list: ErrorMessage[]) => list.find((e) => e.errorTypeName === 'HELLO_FAILED' && e.codeName === 'INCOMPATIBLE');
      const ours = first(fromListener);
      const theirs = first(toListener);
      expect(ours, 'our HELLO_FAILED').toBeDefined();
      expect(theirs, "OVS's HELLO_FAILED").toBeDefined();
      console.log(`HELLO_FAILED text, ours: ${JSON.stringify(text(ours!))}\nHELLO_FAILED text, OVS's: ${JSON.stringify(text(theirs!))}`);
      expect(text(ours!)).toMatch(/1\.3|0x04/);
      expect(text(ours!)).toMatch(/1\.0|0x01/);
      expect(text(theirs!)).toMatch(/0x01.*0x04/);
      expect(text(ours!)).toMatch(/^[\x20-\x7e]+$/);
    });
  });

  describe('our Rconn connecting to OVS ptcp:', () => {
    let rconn: Rconn;
    const failures: ConnectFailedInfo[] = [];
    let connected = 0;

    beforeAll(async () => {
      const port = await freePort();
      await sb.setController([`ptcp:${port}:127.0.0.1`]);
      rconn = new Rconn({ versions: [4], maxBackoff: 1, backoffJitter: 0 });
      rconn.on('connectFailed', (f) => failures.push(f));
      rconn.on('connected', () => connected++);
      rconn.connect(`tcp:127.0.0.1:${port}`);
      await until(() => failures.filter((f) => f.error instanceof VconnError).length >= 2, 15_000, 'two failed negotiations');
      await sleep(100);
    }, 30_000);
    afterAll(async () => {
      await rconn?.close();
    });

    test('each attempt fails with a typed VconnError and the rconn keeps retrying', () => {
      console.log(`connect failures: ${failures.map((f) => `${(f.error as { code?: string }).code} (retry in ${f.retryIn} ms)`).join(', ')}`);
      expect(connected).toBe(0);
      const negotiation = failures.filter((f) => f.error instanceof VconnError);
      for (const f of negotiation) {
        expect(['EINCOMPATIBLE', 'EHELLOFAILED']).toContain((f.error as VconnError).code);
        expect(f.retryIn).not.toBeNull();
      }
      // anything else can only be OVS not listening yet
      expect(failures.filter((f) => !(f.error instanceof VconnError)).map((f) => (f.error as { code?: string }).code)
        .every((c) => c === 'ECONNREFUSED')).toBe(true);
      expect(rconn.status().lastError?.code).toMatch(/^(EINCOMPATIBLE|EHELLOFAILED)$/);
      expect(['BACKOFF', 'CONNECTING']).toContain(rconn.state);
    });

    test('OVS logs the failure for the connection we opened', async () => {
      const log = await sb.log();
      expect(log.match(/version negotiation failed \(we support version 0x01, peer supports version 0x04\)/g)?.length ?? 0)
        .toBeGreaterThanOrEqual(3);
    });
  });
});

