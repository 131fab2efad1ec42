/**
 * Every controller-role case, as data: steps two controllers (A and B) take against one switch and
 * the observations they must make. The same table runs against Open vSwitch
 * (test/interop/ovs-roles.test.ts) and the emulator (test/roles/emulator-roles.test.ts), so the
 * two are held to one expected result per case and version.
 */
import { GENERATION_ID_UNDEFINED, asyncConfig, ROLE_STATUS_REASONS, roleName, roleStatusOf, type ControllerRole, type OfpMessage } from '../../src/index.js';
import type { Rconn, RconnListener } from '../../src/index.js';
import { nextRconn, sleep, within } from '../interop/helpers.js';

/** Two controller connections to the same switch, negotiated at `version`. */
export interface RoleRig {
  version: number;
  a: Rconn;
  b: Rconn;
  /** Makes the switch send a PACKET_IN (reason ACTION) to the controllers that want it. */
  packetIn(): Promise<void>;
  /** Takes port 1's link down: the switch sends PORT_STATUS (MODIFY) to the controllers that want it. */
  portDown(): Promise<void>;
  /** Closes the controller's side of `who`'s connection and waits for the switch to connect again (`a`/`b` change). */
  reconnect(who: 'A' | 'B'): Promise<void>;
  close(): Promise<void>;
}

type Who = 'A' | 'B';
export type Step =
  | { do: 'role'; who: Who; role: ControllerRole; gen?: bigint }
  | { do: 'badRole'; who: Who; value: number }
  | { do: 'flowMod'; who: Who }
  | { do: 'packetIn' }
  | { do: 'portDown' }
  | { do: 'reconnect'; who: Who }
  | { do: 'roleStatus'; who: Who }
  | { do: 'asyncPacketInAsSlave'; who: Who };

export interface RoleCase {
  name: string;
  minVersion?: number;
  steps: Step[];
  expect: (version: number) => string[];
}

const MAX = GENERATION_ID_UNDEFINED;
const HALF = 1n << 63n;
/** The demoted MASTER hears about it in 1.3 (Open vSwitch's ONF extension) and 1.4+ (ROLE_STATUS). */
const demoted = (v: number, gen: bigint): string => (v >= 4 ? `A ROLE_STATUS SLAVE MASTER_REQUEST ${gen}` : 'A ROLE_STATUS none');

