// Shared by the fixture capture scripts: a private Open vSwitch (ovsdb-server + ovs-vswitchd with
// the dummy datapath in /tmp/ovsXXXXXX) and a hand-written OpenFlow peer. Dependency-free on
// purpose (node:net, node:child_process only) so the fixtures do not depend on the codec they are
// meant to check.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
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

