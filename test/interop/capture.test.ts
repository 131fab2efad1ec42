import net from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startCapture, type Capture, type Dissection } from '../support/capture.js';
import { fixtureComments, listHexFixtures, readHexFixture } from '../support/fixtures.js';
import { checkPeers, ROOT } from '../support/peers.js';

const peers = checkPeers(['tshark', 'dumpcap', ROOT], 'tshark capture smoke test');
peers.failUnderCi();

/** Sends `messages` from a loopback server to a client, one write each, and waits for the close. */
async function exchange(messages: Buffer[]): Promise<number> {
  const server = net.createServer((sock) => {
    for (const m of messages) sock.write(m);
    sock.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as net.AddressInfo;
  return port;
}

async function runClient(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let n = 0;
    const c = net.connect(port, '127.0.0.1');
    c.on('data', (d) => (n += d.length));
    c.on('error', reject);
    c.on('close', () => resolve(n));
  });
}

describe.runIf(peers.ok)('tshark capture of real OVS bytes replayed on loopback', () => {
  // real Open vSwitch messages (fixtures/ovs), so Wireshark judges bytes nobody here produced: the
  // session captures of scripts/capture-ovs-fixtures.mjs. The flow and multipart captures include
  // 1.1/1.2 (no tshark dissector) and types tshark 4.0 mis-dissects; tshark-encode.test.ts judges
  // those one message per segment, with each dissector bug pinned.
  const files = listHexFixtures('ovs').filter((f) => fixtureComments(f).some((l) => l.includes('capture-ovs-fixtures.mjs')));
  const msgs = files.map((f) => readHexFixture(f));
  let cap: Capture;
  let d: Dissection;
  let total = 0;

  beforeAll(async () => {
    const port = await exchange(msgs);
    cap = await startCapture(port);
    total = await runClient(port);
    await cap.stop();
    d = await cap.dissect();
  });
  afterAll(async () => {
    await cap?.dispose();
  });

  test('every fixture byte crossed the wire', () => {
    expect(total).toBe(msgs.reduce((n, m) => n + m.length, 0));
  });

  test('tshark decodes one OpenFlow message per fixture, with matching header fields', () => {
    expect(d.messages.map((m) => [m.version, m.type, m.length, m.xid])).toEqual(
      msgs.map((m) => [m[0], m[1], m.readUInt16BE(2), m.readUInt32BE(4)]),
    );
    expect(new Set(d.messages.map((m) => m.protocol))).toEqual(new Set(['openflow_v1', 'openflow_v4', 'openflow_v5', 'openflow_v6']));
  });

  test('no malformed packet and no expert warning on real OVS bytes', async () => {
    expect({ malformed: d.malformed, experts: d.experts }, await cap.verbose()).toEqual({ malformed: [], experts: [] });
  });

  test('Info column names the message types', () => {
    const info = [...d.info.values()].join(' | ');
    for (const t of ['OFPT_HELLO', 'OFPT_ERROR', 'OFPT_ECHO_REQUEST', 'OFPT_FEATURES_REPLY', 'OFPT_GET_CONFIG_REPLY', 'OFPT_MULTIPART_REPLY']) {
      expect(info).toContain(t);
    }
  });
});

describe.runIf(peers.ok)('tshark capture flags broken bytes', () => {
  test('a FEATURES_REPLY cut to 12 bytes is reported malformed', async () => {
    const bad = Buffer.from('0406000c00000009aabbccdd', 'hex'); // OF1.3 FEATURES_REPLY needs 32 bytes
    const port = await exchange([bad]);
    const cap = await startCapture(port);
    try {
      await runClient(port);
      await cap.stop();
      const d = await cap.dissect();
      expect(d.messages).toHaveLength(1);
      expect(d.messages[0]).toMatchObject({ protocol: 'openflow_v4', type: 6, length: 12 });
      expect(d.malformed).toEqual([d.messages[0]!.frame]);
      expect(d.experts.some((e) => e.severity === 'error' && /Malformed/.test(e.message))).toBe(true);
    } finally {
      await cap.dispose();
    }
  });
});
