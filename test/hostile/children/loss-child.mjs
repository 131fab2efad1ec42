// Loss accounting inside a network namespace: a raw peer that counts what it receives and a
// switch-side Rconn that sends to it. The test blackholes the port between two halves of sends.
// argv: <dist/index.js> <port>. stdin: JSON commands {cmd: 'send', n, size}. stdout: JSON lines.
import * as net from 'node:net';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

const [indexJs, portArg] = process.argv.slice(2);
const port = Number(portArg);
const { Rconn } = await import(pathToFileURL(indexJs).href);
const say = (obj) => process.stdout.write(JSON.stringify({ t: Date.now(), ...obj }) + '\n');

let peerReceived = 0;
const server = net.createServer((s) => {
  s.on('error', () => {});
  s.on('data', (d) => { peerReceived += d.length; });
  const hello = Buffer.alloc(8);
  hello[0] = 4;
  hello.writeUInt16BE(8, 2);
  s.write(hello);
});
await new Promise((r) => server.listen(port, '127.0.0.1', r));

const rconn = new Rconn({ probeInterval: 5, backoffJitter: 0, maxTries: 1 });
let sentMessages = 0;
rconn.on('connected', () => say({ ev: 'connected' }));
rconn.on('disconnected', (info) => {
  const st = rconn.status();
  say({ ev: 'disconnected', code: info.error?.code ?? null, unackedBytes: info.unackedBytes, dropped: info.dropped, peerReceived, txBytes: st.txBytes, sentMessages, statusUnacked: st.unackedBytes });
});
rconn.connect(`tcp:127.0.0.1:${port}`);

createInterface({ input: process.stdin }).on('line', (line) => {
  const cmd = JSON.parse(line);
  if (cmd.cmd === 'send') {
    const msg = Buffer.alloc(cmd.size);
    msg[0] = 4;
    msg[1] = 3; // ECHO_REPLY: the peer does not answer anything
    msg.writeUInt16BE(cmd.size, 2);
    for (let i = 0; i < cmd.n; i++) {
      msg.writeUInt32BE(++sentMessages, 4);
      rconn.send(Buffer.from(msg));
    }
    say({ ev: 'sent', sentMessages, peerReceived });
  } else if (cmd.cmd === 'peer') {
    say({ ev: 'peer', peerReceived });
  }
});
process.stdin.on('end', () => process.exit(0));
