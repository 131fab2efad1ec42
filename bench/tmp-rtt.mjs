import net from 'node:net';
import { Rconn } from '../dist/rconn/index.js';
import { echoRequest } from '../dist/ofp/index.js';
import { startPeer } from './lib/util.mjs';
const peer = startPeer('peers/echo-peer.mjs');
const { rawPort, rconnPort } = await peer.request({ cmd: 'start' });
async function rawPinger(port) {
  const sock = net.connect(port, '127.0.0.1'); sock.setNoDelay(true);
  await new Promise((res) => sock.once('connect', res));
  // raw sender to an rconn responder needs a HELLO first
  if (port === rconnPort) { sock.write(Buffer.from([1,0,0,8,0,0,0,1])); await new Promise((r) => sock.once('data', r)); }
  const ping = Buffer.from([1, 2, 0, 8, 0, 0, 0, 1]); let got = 0, done = null;
  sock.on('data', (c) => { got += c.length; if (got >= 8 && done) { got -= 8; const d = done; done = null; d(); } });
  return { rt: () => new Promise((r) => { done = r; sock.write(ping); }), close: () => sock.destroy() };
}
async function rconnPinger(port) {
  const r = new Rconn({ name: 'p' }); const up = new Promise((res) => r.once('connected', res));
  r.connect(`tcp:127.0.0.1:${port}`); await up; let done = null;
  r.on('message', (m) => { if (m.type === 'ECHO_REPLY' && done) { const d = done; done = null; d(); } });
  return { rt: () => new Promise((res) => { done = res; r.send(echoRequest(r.version, r.nextXid())); }), close: () => r.close() };
}
const combos = { 'raw->raw': [rawPinger, rawPort], 'raw->rconn': [rawPinger, rconnPort], 'rconn->raw': [rconnPinger, rawPort], 'rconn->rconn': [rconnPinger, rconnPort] };
for (let round = 0; round < 2; round++) for (const [name, [mk, port]] of Object.entries(combos)) {
  const p = await mk(port); for (let i = 0; i < 2000; i++) await p.rt();
  const t0 = performance.now(); const N = 10000; for (let i = 0; i < N; i++) await p.rt();
  console.log(name.padEnd(14), ((performance.now() - t0) * 1000 / N).toFixed(1), 'us'); await p.close();
}
await peer.stop();
