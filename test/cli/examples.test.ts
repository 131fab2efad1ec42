/** The examples/ programs, run in-process against loopback peers (examples-build.test.ts runs them compiled). */
import { afterEach, describe, expect, test } from 'vitest';
import { main as controllerMain } from '../../examples/controller.js';
import { main as switchMain } from '../../examples/switch.js';
import { NO_BUFFER, main as fastReplyMain } from '../../examples/fast-reply-10.js';
import { main as fastReply13Main } from '../../examples/fast-reply-13.js';
import { OFP10, OFPP, SwitchEmulator, Vconn, type OfpMessage } from '../../src/index.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Collects log lines; `waitFor` resolves with the first line (past or future) matching. */
function logSink() {
  const lines: string[] = [];
  const waiters: Array<[RegExp, (l: string) => void]> = [];
  return {
    lines,
    log: (line: string) => {
      lines.push(line);
      for (const [re, resolve] of waiters) if (re.test(line)) resolve(line);
    },
    waitFor(re: RegExp, ms = 5000): Promise<string> {
      const seen = lines.find((l) => re.test(l));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no log line ${re} in ${ms} ms:\n${lines.join('\n')}`)), ms);
        waiters.push([re, (l) => { clearTimeout(t); resolve(l); }]);
      });
    },
  };
}

describe('examples/controller.ts + examples/switch.ts', () => {
  test('the controller logs the datapath id of the switch emulator that connects to it', async () => {
    const ctl = logSink();
    const server = await controllerMain('ptcp:0:127.0.0.1', ctl.log);
    cleanups.push(() => server.close());
    const port = server.address().port!;

    const sw = logSink();
    const rconn = switchMain(`tcp:127.0.0.1:${port}`, 0xabcn, sw.log);
    cleanups.push(() => rconn.close());

    await sw.waitFor(/^switch 0000000000000abc: connected to tcp:127\.0\.0\.1:\d+, OpenFlow 1\.5, probe (transport|echo)$/);
    await ctl.waitFor(/^tcp:127\.0\.0\.1:\d+: connected, OpenFlow 1\.5/);
    await ctl.waitFor(/^tcp:127\.0\.0\.1:\d+: datapath id 0000000000000abc, ports eth1 eth2 eth3 eth4$/);
  });

  test('the switch example keeps retrying until its controller appears', async () => {
    const sw = logSink();
    // Port 1 on loopback: nothing listens there, the connect is refused at once.
    const rconn = switchMain('tcp:127.0.0.1:1', 1n, sw.log);
    cleanups.push(() => rconn.close());
    await sw.waitFor(/ECONNREFUSED.*; next try in \d\.\d s$/);
    expect(rconn.state).toBe('BACKOFF');
  });
});

/**
 * A fast-reply controller example under a hand-driven switch of `version`: a buffered PACKET_IN is
 * answered with a flooding PACKET_OUT naming the buffer and in_port, an unbuffered one with its data.
 */
async function fastReplyScenario(main: typeof fastReplyMain, version: number): Promise<void> {
  const ctl = logSink();
  const server = await main('ptcp:0:127.0.0.1', ctl.log);
  cleanups.push(() => server.close());

  // The switch side by hand: a bare negotiated connection, so we see exactly what comes back.
  const sw = await Vconn.open(`tcp:127.0.0.1:${server.address().port}`, { versions: [OFP10, 4] });
  cleanups.push(() => sw.close());
  expect(sw.version).toBe(version);
  const received: OfpMessage[] = [];
  let wake: (() => void) | null = null;
  // Answers the controller's handshake (FEATURES_REQUEST) like a switch; records everything.
  const emulator = new SwitchEmulator();
  sw.start({
    message: (m) => {
      received.push(m);
      const reply = emulator.reply(m);
      if (reply) sw.send(reply);
      wake?.();
    },
    drain() {},
    close() {},
  });
  const nextPacketOut = async () => {
    for (;;) {
      const i = received.findIndex((m) => m.type === 'PACKET_OUT');
      if (i >= 0) return received.splice(i, 1)[0]!;
      await new Promise<void>((r) => { wake = r; });
    }
  };

  // A switch speaks once it is asked who it is.
  while (!received.some((m) => m.type === 'FEATURES_REQUEST')) await new Promise<void>((r) => { wake = r; });

  const frame = Buffer.from('ffffffffffff02000000000108060001', 'hex');
  // 1.3 carries in_port in the PACKET_IN's match
  const packetIn = (xid: number, bufferId: number, inPort: number): OfpMessage => (version === OFP10
    ? { type: 'PACKET_IN', version, xid, bufferId, totalLen: 60, inPort, reason: 0, data: frame }
    : { type: 'PACKET_IN', version, xid, bufferId, totalLen: 60, reason: 0, tableId: 0, cookie: 0n, match: { inPort }, data: frame });
  sw.send(packetIn(77, 0x1234, 3));
  const buffered = await nextPacketOut();
  expect(buffered).toMatchObject({ type: 'PACKET_OUT', version, xid: 77, bufferId: 0x1234, inPort: 3 });
  // OFPP_FLOOD as the version numbers it
  expect((buffered as unknown as { actions: unknown }).actions).toEqual([{ type: 'OUTPUT', port: version === OFP10 ? 0xfffb : OFPP.FLOOD, maxLen: 0 }]);
  expect((buffered as { data: Buffer }).data.length).toBe(0);

  // An unbuffered packet must travel back in full.
  sw.send(packetIn(78, NO_BUFFER, 7));
  const unbuffered = await nextPacketOut();
  expect(unbuffered).toMatchObject({ xid: 78, bufferId: NO_BUFFER, inPort: 7 });
  expect((unbuffered as { data: Buffer }).data).toEqual(frame);

  await sw.close();
  await ctl.waitFor(/2 PACKET_INs answered, 0 refused/);
}

describe('examples/fast-reply-10.ts and fast-reply-13.ts', () => {
  test('1.0: answers each PACKET_IN with a flooding PACKET_OUT carrying the same buffer_id and in_port', async () => {
    await fastReplyScenario(fastReplyMain, OFP10);
  });

  test('1.3: the same, with in_port read from the PACKET_IN\'s OXM match', async () => {
    await fastReplyScenario(fastReply13Main, 4);
  });
});
