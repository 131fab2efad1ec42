// Hostile peers in a process of their own, so that their work does not count against the event
// loop under test. Written without the library: raw bytes only.
// argv: <json command>. stdout: JSON lines. Runs until stdin ends (the test process is gone or done).
//   { kind: 'flood', port, n, message: 'echo64k' | 'small', read?: boolean }
//        n connections, each sends HELLO (1.3) then writes `message` as fast as the socket takes it.
//   { kind: 'silent', port, n, tls?: boolean }
//        n connections that never send a byte; reports when each was closed by the far end.
//   { kind: 'hold', port, n }   n connections held open until the line "release" arrives.
import * as net from 'node:net';

const cmd = JSON.parse(process.argv[2]);
const say = (obj) => process.stdout.write(JSON.stringify(obj) + '\n');
const sockets = new Set();
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => {
  if (d.includes('release')) {
    for (const s of sockets) s.destroy();
    sockets.clear();
    say({ ev: 'released' });
  }
});
process.stdin.on('end', () => process.exit(0));

function header(type, length, xid = 1) {
  const h = Buffer.alloc(8);
  h[0] = 4;
  h[1] = type;
  h.writeUInt16BE(length, 2);
  h.writeUInt32BE(xid, 4);
  return h;
}
const HELLO = header(0, 8);
// ECHO_REQUEST with the largest payload: each one asks us for a 64 KiB reply.
const ECHO64K = Buffer.concat([header(2, 65535), Buffer.alloc(65535 - 8, 0x61)]);
// ECHO_REPLY with an xid nobody waits for: well formed, useless, delivered to the application.
const SMALL = Buffer.concat(Array.from({ length: 4096 }, (_, i) => header(3, 8, 0x100 + i)));

function connectOne(onConnect) {
  const s = net.connect({ port: cmd.port, host: '127.0.0.1' });
  s.on('error', () => {});
  sockets.add(s);
  s.once('close', () => sockets.delete(s));
  s.once('connect', () => onConnect(s));
  return s;
}

if (cmd.kind === 'flood') {
  const burst = cmd.message === 'echo64k' ? ECHO64K : SMALL;
  let connected = 0;
  let closed = 0;
  const pump = (s) => {
    while (!s.destroyed && s.write(burst));
    if (!s.destroyed) s.once('drain', () => pump(s));
  };
  for (let i = 0; i < cmd.n; i++) {
    const s = connectOne((sock) => {
      sock.write(HELLO);
      if (!cmd.read) sock.pause();
      pump(sock);
      if (++connected === cmd.n) say({ ev: 'ready', connected });
    });
    if (cmd.read) s.on('data', () => {});
    s.once('close', () => { if (++closed === cmd.n) say({ ev: 'all-closed' }); });
  }
} else if (cmd.kind === 'silent') {
  let connected = 0;
  const closedAfter = [];
  for (let i = 0; i < cmd.n; i++) {
    let t0 = 0;
    const s = connectOne(() => {
      t0 = performance.now();
      if (++connected === cmd.n) say({ ev: 'ready', connected });
    });
    // Never reads, never writes: just notices the far end closing.
    s.on('data', () => {});
    s.once('close', () => {
      closedAfter.push(performance.now() - t0);
      if (closedAfter.length === cmd.n) say({ ev: 'all-closed', maxMs: Math.max(...closedAfter), connected });
    });
  }
} else if (cmd.kind === 'hold') {
  let settled = 0;
  let connected = 0;
  const done = () => { if (++settled === cmd.n) say({ ev: 'ready', connected }); };
  for (let i = 0; i < cmd.n; i++) {
    let counted = false;
    const once = () => { if (!counted) { counted = true; done(); } };
    const s = connectOne(() => { connected++; s.write(HELLO); once(); });
    s.on('data', () => {});
    s.once('error', once);
  }
} else {
  throw new Error(`unknown attack ${cmd.kind}`);
}
