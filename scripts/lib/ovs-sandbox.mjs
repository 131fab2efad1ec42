// Shared by the fixture capture scripts: a private Open vSwitch (ovsdb-server + ovs-vswitchd with
// the dummy datapath in /tmp/ovsXXXXXX) and a hand-written OpenFlow peer. Dependency-free on
// purpose (node:net, node:child_process only) so the fixtures do not depend on the codec they are
// meant to check.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import net from 'node:net';
import { promisify } from 'node:util';

export const run = promisify(execFile);

// ---------------------------------------------------------------- sandbox
const SBIN = ['/usr/sbin', '/sbin', '/usr/local/sbin'];
const env = () => ({ ...process.env, OVS_RUNDIR: sb.dir, OVS_DBDIR: sb.dir, OVS_LOGDIR: sb.dir, OVS_SYSCONFDIR: sb.dir });
export const sb = { dir: '', bridge: 'br0' };

export async function sh(cmd, args) {
  const { stdout } = await run(cmd, args, {
    timeout: 15_000,
    killSignal: 'SIGKILL',
    env: { ...env(), PATH: `${process.env.PATH}:${SBIN.join(':')}` },
  });
  return stdout;
}
export const vsctl = (...a) => sh('ovs-vsctl', [`--db=unix:${sb.dir}/db.sock`, '--timeout=10', ...a]);

export async function startSandbox() {
  // short path: unix socket names are limited to 108 bytes
  sb.dir = mkdtempSync('/tmp/ovs');
  const d = sb.dir;
  await sh('ovsdb-tool', ['create', `${d}/conf.db`, '/usr/share/openvswitch/vswitch.ovsschema']);
  await sh('ovsdb-server', [`${d}/conf.db`, `--remote=punix:${d}/db.sock`, `--pidfile=${d}/ovsdb-server.pid`,
    `--log-file=${d}/ovsdb-server.log`, '--detach', '--no-chdir']);
  await vsctl('--no-wait', 'init');
  await sh('ovs-vswitchd', [`unix:${d}/db.sock`, '--enable-dummy', '--disable-system', '--disable-system-route',
    `--pidfile=${d}/ovs-vswitchd.pid`, `--log-file=${d}/ovs-vswitchd.log`, '--detach', '--no-chdir']);
  // fixed dpid and MAC so that a re-capture gives the same bytes (apart from xids)
  await vsctl('add-br', sb.bridge, '--', 'set', 'bridge', sb.bridge, 'datapath_type=dummy', 'fail_mode=secure',
    'other-config:datapath-id=0000000000000001', 'other-config:hwaddr="aa:55:aa:55:00:01"',
    'other-config:disable-in-band=true');
}

function pidOf(name) {
  try {
    const pid = Number(readFileSync(`${sb.dir}/${name}.pid`, 'utf8').trim());
    const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
    return comm === name && state !== 'Z' ? pid : undefined;
  } catch {
    return undefined;
  }
}

