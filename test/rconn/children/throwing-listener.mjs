// A throwing event listener must surface as an uncaught exception (as a throwing listener of a
// plain socket event does), never as an unhandled rejection, and must not leave the rconn deaf.
// argv: <dist/index.js> <event: connected | message | state> ; prints one JSON line and exits.
import * as net from 'node:net';
import { pathToFileURL } from 'node:url';

const [indexJs, event] = process.argv.slice(2);
const { Rconn, makeHello, encode } = await import(pathToFileURL(indexJs).href);

const uncaught = [];
let unhandled = 0;
process.on('uncaughtException', (err) => uncaught.push(err.message));
process.on('unhandledRejection', () => { unhandled++; });

if (event === 'listener rconn') {
  // A throwing 'rconn' listener of an RconnListener: three switches connect.
  const { listen } = await import(pathToFileURL(indexJs).href);
  const listener = await listen('ptcp:0:127.0.0.1', { probeInterval: 0 });
  listener.on('rconn', () => { throw new Error('boom from listener rconn'); });
  const clients = [];
  for (let i = 0; i < 3; i++) {
    const c = net.connect(listener.address().port, '127.0.0.1');
    c.on('error', () => {});
    c.write(encode(makeHello([4])));
    clients.push(c);
  }
  for (let waited = 0; uncaught.length < 3 && waited < 10_000; waited += 20) await new Promise((res) => setTimeout(res, 20));
  const out = { uncaught: uncaught.length, first: uncaught[0] ?? null, unhandled, connections: listener.connections.size };
  for (const c of clients) c.destroy();
  await listener.close();
  process.stdout.write(JSON.stringify(out) + '\n');
  process.exit(0);
}

// The peer: HELLO, then a FEATURES_REQUEST every 10 ms.
const server = net.createServer((s) => {
  s.on('error', () => {});
  s.write(encode(makeHello([4])));
  let xid = 1;
  const t = setInterval(() => s.write(encode({ type: 'FEATURES_REQUEST', version: 4, xid: xid++ })), 10);
  s.on('close', () => clearInterval(t));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const port = server.address().port;

const r = new Rconn({ probeInterval: 0, versions: [4] });
let received = 0;
const iterated = [];
(async () => { for await (const m of r.messages()) iterated.push(m.xid); })();
r.on(event, () => { throw new Error(`boom from ${event}`); });
r.on('message', () => { received++; });
r.connect(`tcp:127.0.0.1:${port}`);
// Until 20 messages came through after the throw, or 10 s on a badly loaded machine.
for (let waited = 0; iterated.length < 20 && waited < 10_000; waited += 20) await new Promise((res) => setTimeout(res, 20));
const out = { uncaught: uncaught.length, first: uncaught[0] ?? null, unhandled, received, iterated: iterated.length, state: r.state };
await r.close();
server.close();
process.stdout.write(JSON.stringify(out) + '\n');