export const ROLE_CASES: RoleCase[] = [
  {
    name: 'NOCHANGE on a fresh switch: EQUAL, no generation id',
    steps: [{ do: 'role', who: 'A', role: 'NOCHANGE' }],
    expect: () => ['A NOCHANGE -> EQUAL none'],
  },
  {
    name: 'EQUAL does not set the generation id',
    steps: [{ do: 'role', who: 'A', role: 'EQUAL', gen: 7n }, { do: 'role', who: 'A', role: 'NOCHANGE' }],
    expect: () => ['A EQUAL 7 -> EQUAL none', 'A NOCHANGE -> EQUAL none'],
  },
  {
    name: 'MASTER sets the generation id; the other connection stays EQUAL',
    steps: [{ do: 'role', who: 'A', role: 'MASTER', gen: 1n }, { do: 'role', who: 'B', role: 'NOCHANGE' }],
    expect: () => ['A MASTER 1 -> MASTER 1', 'B NOCHANGE -> EQUAL 1'],
  },
  {
    name: 'SLAVE',
    steps: [{ do: 'role', who: 'A', role: 'SLAVE', gen: 1n }],
    expect: () => ['A SLAVE 1 -> SLAVE 1'],
  },
  {
    name: 'a new MASTER demotes the old one to SLAVE (ROLE_STATUS 1.3+)',
    steps: [
      { do: 'role', who: 'A', role: 'MASTER', gen: 1n }, { do: 'role', who: 'B', role: 'MASTER', gen: 2n },
      { do: 'role', who: 'A', role: 'NOCHANGE' }, { do: 'roleStatus', who: 'A' }, { do: 'roleStatus', who: 'B' },
    ],
    expect: (v) => ['A MASTER 1 -> MASTER 1', 'B MASTER 2 -> MASTER 2', 'A NOCHANGE -> SLAVE 2', demoted(v, 2n), 'B ROLE_STATUS none'],
  },
  {
    name: 'a stale generation id is refused for MASTER and SLAVE and changes nothing',
    steps: [
      { do: 'role', who: 'A', role: 'MASTER', gen: 5n }, { do: 'role', who: 'B', role: 'MASTER', gen: 4n },
      { do: 'role', who: 'B', role: 'SLAVE', gen: 4n }, { do: 'role', who: 'B', role: 'NOCHANGE' },
      { do: 'role', who: 'A', role: 'NOCHANGE' },
    ],
    expect: () => ['A MASTER 5 -> MASTER 5', 'B MASTER 4 -> ROLE_REQUEST_FAILED/STALE', 'B SLAVE 4 -> ROLE_REQUEST_FAILED/STALE',
      'B NOCHANGE -> EQUAL 5', 'A NOCHANGE -> MASTER 5'],
  },
  {
    name: 'the same generation id again is not stale',
    steps: [{ do: 'role', who: 'A', role: 'MASTER', gen: 5n }, { do: 'role', who: 'B', role: 'MASTER', gen: 5n }, { do: 'role', who: 'A', role: 'NOCHANGE' }],
    expect: () => ['A MASTER 5 -> MASTER 5', 'B MASTER 5 -> MASTER 5', 'A NOCHANGE -> SLAVE 5'],
  },
  {
    name: 'EQUAL is never stale',
    steps: [{ do: 'role', who: 'A', role: 'MASTER', gen: 5n }, { do: 'role', who: 'B', role: 'EQUAL', gen: 1n }],
    expect: () => ['A MASTER 5 -> MASTER 5', 'B EQUAL 1 -> EQUAL 5'],
  },
  {
    name: 'generation ids wrap around: 1 is newer than 2^64-2, 2^63 is older than 0',
    steps: [
      { do: 'role', who: 'A', role: 'MASTER', gen: MAX - 1n }, { do: 'role', who: 'B', role: 'MASTER', gen: 1n },
      { do: 'role', who: 'A', role: 'MASTER', gen: 1n + HALF },
    ],
    expect: () => [`A MASTER ${MAX - 1n} -> MASTER ${MAX - 1n}`, 'B MASTER 1 -> MASTER 1', `A MASTER ${1n + HALF} -> ROLE_REQUEST_FAILED/STALE`],
  },
  {
    name: 'a reconnected controller starts as EQUAL; the switch keeps the generation id',
    steps: [
      { do: 'role', who: 'A', role: 'MASTER', gen: 5n }, { do: 'reconnect', who: 'A' }, { do: 'role', who: 'A', role: 'NOCHANGE' },
      { do: 'role', who: 'A', role: 'MASTER', gen: 4n },
    ],
    expect: () => ['A MASTER 5 -> MASTER 5', 'A reconnected', 'A NOCHANGE -> EQUAL 5', 'A MASTER 4 -> ROLE_REQUEST_FAILED/STALE'],
  },
  {
    name: 'a role value outside the enum is BAD_ROLE',
    steps: [{ do: 'badRole', who: 'A', value: 4 }],
    expect: () => ['A role 4 -> ROLE_REQUEST_FAILED/BAD_ROLE'],
  },
  {
    name: "a SLAVE's FLOW_MOD gets BAD_REQUEST/IS_SLAVE; MASTER's and EQUAL's go through",
    steps: [
      { do: 'flowMod', who: 'B' }, { do: 'role', who: 'A', role: 'MASTER', gen: 1n }, { do: 'role', who: 'B', role: 'SLAVE', gen: 1n },
      { do: 'flowMod', who: 'B' }, { do: 'flowMod', who: 'A' },
    ],
    expect: () => ['B FLOW_MOD -> ok', 'A MASTER 1 -> MASTER 1', 'B SLAVE 1 -> SLAVE 1', 'B FLOW_MOD -> BAD_REQUEST/IS_SLAVE', 'A FLOW_MOD -> ok'],
  },
  {
    name: 'PACKET_IN goes to MASTER and EQUAL, not to a SLAVE',
    steps: [{ do: 'packetIn' }, { do: 'role', who: 'A', role: 'MASTER', gen: 1n }, { do: 'role', who: 'B', role: 'SLAVE', gen: 1n }, { do: 'packetIn' }],
    expect: () => ['PACKET_IN -> A B', 'A MASTER 1 -> MASTER 1', 'B SLAVE 1 -> SLAVE 1', 'PACKET_IN -> A'],
  },
  {
    name: 'a demoted MASTER stops getting PACKET_IN',
    steps: [{ do: 'role', who: 'A', role: 'MASTER', gen: 1n }, { do: 'role', who: 'B', role: 'MASTER', gen: 2n }, { do: 'packetIn' }],
    expect: () => ['A MASTER 1 -> MASTER 1', 'B MASTER 2 -> MASTER 2', 'PACKET_IN -> B'],
  },
  {
    name: 'PORT_STATUS goes to every role, SLAVE included',
    steps: [{ do: 'role', who: 'A', role: 'MASTER', gen: 1n }, { do: 'role', who: 'B', role: 'SLAVE', gen: 1n }, { do: 'portDown' }],
    expect: () => ['A MASTER 1 -> MASTER 1', 'B SLAVE 1 -> SLAVE 1', 'PORT_STATUS -> A B'],
  },
  {
    name: 'SET_ASYNC lets a SLAVE ask for PACKET_IN',
    minVersion: 4,
    steps: [{ do: 'role', who: 'A', role: 'SLAVE', gen: 1n }, { do: 'asyncPacketInAsSlave', who: 'A' }, { do: 'packetIn' }],
    expect: () => ['A SLAVE 1 -> SLAVE 1', 'A SET_ASYNC -> ok', 'PACKET_IN -> A B'],
  },
];

