/** serveSwitch over real connections: answers, asynchronous messages, and no session left behind. */
import { afterEach, describe, expect, test } from 'vitest';
import { SwitchEmulator, Vconn, listen, serveSwitch, type OfpMessage } from '../../src/index.js';
import { frame } from './support.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('serveSwitch', () => {
  test('one emulator behind a listener: PACKET_IN reaches the connected controller; closed sessions are detached', async () => {
    const emulator = new SwitchEmulator({ ports: 2 });
    const server = await listen('ptcp:0:127.0.0.1', { versions: [1] });
    cleanups.push(() => server.close());
    server.on('rconn', (rconn) => serveSwitch(rconn, emulator));
    const port = server.address().port!;

    const received: OfpMessage[] = [];
    const ctl = await Vconn.open(`tcp:127.0.0.1:${port}`, { versions: [1] });
    ctl.start({ message: (m) => received.push(m), drain() {}, close() {} });
    cleanups.push(() => ctl.close());
    await expect.poll(() => emulator.sessions).toBe(1);
    emulator.receivePacket(2, frame('ffffffffffff', '020000000005'));
    await expect.poll(() => received.map((m) => m.type)).toEqual(['PACKET_IN']);

    for (let i = 0; i < 5; i++) {
      const v = await Vconn.open(`tcp:127.0.0.1:${port}`, { versions: [1] });
      await expect.poll(() => emulator.sessions).toBe(2);
      await v.close();
      await expect.poll(() => emulator.sessions).toBe(1);
    }
  });
});
