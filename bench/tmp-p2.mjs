// scratch: rconn-only P2 with CPU accounting on both sides
import net from 'node:net';
import { Rconn } from '../dist/rconn/index.js';
import { echoRequest } from '../dist/ofp/index.js';
import { sleep, startPeer } from './lib/util.mjs';
const WINDOW = +(process.env.WIN || 256);
const peer = startPeer('peers/echo-peer.mjs');
const { rawPort, rconnPort } = await peer.request({ cmd: 'start' });
const mode = process.argv[2] || 'rconn';
let received = 0, close;
if (mode === 'rconn') {
  const r = new Rconn({ name: 'p2-sender' });
  const up = new Promise((resolve) => r.once('connected', resolve));
  r.connect(`tcp:127.0.0.1:${rconnPort}`);
  await up;
  r.on('message', (msg) => { if (msg.type !== 'ECHO_REPLY') return; received++; r.send(echoRequest(r.version, r.nextXid())); });
  for (let i = 0; i < WINDOW; i++) r.send(echoRequest(r.version, r.nextXid()));
  close = () => r.close();
} else {
  const sock = net.connect(rawPort, '127.0.0.1'); sock.setNoDelay(true);
  await new Promise((res) => sock.once('connect', res));
  const one = Buffer.from([1, 2, 0, 8, 0, 0, 0, 1]);
  const full = Buffer.allocUnsafe(WINDOW * 8); for (let i = 0; i < WINDOW; i++) one.copy(full, i * 8);
  let carry = 0;
  sock.on('data', (chunk) => { const bytes = carry + chunk.length; const n = Math.floor(bytes / 8); carry = bytes % 8; received += n; if (n > 0) sock.write(full.subarray(0, n * 8)); });
  sock.write(full);
  close = () => sock.destroy();
}
await sleep(500);
const c0 = received, u0 = process.cpuUsage(), t0 = performance.now();
let chunks0 = 0;
await sleep(+(process.env.MS || 3000));
const dt = performance.now() - t0, u = process.cpuUsage(u0), n = received - c0;
console.log(mode, 'msg/s', Math.round(n * 1000 / dt), 'sender cpu%', ((u.user + u.system) / 10 / dt).toFixed(1), 'ns/msg cpu', Math.round((u.user + u.system) * 1000 / n));
await close();
await peer.stop();