export async function stopSandbox() {
  if (!sb.dir) return;
  for (const name of ['ovs-vswitchd', 'ovsdb-server']) {
    const pid = pidOf(name);
    if (pid === undefined) continue;
    try { process.kill(pid, 'SIGTERM'); } catch { /* gone */ }
    for (let i = 0; i < 50 && pidOf(name) !== undefined; i++) await sleep(100);
    if (pidOf(name) !== undefined) try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
  }
  rmSync(sb.dir, { recursive: true, force: true });
  sb.dir = '';
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- OpenFlow bits (by hand)
export const OFPT = { HELLO: 0, ERROR: 1, ECHO_REQUEST: 2, ECHO_REPLY: 3, FEATURES_REQUEST: 5, FEATURES_REPLY: 6,
  GET_CONFIG_REQUEST: 7, GET_CONFIG_REPLY: 8, FLOW_REMOVED: 11, PORT_STATUS: 12, OF13_FLOW_MOD: 14,
  OF13_MULTIPART_REQUEST: 18, OF13_MULTIPART_REPLY: 19 };

export function ofmsg(version, type, xid, body = Buffer.alloc(0)) {
  const b = Buffer.alloc(8 + body.length);
  b.writeUInt8(version, 0);
  b.writeUInt8(type, 1);
  b.writeUInt16BE(b.length, 2);
  b.writeUInt32BE(xid, 4);
  body.copy(b, 8);
  return b;
}

export function bitmapHello(version, versions) {
  let bits = 0;
  for (const v of versions) bits |= 1 << v;
  const e = Buffer.alloc(8);
  e.writeUInt16BE(1, 0); // OFPHET_VERSIONBITMAP
  e.writeUInt16BE(8, 2);
  e.writeUInt32BE(bits >>> 0, 4);
  return ofmsg(version, OFPT.HELLO, 1, e);
}

/** A connection from OVS: splits the stream into OpenFlow messages and lets the caller await them. */
export class Peer {
  constructor(sock) {
    this.sock = sock;
    this.buf = Buffer.alloc(0);
    this.queue = [];
    this.waiters = [];
    sock.on('data', (d) => {
      this.buf = Buffer.concat([this.buf, d]);
      while (this.buf.length >= 8) {
        const len = this.buf.readUInt16BE(2);
        if (len < 8 || this.buf.length < len) break;
        const m = Buffer.from(this.buf.subarray(0, len));
        this.buf = this.buf.subarray(len);
        this.queue.push(m);
        this.#wake();
      }
    });
    sock.on('error', () => {});
    sock.on('close', () => { this.closed = true; this.#wake(); });
  }
  #wake() { for (const w of this.waiters.splice(0)) w(); }
  /** Next message matching `pred` (earlier non-matching ones are dropped). */
  async next(what, pred, ms = 15_000) {
    const deadline = Date.now() + ms;
    for (;;) {
      const i = this.queue.findIndex(pred);
      if (i >= 0) return this.queue.splice(0, i + 1).pop();
      if (this.closed) throw new Error(`connection closed while waiting for ${what}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => { this.waiters.push(r); setTimeout(r, left); });
    }
  }
  send(b) { this.sock.write(b); }
  close() { this.sock.destroy(); }
}

/**
 * Points the bridge at a fresh listener with `protocols` and returns OVS's connection. The
 * listener is up before the controller is configured: OVS then connects at once instead of
 * entering its 1, 2, 4, 8 s backoff.
 */
export async function connectOvs(protocols, onConnect) {
  const server = net.createServer();
  const accepted = new Promise((res) => server.once('connection', (s) => {
    const p = new Peer(s);
    onConnect?.(p);
    res(p);
  }));
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const port = server.address().port;
  if (protocols) await vsctl('set', 'bridge', sb.bridge, `protocols=${protocols}`);
  else await vsctl('clear', 'bridge', sb.bridge, 'protocols');
  await vsctl('set-controller', sb.bridge, `tcp:127.0.0.1:${port}`);
  const peer = await Promise.race([accepted, sleep(15_000).then(() => { throw new Error('OVS did not connect'); })]);
  server.close();
  return peer;
}

export async function disconnect(peer) {
  await vsctl('del-controller', sb.bridge);
  peer.close();
}

/** OVS's HELLO; we answer with the same header version so the session is usable. */
export async function handshake(peer) {
  const hello = await peer.next('HELLO', (m) => m[1] === OFPT.HELLO);
  peer.send(ofmsg(hello[0], OFPT.HELLO, hello.readUInt32BE(4)));
  return hello;
}

export async function request(peer, version, type, replyType, body, xid) {
  peer.send(ofmsg(version, type, xid, body));
  return peer.next(`reply type ${replyType} to xid ${xid}`, (m) => m[1] === replyType && m.readUInt32BE(4) === xid);
}


// ---------------------------------------------------------------- ovs-ofctl against a fake switch
const PROTOCOL_NAME = { 1: 'OpenFlow10', 2: 'OpenFlow11', 3: 'OpenFlow12', 4: 'OpenFlow13', 5: 'OpenFlow14', 6: 'OpenFlow15' };

function featuresBody() {
  const b = Buffer.alloc(24);
  b.writeBigUInt64BE(1n, 0);
  b.writeUInt32BE(256, 8);
  b[12] = 254;
  return b;
}

/**
 * Runs `ovs-ofctl --no-names -O <v> ...options <args>` (the argument 'SWITCH' names the switch)
 * against a switch here that answers HELLO, ECHO, FEATURES, BARRIER and, with an empty reply of
 * the same kind, every stats request. Returns what else ovs-ofctl sent, and its stats requests
 * when `withStats`. A command that dislikes the empty reply has still sent its request: its exit
 * status is ignored when `tolerant`.
 */
export async function ofctlSends(v, args, { options = [], withStats = false, tolerant = false } = {}) {
  const statsReq = v === 1 ? 16 : 18;
  const [barrierReq, barrierRep] = v === 1 ? [18, 19] : [20, 21];
  const server = net.createServer();
  const seen = [];
  server.on('connection', (sock) => {
    const peer = new Peer(sock);
    peer.send(ofmsg(v, OFPT.HELLO, 1));
    (async () => {
      for (;;) {
        const m = await peer.next('message', () => true, 20_000).catch(() => undefined);
        if (!m) return;
        const t = m[1];
        const xid = m.readUInt32BE(4);
        if (t === OFPT.HELLO) continue;
        if (t === OFPT.ECHO_REQUEST) peer.send(ofmsg(v, OFPT.ECHO_REPLY, xid, m.subarray(8)));
        else if (t === OFPT.FEATURES_REQUEST) peer.send(ofmsg(v, OFPT.FEATURES_REPLY, xid, featuresBody()));
        else if (t === barrierReq) peer.send(ofmsg(v, barrierRep, xid));
        else if (t === statsReq) {
          if (withStats) seen.push(m);
          peer.send(ofmsg(v, t + 1, xid, Buffer.from(m.subarray(8, v === 1 ? 12 : 16)).fill(0, 2)));
        } else seen.push(m);
      }
    })();
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  try {
    const target = `tcp:127.0.0.1:${server.address().port}`;
    const done = sh('ovs-ofctl', ['--no-names', '-O', PROTOCOL_NAME[v], ...options, ...args.map((a) => (a === 'SWITCH' ? target : a))]);
    await (tolerant ? done.catch(() => undefined) : done);
  } finally {
    server.close();
  }
  return seen;
}

// ---------------------------------------------------------------- fixture files
export const VERSIONS = [1, 2, 3, 4, 5, 6];
export const PROTOCOL = { 1: 'OpenFlow10', 2: 'OpenFlow11', 3: 'OpenFlow12', 4: 'OpenFlow13', 5: 'OpenFlow14', 6: 'OpenFlow15' };
export const SUFFIX = (v) => `of1${v - 1}`;
/** The sandbox bridge's management socket, for ovs-ofctl commands that set the switch up. */
export const mgmt = () => `unix:${sb.dir}/${sb.bridge}.mgmt`;

/** The command line a fixture records for ovs-ofctl `args` sent to our fake switch (SWITCH). */
export const ofctlCommand = (v, args, options = '') => `Command: ovs-ofctl --no-names -O ${PROTOCOL[v]}${options} `
  + args.map((a) => (a === 'SWITCH' ? 'tcp:127.0.0.1:PORT' : `'${a}'`)).join(' ');

let ovsVersion = '';

/**
 * A writer of annotated hex fixtures into `outDir`: `what` and `how` as comment lines, then each
 * [offset, length, label] range that `annotate(msg)` gives, with its bytes, 16 a line.
 */
export function fixtureWriter(outDir, script, annotate) {
  return (name, msg, what, how) => {
    const lines = [`# ${what}`, `# Sent by ${ovsVersion}.`, ...how.map((h) => `# ${h}`),
      `# Captured by scripts/${script}.`, `# ${msg.length} bytes; ranges are inclusive byte offsets.`, ''];
    for (const [o, n, label] of annotate(msg)) {
      lines.push(`# bytes ${o}-${o + n - 1}: ${label}`);
      for (const chunk of msg.subarray(o, o + n).toString('hex').match(/.{1,32}/g) ?? []) lines.push(chunk.match(/../g).join(' '));
    }
    writeFileSync(join(outDir, name), lines.join('\n') + '\n');
    console.log(`wrote ${join(outDir, name)} (${msg.length} bytes)`);
  };
}

/**
 * The run both capture scripts make: `ofctl(v)` (ovs-ofctl as the controller) for every version,
 * then the sandbox switch with dummy ports p1 (1) and p2 (2) and `vswitchd(v)` for every version.
 */
export function captureEveryVersion(outDir, { ofctl, vswitchd }) {
  return runCapture(async () => {
    mkdirSync(outDir, { recursive: true });
    ovsVersion = (await sh('ovs-vswitchd', ['--version'])).split('\n')[0].trim();
    for (const v of VERSIONS) await ofctl(v);
    await startSandbox();
    for (const n of [1, 2]) await vsctl('add-port', sb.bridge, `p${n}`, '--', 'set', 'interface', `p${n}`, 'type=dummy', `ofport_request=${n}`);
    for (const v of VERSIONS) await vswitchd(v);
  });
}

/** Runs a capture script's `main`, stops the sandbox whatever happens, and exits 0 or 1. */
export async function runCapture(main) {
  let failed = false;
  const cleanup = () => stopSandbox().catch((e) => console.error('stop failed:', e.message));
  process.once('SIGINT', () => { cleanup().then(() => process.exit(130)); });
  try {
    await main();
  } catch (err) {
    failed = true;
    console.error('capture failed:', err.message);
    if (sb.dir) {
      try { console.error(readFileSync(`${sb.dir}/ovs-vswitchd.log`, 'utf8').split('\n').slice(-30).join('\n')); } catch { /* none */ }
    }
  }
  await cleanup();
  process.exit(failed ? 1 : 0);
}
