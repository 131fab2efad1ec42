// A controller (the library's listen()) run under a low descriptor limit by the EMFILE test.
// argv: <dist/index.js>. stdout: JSON lines: listening, acceptError, log (warn lines), rconn.
import { pathToFileURL } from 'node:url';

const [indexJs] = process.argv.slice(2);
const { listen } = await import(pathToFileURL(indexJs).href);
const say = (obj) => process.stdout.write(JSON.stringify({ t: Date.now(), ...obj }) + '\n');
// Warnings about accepting (not the per-connection ones about peers that left).
const logger = { debug() {}, info() {}, error() {}, warn: (msg) => { if (/cannot accept/.test(msg)) say({ ev: 'log', level: 'warn', msg }); } };
const listener = await listen('ptcp:0:127.0.0.1', { probeInterval: 0, logger });
listener.on('error', () => {});
listener.on('acceptError', (info) => say({ ev: 'acceptError', code: info.code }));
listener.on('rconn', (r) => {
  say({ ev: 'rconn' });
  r.once('connected', () => {
    try { r.send({ type: 'FEATURES_REQUEST', version: r.version, xid: r.nextXid() }); } catch {}
  });
});
say({ ev: 'listening', port: listener.address().port });
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
