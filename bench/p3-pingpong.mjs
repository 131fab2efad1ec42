// P3: ping-pong round trip of one 8-byte ECHO_REQUEST through an Rconn pair vs a raw net.Socket
// pair. Same two-process arrangement as P2 (responder: bench/peers/echo-peer.mjs). tinybench times
// each round trip (one async task call = one request and its answer).
import net from 'node:net';
import { Bench } from 'tinybench';
import { Rconn } from '../dist/rconn/index.js';
import { echoRequest } from '../dist/ofp/index.js';
import { median, row, smoke, startPeer } from './lib/util.mjs';

/** Raw: write 8 bytes, resolve when 8 bytes came back. */
async function rawPinger(port) {
  const sock = net.connect(port, '127.0.0.1');
  sock.setNoDelay(true); // as the library's sockets
  await new Promise((resolve, reject) => { sock.once('connect', resolve); sock.once('error', reject); });
  const ping = Buffer.from([1, 2, 0, 8, 0, 0, 0, 1]);
  let got = 0;
  let done = null;
  sock.on('data', (chunk) => {
    got += chunk.length;
    if (got >= 8 && done) { got -= 8; const d = done; done = null; d(); }
  });
  return {
    roundTrip: () => new Promise((resolve) => { done = resolve; sock.write(ping); }),
    close: () => new Promise((resolve) => { sock.once('close', resolve); sock.destroy(); }),
  };
}

/** Rconn: send() an ECHO_REQUEST, resolve on its ECHO_REPLY 'message'. */
async function rconnPinger(port) {
  const r = new Rconn({ name: 'p3-pinger' });
  const up = new Promise((resolve) => r.once('connected', resolve));
  r.connect(`tcp:127.0.0.1:${port}`);
  await up;
  let done = null;
  r.on('message', (msg) => {
    if (msg.type === 'ECHO_REPLY' && done) { const d = done; done = null; d(); }
  });
  return {
    roundTrip: () => new Promise((resolve) => { done = resolve; r.send(echoRequest(r.version, r.nextXid())); }),
    close: () => r.close(),
  };
}

export async function p3PingPong() {
  const peer = startPeer('peers/echo-peer.mjs');
  const { rawPort, rconnPort } = await peer.request({ cmd: 'start' });
  const raws = await rawPinger(rawPort);
  const ours = await rconnPinger(rconnPort);
  try {
    // Many short rounds, each variant first in every other one: a round trip on this kind of
    // machine is mostly the scheduler waking the other process (20-130 us as the host's load
    // changes), so both variants must sample the same moments.
    const rounds = smoke() ? 1 : 9;
    const us = { raw: [], rconn: [] };
    for (let i = 0; i < rounds; i++) {
      const bench = new Bench({
        time: smoke() ? 20 : 500, warmupTime: smoke() ? 10 : 100, iterations: smoke() ? 5 : 100, throws: true,
      });
      if (i % 2 === 0) bench.add('raw', raws.roundTrip).add('rconn', ours.roundTrip);
      else bench.add('rconn', ours.roundTrip).add('raw', raws.roundTrip);
      await bench.run();
      for (const t of bench.tasks) us[t.name].push(t.result.latency.mean * 1000);
    }
    const value = median(us.rconn);
    const baseline = median(us.raw);
    return [row('P3 ping-pong echo round trip through Rconn pair', Number(value.toFixed(2)), 'us', Number(baseline.toFixed(2)),
      Number((value / baseline).toFixed(3)), { op: '<=', value: 1.1, unit: 'x raw' },
      { rounds: { rconn: us.rconn.map((x) => Number(x.toFixed(2))), raw: us.raw.map((x) => Number(x.toFixed(2))) } })];
  } finally {
    await ours.close();
    await raws.close();
    await peer.stop();
  }
}
