// The answering side of P2 and P3, in its own process. Two listeners, one per variant:
// - raw: a net.Server that writes every chunk straight back (no framing, no parsing: the floor);
// - rconn: a Pvconn whose accepted connections are adopted by Rconns, which answer ECHO_REQUEST
//   themselves (autoEchoReply), so no application code runs at all.
import net from 'node:net';
import { Rconn } from '../../dist/rconn/index.js';
import { Pvconn } from '../../dist/vconn/index.js';
import { servePeer } from '../lib/util.mjs';

const rconns = new Set();

async function start() {
  const raw = net.createServer((sock) => {
    sock.setNoDelay(true); // as the library's sockets
    sock.on('data', (chunk) => sock.write(chunk));
    sock.on('error', () => {});
  });
  await new Promise((resolve) => raw.listen(0, '127.0.0.1', resolve));

  const pvconn = await Pvconn.listen('ptcp:0:127.0.0.1');
  pvconn.on('error', () => {});
  pvconn.on('vconn', (vconn) => {
    const r = new Rconn({ name: 'echo-peer' }).adopt(vconn);
    rconns.add(r);
    r.on('disconnected', () => { rconns.delete(r); void r.close(); });
  });
  return { rawPort: raw.address().port, rconnPort: pvconn.address().port };
}

servePeer(async (msg) => {
  if (msg.cmd === 'start') return start();
  throw new Error(`unknown command ${JSON.stringify(msg)}`);
});
