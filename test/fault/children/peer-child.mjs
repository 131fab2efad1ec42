// The far end of a fault test, run inside the test's network namespace.
// argv: <dist/index.js> <mode> <port>
//   listener: the library's own listener (`ptcp:PORT:127.0.0.1`), probing off so that only the
//             side under test probes; it answers HELLO and ECHO_REQUEST.
//   silent:   a raw TCP server that accepts and never sends a byte (no HELLO).
// stdout: JSON lines ({t, ev: 'listening' | 'accepted' | 'peer-closed'}). Exits when stdin ends.
import * as net from 'node:net';
import { pathToFileURL } from 'node:url';

const [indexJs, mode, portArg] = process.argv.slice(2);
const port = Number(portArg);
const say = (obj) => process.stdout.write(JSON.stringify({ t: Date.now(), ...obj }) + '\n');
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));

if (mode === 'listener') {
  const { listen } = await import(pathToFileURL(indexJs).href);
  const listener = await listen(`ptcp:${port}:127.0.0.1`, { probeInterval: 0 });
  listener.on('rconn', (r) => {
    say({ ev: 'accepted', peer: r.name });
    r.on('disconnected', (i) => say({ ev: 'peer-closed', code: i.error?.code ?? null }));
  });
  listener.on('error', () => {});
  say({ ev: 'listening', port });
} else if (mode === 'silent') {
  const sockets = new Set();
  const server = net.createServer((s) => {
    sockets.add(s);
    say({ ev: 'accepted', peer: `${s.remoteAddress}:${s.remotePort}` });
    s.on('error', () => {});
    s.on('close', () => { sockets.delete(s); say({ ev: 'peer-closed' }); });
    s.resume();
  });
  server.listen(port, '127.0.0.1', () => say({ ev: 'listening', port }));
} else {
  process.stderr.write(`unknown mode ${mode}\n`);
  process.exit(2);
}
