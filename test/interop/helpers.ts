/**
 * Small pieces the interop tests share: waiting with a deadline, the next accepted rconn, a
 * request/reply round trip, and a per-rconn count of the messages seen in each direction.
 */
import net from 'node:net';
import { readHeader, typeName, type OfpMessage, type Rconn, type RconnListener } from '../../src/index.js';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** `p`, or a rejection naming `what` after `ms`. */
export async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `check` every 100 ms until it returns true; throws after `ms`. */
export async function until(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(100);
  }
}

/** The next rconn the listener accepts. */
export function nextRconn(listener: RconnListener, ms = 15_000): Promise<Rconn> {
  return within(new Promise<Rconn>((resolve) => listener.once('rconn', resolve)), ms, 'a connection from the peer');
}

/** Sends `msg` and resolves with the first message of type `replyType` carrying the same xid. */
export function request<T extends OfpMessage['type']>(
  rconn: Rconn, msg: OfpMessage, replyType: T, ms = 5_000,
): Promise<Extract<OfpMessage, { type: T }>> {
  const reply = new Promise<Extract<OfpMessage, { type: T }>>((resolve) => {
    const onMessage = (m: OfpMessage): void => {
      if (m.xid !== msg.xid || (m.type !== replyType && m.type !== 'ERROR')) return;
      rconn.off('message', onMessage);
      resolve(m as Extract<OfpMessage, { type: T }>);
    };
    rconn.on('message', onMessage);
  });
  rconn.send(msg);
  return within(reply, ms, `${replyType} to xid ${msg.xid}`);
}

/** Counts of every message type (by OFPT_ name) an rconn sent and received, fed by a monitor. */
export interface Traffic {
  rx: Map<string, number>;
  tx: Map<string, number>;
  count(dir: 'rx' | 'tx', type: string): number;
}

export function watchTraffic(rconn: Rconn): Traffic {
  const t: Traffic = {
    rx: new Map(),
    tx: new Map(),
    count: (dir, type) => t[dir].get(type) ?? 0,
  };
  rconn.addMonitor((dir, raw) => {
    const h = readHeader(raw);
    const name = typeName(h.version, h.type) ?? `type ${h.type}`;
    t[dir].set(name, (t[dir].get(name) ?? 0) + 1);
  });
  return t;
}

/** A TCP port nobody listens on right now (for peers that cannot report the port they bound). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

const OFPT_ECHO_REQUEST = 2;

/**
 * When both sides probe after 5 s of silence, whoever fires first resets the other's idle clock,
 * and Open vSwitch wins most ties. This waits for the peer's next ECHO_REQUEST and 1 s later sends
 * it a SET_CONFIG (OVS's own defaults; it sends no reply): the peer's idle deadline then lies 1 s
 * past ours, so our next probe goes out first.
 */
export async function letOurProbeGoFirst(rconn: Rconn, ms = 15_000): Promise<void> {
  await within(new Promise<void>((resolve) => {
    const off = rconn.addMonitor((dir, raw) => {
      if (dir === 'rx' && raw[1] === OFPT_ECHO_REQUEST) { off(); resolve(); }
    });
  }), ms, 'an ECHO_REQUEST from the peer');
  await sleep(1_000);
  rconn.send({ type: 'SET_CONFIG', version: rconn.version, xid: rconn.nextXid(), flags: 0, missSendLen: 128 });
}

/** Host A (on port 1) and host B (on port 2), spelled as a Match spells a MAC. */
export const MAC_A = '02:00:00:00:00:01';
export const MAC_B = '02:00:00:00:00:02';
const IP_A = '0a000001';
const IP_B = '0a000002';
const hex = (mac: string): string => mac.replace(/:/g, '');

/** A 60-byte ARP frame (padded to the Ethernet minimum); MACs and IPs in hex. */
function arp(op: 1 | 2, dst: string, src: string, spa: string, tha: string, tpa: string): Buffer {
  return Buffer.concat([
    Buffer.from(dst + src + '0806', 'hex'),
    Buffer.from(`000108000604000${op}` + src + spa + tha + tpa, 'hex'),
    Buffer.alloc(18),
  ]);
}

/** What a learning switch learns from: A asks who has B, broadcast... */
export const ARP_REQUEST = arp(1, 'ffffffffffff', hex(MAC_A), IP_A, '000000000000', IP_B);
/** ...and B answers A. */
export const ARP_REPLY = arp(2, hex(MAC_A), hex(MAC_B), IP_B, hex(MAC_A), IP_A);