/** A rig's `reconnect` when its controllers are our listeners (`listeners[0]` serves A). */
export function reconnectVia(rig: RoleRig, listeners: readonly RconnListener[]): RoleRig['reconnect'] {
  return async (who) => {
    const next = nextRconn(listeners[who === 'A' ? 0 : 1]!, 15_000);
    await (who === 'A' ? rig.a : rig.b).close();
    const replacement = await next;
    if (who === 'A') rig.a = replacement;
    else rig.b = replacement;
  };
}

/** Runs one case on a rig; returns the observations in step order. */
export async function runCase(rig: RoleRig, roleCase: RoleCase): Promise<string[]> {
  const seen = { A: watch(rig.a), B: watch(rig.b) };
  const conn = (who: Who): Rconn => (who === 'A' ? rig.a : rig.b);
  const out: string[] = [];
  for (const step of roleCase.steps) {
    switch (step.do) {
      case 'role': {
        const r = conn(step.who);
        const label = `${step.who} ${step.role}${step.gen === undefined ? '' : ` ${step.gen}`}`;
        const answer = await r.requestRole(step.role, step.gen ?? 0n).then(
          (reply) => `${reply.role} ${reply.generationId === MAX ? 'none' : reply.generationId}`,
          (err: { reply?: { errorTypeName: string; codeName: string }; message: string }) =>
            (err.reply ? `${err.reply.errorTypeName}/${err.reply.codeName}` : `failed: ${err.message}`),
        );
        out.push(`${label} -> ${answer}`);
        break;
      }
      case 'badRole': {
        const r = conn(step.who);
        const xid = r.nextXid();
        out.push(`${step.who} role ${step.value} -> ${await exchange(r, { type: 'ROLE_REQUEST', version: r.version, xid, role: step.value, generationId: 1n }, xid)}`);
        break;
      }
      case 'flowMod': {
        const r = conn(step.who);
        const xid = r.nextXid();
        out.push(`${step.who} FLOW_MOD -> ${await exchange(r, flowModBytes(r.version, xid), xid)}`);
        break;
      }
      case 'asyncPacketInAsSlave': {
        const r = conn(step.who);
        const xid = r.nextXid();
        // PACKET_IN reason ACTION (1.4+: APPLY_ACTION) for the SLAVE role too; 1.3 sets every mask, so the defaults for the rest.
        const masks = { packetIn: { master: 0x3, slave: 0x2 }, portStatus: { master: 0x7, slave: 0x7 }, flowRemoved: { master: 0xf, slave: 0 } };
        out.push(`${step.who} SET_ASYNC -> ${await exchange(r, asyncConfig(r.version, xid, r.version === 4 ? masks : { packetIn: masks.packetIn }), xid)}`);
        break;
      }
      case 'reconnect': {
        seen[step.who].stop();
        await rig.reconnect(step.who);
        seen[step.who] = watch(conn(step.who));
        out.push(`${step.who} reconnected`);
        break;
      }
      case 'roleStatus': {
        const list = seen[step.who].roleStatus;
        out.push(list.length === 0 ? `${step.who} ROLE_STATUS none` : list.map((s) => `${step.who} ROLE_STATUS ${s}`).join('; '));
        break;
      }
      case 'packetIn':
      case 'portDown': {
        const kind = step.do === 'packetIn' ? 'packetIns' : 'portStatus';
        const before = { A: seen.A[kind], B: seen.B[kind] };
        await (step.do === 'packetIn' ? rig.packetIn() : rig.portDown());
        const got = (): Who[] => (['A', 'B'] as const).filter((w) => seen[w][kind] > before[w]);
        const deadline = Date.now() + 5_000;
        while (got().length === 0 && Date.now() < deadline) await sleep(20);
        // Whoever was going to get it has it once a barrier sent after it comes back, plus slack.
        await Promise.all([rig.a, rig.b].map((r) => { const xid = r.nextXid(); return exchange(r, { type: 'BARRIER_REQUEST', version: r.version, xid }, xid); }));
        await sleep(200);
        out.push(`${step.do === 'packetIn' ? 'PACKET_IN' : 'PORT_STATUS'} -> ${got().join(' ') || 'none'}`);
        break;
      }
    }
  }
  seen.A.stop();
  seen.B.stop();
  return out;
}

