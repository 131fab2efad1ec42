// Runs inside a network namespace (spawned by netns-idle.test.ts through `ip netns exec`).
// argv: <dist/index.js> <tls fixtures dir>
// Opens a tcp and an ssl connection on loopback with setKeepalive(2), prints one JSON line per
// event, waits for "drop" on stdin (the parent then blackholes both ports with iptables), and
// reports when isIdle() turns true and when each socket errors. Exits by itself within 20 s.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [indexJs, tlsDir] = process.argv.slice(2);
const { listenStream, openStream, readTcpInfo } = await import(pathToFileURL(indexJs).href);
const pem = (f) => readFileSync(join(tlsDir, f));
const say = (obj) => process.stdout.write(JSON.stringify(obj) + '\n');
setTimeout(() => {
  say({ event: 'gave-up' });
  process.exit(3);
}, 20_000).unref();

const kinds = ['tcp', 'ssl'];
const conns = {};
for (const kind of kinds) {
  const tls = kind === 'ssl' ? { cert: pem('server.crt'), key: pem('server.key') } : undefined;
  const l = await listenStream(`p${kind}:0:127.0.0.1`, { tls });
  l.on('stream', (s) => {
    s.duplex.on('error', () => {});
    s.duplex.resume();
  });
  const s = await openStream(`${kind}:127.0.0.1:${l.address().port}`, { tls: { ca: pem('ca.crt') } });
  const result = s.setKeepalive(2);
  conns[kind] = { s, port: l.address().port, result };
  s.duplex.resume();
}
say({ event: 'ready', ports: Object.fromEntries(kinds.map((k) => [k, conns[k].port])), results: Object.fromEntries(kinds.map((k) => [k, conns[k].result])), idleBefore: Object.fromEntries(kinds.map((k) => [k, conns[k].s.isIdle()])) });

process.stdin.once('data', () => {
  const t0 = Date.now();
  say({ event: 'dropped' });
  let pending = kinds.length;
  for (const kind of kinds) {
    const { s } = conns[kind];
    let sawIdle = false;
    const poll = setInterval(() => {
      if (!sawIdle && s.isIdle()) {
        sawIdle = true;
        say({ event: 'idle', kind, ms: Date.now() - t0, info: readTcpInfo(s.socket) });
      }
    }, 50);
    let finished = false;
    const finish = (code) => {
      if (finished) return; // 'close' follows 'error'
      finished = true;
      clearInterval(poll);
      say({ event: 'error', kind, code, ms: Date.now() - t0, sawIdle });
      if (--pending === 0) process.exit(0);
    };
    s.duplex.once('error', (err) => finish(err.code));
    s.duplex.once('close', () => finish('closed-without-error'));
  }
});
