/**
 * listen({ handshake }): the listener does FEATURES_REQUEST / SET_CONFIG / PORT_DESC before it hands
 * a switch out, exposes what it learnt as `rconn.features`, and reports a switch that does not
 * answer as a typed HandshakeError.
 */
import { afterEach, describe, expect, test } from 'vitest';
import {
  HandshakeError, SwitchEmulator, Vconn, listen, type OfpMessage, type Rconn, type RconnListener,
} from '../../src/index.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function listener(options: Parameters<typeof listen>[1]): Promise<RconnListener> {
  const l = await listen('ptcp:0:127.0.0.1', options);
  cleanups.push(() => l.close());
  return l;
}

/** A switch side on a bare vconn: answers with the emulator (unless `mute`), records what it got. */
async function switchSide(port: number, versions: number[], opts: { mute?: boolean; before?: OfpMessage[] } = {}) {
  const vconn = await Vconn.open(`tcp:127.0.0.1:${port}`, { versions });
  cleanups.push(() => vconn.close());
  const emulator = new SwitchEmulator({ datapathId: 0xabcdefn, ports: 3 });
  const got: OfpMessage[] = [];
  vconn.start({
    message: (m) => {
      got.push(m);
      const reply = opts.mute ? null : emulator.reply(m);
      if (reply) vconn.send(reply);
    },
    drain() {},
    close() {},
  });
  for (const m of opts.before ?? []) vconn.send(m);
  return { vconn, got };
}

function nextEvent<T>(l: RconnListener, name: 'rconn' | 'error'): Promise<T> {
  return new Promise((resolve) => l.once(name, resolve as (x: unknown) => void));
}

describe('listen({ handshake })', () => {
  test.each([[1, 'FEATURES_REPLY ports'], [4, 'PORT_DESC'], [5, 'PORT_DESC (1.4 properties)'], [6, 'PORT_DESC (1.5)']])(
    'OpenFlow version %i: rconn.features has the datapath id and the ports from %s', async (version) => {
      const l = await listener({ handshake: { missSendLen: 0xffff } });
      const arrived = nextEvent<Rconn>(l, 'rconn');
      const sw = await switchSide(l.address().port!, [version]);
      const rconn = await arrived;
      expect(rconn.features).toMatchObject({ datapathId: 0xabcdefn, nTables: 4, nBuffers: 256 });
      expect(rconn.features!.ports.map((p) => [p.portNo, p.name, p.hwAddr])).toEqual([
        [1, 'eth1', '02:00:00:00:00:01'], [2, 'eth2', '02:00:00:00:00:02'], [3, 'eth3', '02:00:00:00:00:03'],
      ]);
      const types = sw.got.map((m) => m.type);
      expect(types.slice(0, 2)).toEqual(['FEATURES_REQUEST', 'SET_CONFIG']);
      if (version >= 4) expect(types[2]).toBe('MULTIPART_REQUEST');
      const config = sw.got.find((m) => m.type === 'SET_CONFIG');
      expect(config).toMatchObject({ flags: 0, missSendLen: 0xffff });
    });

  test('a message the switch sends before answering is delivered after the rconn is handed out', async () => {
    const l = await listener({ handshake: true });
    const seen: string[] = [];
    l.on('rconn', (r) => r.on('message', (m) => seen.push(`${m.type} ${m.xid}`)));
    const arrived = nextEvent<Rconn>(l, 'rconn');
    // A BARRIER_REPLY the controller never asked for: it must not be swallowed by the handshake.
    await switchSide(l.address().port!, [4], { before: [{ type: 'BARRIER_REPLY', version: 4, xid: 4242 }] });
    await arrived;
    await new Promise((r) => setTimeout(r, 50));
    expect(seen).toEqual(['BARRIER_REPLY 4242']);
  });

  test('a switch that never answers: HandshakeError ETIMEDOUT after the deadline, connection closed', async () => {
    const l = await listener({ handshake: { timeout: 0.3 } });
    let handedOut = false;
    l.on('rconn', () => { handedOut = true; });
    const failed = nextEvent<Error>(l, 'error');
    const t0 = performance.now();
    const sw = await switchSide(l.address().port!, [4], { mute: true });
    const err = await failed;
    expect(err).toBeInstanceOf(HandshakeError);
    expect(err).toMatchObject({ code: 'ETIMEDOUT' });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(250);
    expect(handedOut).toBe(false);
    expect(sw.got.map((m) => m.type)).toContain('FEATURES_REQUEST');
    await expect.poll(() => l.connections.size).toBe(0);
  });

  test('a switch that answers FEATURES_REQUEST with an ERROR: HandshakeError EHANDSHAKE', async () => {
    const l = await listener({ handshake: true });
    const failed = nextEvent<Error>(l, 'error');
    const vconn = await Vconn.open(`tcp:127.0.0.1:${l.address().port!}`, { versions: [1] });
    cleanups.push(() => vconn.close());
    vconn.start({
      message: (m) => {
        if (m.type === 'FEATURES_REQUEST') {
          vconn.send({ type: 'ERROR', version: 1, xid: m.xid, errorType: 1, code: 1, data: Buffer.alloc(0) } as OfpMessage);
        }
      },
      drain() {},
      close() {},
    });
    await expect(failed).resolves.toMatchObject({ name: 'HandshakeError', code: 'EHANDSHAKE' });
  });

  test('options are validated where they are given: ConfigError thrown at the call', () => {
    expect(() => listen('ptcp:0:127.0.0.1', { handshake: { timeout: 0 } })).toThrow(expect.objectContaining({ code: 'EINVAL', option: 'handshake.timeout' }));
    expect(() => listen('ptcp:0:127.0.0.1', { handshake: { missSendLen: 70000 } })).toThrow(expect.objectContaining({ code: 'EINVAL', option: 'handshake.missSendLen' }));
  });
});
