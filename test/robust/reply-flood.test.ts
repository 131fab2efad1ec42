/**
 * Peers that make us answer, flooding while never reading our answers. The rconn replies on its
 * own — an ECHO_REPLY to every ECHO_REQUEST, an OFPT_ERROR to every message it rejects — and those
 * replies must respect backpressure like the application's messages: the send queue stays within
 * txqLimit and memory stays bounded, instead of growing with whatever the peer sends.
 */
import type * as net from 'node:net';
import { describe, expect, it } from 'vitest';
import { Rconn, Vconn } from '../../src/index.js';
import { rawHello, rawMessage } from '../support/raw-peer.js';
import { ScriptedPeer, sleep } from './helpers.js';

const TXQ_LIMIT = 1000; // the default
const FLOOD_MS = 8000;
const RSS_BOUND_MB = 200;
/**
 * Bytes Node may hold in the socket's own write buffer: the rconn stops writing at the first
 * `write() === false` (16 KB high-water mark), so one message past that at most; 4 MB is generous.
 */
const SOCKET_BUFFER_BOUND = 4 * 2 ** 20;

interface Flood {
  maxTxq: number;
  /** Largest writableLength of the socket seen: what was written past its backpressure. */
  maxSocketBuffered: number;
  maxRssMb: number;
  status: ReturnType<Rconn['status']>;
}

/** Connects to a peer that writes `message` as fast as we read and never reads; samples for FLOOD_MS. */
async function flood(message: Buffer, label: string): Promise<Flood> {
  const burst = Buffer.concat(Array.from({ length: Math.ceil(65536 / message.length) }, () => message));
  let flooding = true;
  const pump = (s: net.Socket): void => {
    while (flooding && !s.destroyed && s.write(burst));
    if (flooding && !s.destroyed) s.once('drain', () => pump(s));
  };
  const peer = await ScriptedPeer.listen('tcp', (s) => { s.write(rawHello(4)); s.pause(); pump(s); });
  // Our own connector, only to keep a handle on the socket and watch its write buffer.
  let vconn: Vconn | undefined;
  const rconn = new Rconn({
    backoffJitter: 0, probeInterval: 0,
    connector: async (target, signal) => (vconn = await Vconn.open(target, { signal })),
  });
  const rss0 = process.memoryUsage().rss;
  const out: Flood = { maxTxq: 0, maxSocketBuffered: 0, maxRssMb: 0, status: rconn.status() };
  try {
    rconn.connect(peer.target);
    const end = Date.now() + FLOOD_MS;
    while (Date.now() < end) {
      await sleep(100);
      out.maxTxq = Math.max(out.maxTxq, rconn.status().txq);
      out.maxSocketBuffered = Math.max(out.maxSocketBuffered, vconn?.stream.duplex.writableLength ?? 0);
      out.maxRssMb = Math.max(out.maxRssMb, Math.round((process.memoryUsage().rss - rss0) / 2 ** 20));
      // Already failing: stop before the queue eats the machine.
      if (out.maxRssMb > 2 * RSS_BOUND_MB || out.maxSocketBuffered > 4 * SOCKET_BUFFER_BOUND) break;
    }
    out.status = rconn.status();
    const st = out.status;
    console.log(`${label}: received ${st.rxPackets}, rejected ${st.rejected}, written ${st.txPackets}, queued ${st.txq} `
      + `(max ${out.maxTxq}), refused ${st.refused}, dropped ${st.dropped}; socket buffer max `
      + `${(out.maxSocketBuffered / 2 ** 20).toFixed(1)} MB; RSS +${out.maxRssMb} MB`);
    return out;
  } finally {
    flooding = false;
    await rconn.close();
    await peer.close();
  }
}

describe('a peer that floods requests for replies and never reads them', () => {
  it(`ECHO_REQUEST flood: the queue stays within txqLimit, memory bounded (${FLOOD_MS / 1000} s)`, async () => {
    const f = await flood(rawMessage(4, 2, Buffer.alloc(8192, 1), 7), 'echo flood');
    const st = f.status;
    expect(st.rxPackets).toBeGreaterThan(0);
    // Every echo request received was answered, is queued, or was counted as refused/dropped.
    expect(st.rxPackets).toBeLessThanOrEqual(st.txPackets + st.txq + st.refused + st.dropped);
    expect(f.maxTxq).toBeLessThanOrEqual(TXQ_LIMIT);
    expect(f.maxSocketBuffered).toBeLessThan(SOCKET_BUFFER_BOUND);
    expect(f.maxRssMb).toBeLessThan(RSS_BOUND_MB);
  }, 30_000);

  it(`flood of messages that each earn an OFPT_ERROR (bad version): memory bounded (${FLOOD_MS / 1000} s)`, async () => {
    const f = await flood(rawMessage(0x2a, 0x63, Buffer.alloc(56, 1), 7), 'bad-version flood');
    expect(f.status.rejected).toBeGreaterThan(0);
    expect(f.maxSocketBuffered).toBeLessThan(SOCKET_BUFFER_BOUND);
    expect(f.maxRssMb).toBeLessThan(RSS_BOUND_MB);
  }, 30_000);
});