function watch(r: Rconn): { roleStatus: string[]; packetIns: number; portStatus: number; stop(): void } {
  const state = { roleStatus: [] as string[], packetIns: 0, portStatus: 0, stop: () => r.off('message', onMessage) };
  const onMessage = (msg: OfpMessage): void => {
    if (msg.type === 'PACKET_IN') state.packetIns++;
    if (msg.type === 'PORT_STATUS') state.portStatus++;
    const status = roleStatusOf(msg);
    if (status) state.roleStatus.push(`${roleName(status.role)} ${ROLE_STATUS_REASONS[status.reason] ?? status.reason} ${status.generationId}`);
  };
  r.on('message', onMessage);
  return state;
}

/**
 * Sends `msg`, then a BARRIER_REQUEST; 'ok' when the barrier's reply comes first, else the
 * ERROR's type/code (or the reply type) that answered xid.
 */
async function exchange(r: Rconn, msg: OfpMessage | Buffer, xid: number): Promise<string> {
  const isBarrier = !Buffer.isBuffer(msg) && msg.type === 'BARRIER_REQUEST';
  const barrierXid = isBarrier ? xid : r.nextXid();
  const answer = new Promise<string>((resolve) => {
    const onMessage = (m: OfpMessage): void => {
      if (m.xid === barrierXid && m.type === 'BARRIER_REPLY') done('ok');
      else if (m.xid === xid && m.type === 'ERROR') done(`${m.errorTypeName}/${m.codeName}`);
      else if (m.xid === xid) done(m.type);
    };
    const done = (s: string): void => { r.off('message', onMessage); resolve(s); };
    r.on('message', onMessage);
  });
  r.send(msg);
  if (!isBarrier) r.send({ type: 'BARRIER_REQUEST', version: r.version, xid: barrierXid });
  return within(answer, 5_000, `an answer to xid ${xid}`);
}

/**
 * OFPFC_ADD with an empty match, the same bytes in 1.2-1.5: a priority-1 drop flow, or with
 * `toController` a priority-32768 flow whose APPLY_ACTIONS sends every packet to the controller
 * (what `ovs-ofctl add-flow br actions=controller` installs).
 */
export function flowModBytes(version: number, xid: number, toController = false): Buffer {
  const out = Buffer.alloc(toController ? 80 : 56);
  out[0] = version;
  out[1] = 14; // OFPT_FLOW_MOD
  out.writeUInt16BE(out.length, 2);
  out.writeUInt32BE(xid, 4);
  out.writeUInt16BE(toController ? 0x8000 : 1, 30); // priority
  out.writeUInt32BE(0xffffffff, 32); // buffer_id: none
  out.writeUInt32BE(0xffffffff, 36); // out_port: any
  out.writeUInt32BE(0xffffffff, 40); // out_group: any
  out.writeUInt16BE(1, 48); // match: OXM, length 4 (padded to 8)
  out.writeUInt16BE(4, 50);
  if (toController) {
    out.writeUInt16BE(4, 56); // OFPIT_APPLY_ACTIONS
    out.writeUInt16BE(24, 58);
    out.writeUInt16BE(0, 64); // OFPAT_OUTPUT
    out.writeUInt16BE(16, 66);
    out.writeUInt32BE(0xfffffffd, 68); // OFPP_CONTROLLER
    out.writeUInt16BE(0xffff, 72); // max_len: no buffer
  }
  return out;
}
