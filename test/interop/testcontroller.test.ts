/**
 * ovs-testcontroller (Open vSwitch's learning-switch controller) accepts our switch side: a
 * reliable Rconn connecting to it, answering with the SwitchEmulator. The controller sends
 * FEATURES_REQUEST, SET_CONFIG and a table-miss FLOW_MOD; a PACKET_IN of ours gets a PACKET_OUT
 * (flood) back; the connection stays up for 10 s with our echo probes answered.
 *
 * Two controllers run side by side: one limited to OpenFlow 1.0, one limited to 1.3 (the versions
 * whose FLOW_MOD and PACKET_* we decode to fields).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  OFPP, Rconn, SwitchEmulator, type Action, type Instruction, type Match, type OfpMessage,
} from '../../src/index.js';
import { checkPeers } from '../support/peers.js';
import { startTestController, type ControllerProcess } from '../support/controllers.js';
import { ARP_REPLY, ARP_REQUEST, MAC_A, MAC_B, sleep, until, within } from './helpers.js';

const peers = checkPeers(['ovs-testcontroller'], 'ovs-testcontroller against our switch side');
peers.failUnderCi();

const HOLD_MS = 10_000;

// 1: A (port 1) asks who has B, broadcast: the learning switch learns A and floods (PACKET_OUT).
const FRAME_1 = ARP_REQUEST;
// 2: B (port 2) answers A: A is known on port 1, so the switch installs a flow (FLOW_MOD) and
// sends the frame out of port 1.
const FRAME_2 = ARP_REPLY;

function packetIn(version: number, inPort: number, frame: Buffer): OfpMessage {
  return version === 1
    ? { type: 'PACKET_IN', version, xid: 0, bufferId: 0xffffffff, totalLen: frame.length, inPort, reason: 0, data: frame }
    : { type: 'PACKET_IN', version, xid: 0, bufferId: 0xffffffff, totalLen: frame.length, reason: 0, tableId: 0, cookie: 0n,
      match: { inPort }, data: frame };
}

type PacketOut = Extract<OfpMessage, { type: 'PACKET_OUT' }> & { data: Buffer; inPort: number; actions: Action[] };
type FlowMod = Extract<OfpMessage, { type: 'FLOW_MOD' }> & { priority: number; command: number };

interface Session {
  protocol: string;
  version: number;
  ctl: ControllerProcess;
  rconn: Rconn;
  received: OfpMessage[];
  disconnects: number;
}

async function startSession(protocol: string, version: number): Promise<Session> {
  const ctl = await startTestController(protocol);
  const s: Session = { protocol, version, ctl, rconn: new Rconn({ probe: 'echo', probeInterval: 5, maxBackoff: 1, backoffJitter: 0 }), received: [], disconnects: 0 };
  const sw = new SwitchEmulator({ datapathId: 0xabcd00n + BigInt(version) });
  s.rconn.on('message', (msg) => {
    s.received.push(msg);
    const reply = sw.reply(msg);
    if (reply) s.rconn.send(reply);
  });
  s.rconn.on('disconnected', () => s.disconnects++);
  const up = new Promise<void>((resolve) => s.rconn.once('connected', () => resolve()));
  s.rconn.connect(`tcp:127.0.0.1:${ctl.port}`);
  await within(up, 10_000, `ovs-testcontroller ${protocol} to accept us`);
  return s;
}

describe.runIf(peers.ok)('ovs-testcontroller accepts our switch side', () => {
  const sessions: Session[] = [];
  const session = (v: number): Session => sessions.find((s) => s.version === v)!;
  const packetOuts = (s: Session): PacketOut[] => s.received.filter((m): m is PacketOut => m.type === 'PACKET_OUT');
  // the learned flow: 1.3 also gets a priority-0 table-miss flow right after SET_CONFIG
  const learnedFlow = (s: Session): FlowMod | undefined =>
    s.received.find((m): m is FlowMod => m.type === 'FLOW_MOD' && (m as FlowMod).priority > 0);

  beforeAll(async () => {
    sessions.push(...(await Promise.all([startSession('OpenFlow10', 1), startSession('OpenFlow13', 4)])));
    await Promise.all(sessions.map(async (s) => {
      await until(() => s.received.some((m) => m.type === 'SET_CONFIG'), 5_000, `${s.protocol}: the controller's SET_CONFIG`);
      s.rconn.send(packetIn(s.version, 1, FRAME_1));
      await until(() => packetOuts(s).length >= 1, 5_000, `${s.protocol}: PACKET_OUT for the broadcast`);
      s.rconn.send(packetIn(s.version, 2, FRAME_2));
      await until(() => packetOuts(s).length >= 2, 5_000, `${s.protocol}: PACKET_OUT for the unicast`);
    }));
    await sleep(HOLD_MS);
  }, HOLD_MS + 30_000);

  afterAll(async () => {
    for (const s of sessions) {
      await s.rconn.close();
      await s.ctl.stop();
    }
  });

  test.each([1, 4])('OpenFlow 0x0%i negotiated with the controller limited to it', (v) => {
    expect(session(v).rconn.version).toBe(v);
    expect(session(v).ctl.log).toMatch(new RegExp(`negotiated OpenFlow version 0x0${v}`));
  });

  test.each([1, 4])('0x0%i: FEATURES_REQUEST, then SET_CONFIG arrive first', (v) => {
    expect(session(v).received.slice(0, 2).map((m) => m.type)).toEqual(['FEATURES_REQUEST', 'SET_CONFIG']);
  });

  test.each([1, 4])('0x0%i: the controller read our FEATURES_REPLY (its log shows our datapath id)', (v) => {
    expect(session(v).ctl.log).toMatch(new RegExp(`received: OFPT_FEATURES_REPLY.*dpid:0000000000abcd0${v}`));
  });

  test('1.3: the controller installs a table-miss flow sending to itself', () => {
    const fm = session(4).received.find((m): m is FlowMod & { instructions: Instruction[] } => m.type === 'FLOW_MOD' && (m as FlowMod).priority === 0);
    expect(fm).toMatchObject({ command: 0, tableId: 0 });
    expect(fm!.instructions).toStrictEqual([{ type: 'APPLY_ACTIONS', actions: [{ type: 'OUTPUT', port: OFPP.CONTROLLER, maxLen: 128 }] }]);
  });

  test.each([1, 4])('0x0%i: our broadcast PACKET_IN is flooded back as a PACKET_OUT carrying the frame', (v) => {
    const out = packetOuts(session(v))[0]!;
    expect(out.inPort).toBe(1);
    expect(Buffer.from(out.data).equals(FRAME_1)).toBe(true);
    expect(session(v).ctl.log).toMatch(/received: OFPT_PACKET_IN/);
  });

  test('1.0: the unicast to a learned MAC installs a flow to port 1 and is sent out of port 1', () => {
    const s = session(1);
    const fm = learnedFlow(s) as FlowMod & { actions: Action[]; match: Match };
    expect(fm).toMatchObject({ command: 0 });
    expect(fm.actions[0]).toMatchObject({ type: 'OUTPUT', port: 1 });
    expect(fm.match).toMatchObject({ inPort: 2, ethSrc: MAC_B, ethDst: MAC_A });
    const out = packetOuts(s)[1]!;
    expect(out.inPort).toBe(2);
    expect(Buffer.from(out.data).equals(FRAME_2)).toBe(true);
    expect(out.actions[0]).toMatchObject({ type: 'OUTPUT', port: 1 });
  });

  test('1.3: the unicast to a learned MAC installs a flow to port 1 and is sent out of port 1', () => {
    const s = session(4);
    const fm = learnedFlow(s) as FlowMod & { instructions: Instruction[]; match: Match };
    expect(fm).toMatchObject({ command: 0, tableId: 0 });
    expect(fm.instructions[0]).toMatchObject({ type: 'APPLY_ACTIONS', actions: [{ type: 'OUTPUT', port: 1 }] });
    expect(fm.match).toMatchObject({ ethDst: MAC_A });
    const out = packetOuts(s)[1]!;
    expect(out.inPort).toBe(2);
    expect(Buffer.from(out.data).equals(FRAME_2)).toBe(true);
    expect(out.actions[0]).toMatchObject({ type: 'OUTPUT', port: 1 });
  });

  test.each([1, 4])('0x0%i: the connection stayed up and our echo probes were answered', (v) => {
    const s = session(v);
    const st = s.rconn.status();
    expect(s.disconnects).toBe(0);
    expect(s.rconn.isConnected()).toBe(true);
    expect(st.seqno).toBe(1);
    expect(st.probeReplies).toBeGreaterThan(0);
    expect(s.ctl.log).not.toMatch(/connection closed|disconnect|error/i);
    expect(s.ctl.running).toBe(true);
  });
});
