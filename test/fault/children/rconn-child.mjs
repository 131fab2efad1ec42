// The side under test: one or more Rconns from the BUILT library (dist/index.js), run inside a
// network namespace by the fault tests (`ip netns exec NS node rconn-child.mjs ...`).
// argv: <dist/index.js> <JSON {rconns: [{name, target, options}]}>
// stdout: one JSON line per event, each with `t` (Date.now(), the parent compares it with the
// moment it injected a fault) and the rconn's `name`.
// stdin: JSON commands, one a line: {cmd:'status', id} | {cmd:'send-every', name, ms} |
// {cmd:'close'}. The child exits when stdin ends, so a dead parent leaves nothing behind.
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

const [indexJs, configJson] = process.argv.slice(2);
const { Rconn, echoRequest } = await import(pathToFileURL(indexJs).href);
const config = JSON.parse(configJson);
const say = (obj) => process.stdout.write(JSON.stringify({ t: Date.now(), ...obj }) + '\n');

const brief = (r) => {
  const s = r.status();
  return {
    state: s.state, probe: s.probe, wakeups: s.wakeups, seqno: s.seqno, backoff: s.backoff,
    keepaliveError: s.keepaliveError, lastError: s.lastError, probesSent: s.probesSent,
    probeReplies: s.probeReplies, rxPackets: s.rxPackets, txPackets: s.txPackets,
  };
};

const rconns = new Map();
for (const { name, target, options } of config.rconns) {
  const r = new Rconn({ ...options, name });
  rconns.set(name, r);
  r.on('connected', (i) => say({ name, ev: 'connected', version: i.version, seqno: i.seqno, probe: i.probe }));
  r.on('disconnected', (i) => say({ name, ev: 'disconnected', code: i.error?.code ?? null, message: i.error?.message ?? null, dropped: i.dropped }));
  r.on('connectFailed', (i) => say({ name, ev: 'connectFailed', code: i.error.code ?? null, message: i.error.message, retryIn: i.retryIn, attempts: i.attempts }));
  r.on('state', (state, previous) => say({ name, ev: 'state', state, previous }));
  r.on('probe', (p) => say({ name, ev: 'probe', kind: p.kind, phase: p.phase, status: brief(r) }));
  r.on('message', () => {});
  r.connect(target);
}
say({ ev: 'started' });

const timers = [];
const closeAll = async () => {
  for (const t of timers) clearInterval(t);
  await Promise.all([...rconns.values()].map((r) => r.close()));
};

const lines = createInterface({ input: process.stdin });
lines.on('line', async (line) => {
  const msg = JSON.parse(line);
  if (msg.cmd === 'status') {
    say({ ev: 'status', id: msg.id, status: Object.fromEntries([...rconns].map(([n, r]) => [n, brief(r)])) });
  } else if (msg.cmd === 'send-every') {
    const r = rconns.get(msg.name);
    let sent = 0;
    timers.push(setInterval(() => {
      if (!r.isConnected()) return;
      r.send(echoRequest(r.version, r.nextXid()));
      if (++sent === 1) say({ name: msg.name, ev: 'sending' });
    }, msg.ms));
  } else if (msg.cmd === 'close') {
    await closeAll();
    say({ ev: 'closed' });
    process.exit(0);
  }
});
lines.on('close', () => void closeAll().finally(() => process.exit(0)));
