import { afterEach, describe, expect, it } from 'vitest';
import { listen, Rconn, SwitchEmulator, type OfpMessage, type RconnListener } from '../../src/index.js';
import { until, within } from '../interop/helpers.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

/** A listener whose application asks every switch for its features, as controllers do. */
async function controller(): Promise<RconnListener> {
  const server = await listen('ptcp:0:127.0.0.1', { versions: [4] });
  server.on('rconn', (sw) => sw.send({ type: 'FEATURES_REQUEST', version: sw.version, xid: sw.nextXid() }));
  cleanups.push(() => server.close());
  return server;
}

/** An emulated switch connection; `auxiliaryId` > 0 makes it answer as an auxiliary connection. */
function switchConn(server: RconnListener, datapathId: bigint, auxiliaryId = 0): Rconn {
  const emulator = new SwitchEmulator({ datapathId });
  const rconn = new Rconn({ versions: [4], maxBackoff: 1 });
  rconn.on('message', (msg) => {
    const reply = emulator.reply(msg) as OfpMessage | null;
    if (reply?.type === 'FEATURES_REPLY') reply.auxiliaryId = auxiliaryId;
    if (reply) rconn.send(reply);
  });
  cleanups.push(() => rconn.close());
  return rconn.connect(`tcp:127.0.0.1:${server.address().port}`);
}

const nextEvent = <T extends unknown[]>(server: RconnListener, event: 'datapath' | 'replaced'): Promise<T> =>
  within(new Promise<T>((resolve) => server.once(event, (...args: unknown[]) => resolve(args as T))), 5_000, event);

describe('datapath identity in listen()', () => {
  it('indexes each connection by the datapath id of its FEATURES_REPLY', async () => {
    const server = await controller();
    const seen = nextEvent<[bigint, Rconn, number]>(server, 'datapath');
    switchConn(server, 0xa1n);
    const [dpid, rconn, aux] = await seen;
    expect([dpid, aux]).toEqual([0xa1n, 0]);
    expect(server.datapath(0xa1n)?.main).toBe(rconn);
    switchConn(server, 0xa2n);
    await until(() => server.datapath(0xa2n) !== undefined, 5_000, 'the second switch');
    expect([...server.datapaths()].map((d) => d.datapathId).sort()).toEqual([0xa1n, 0xa2n]);
  });

  it("closes the old main connection with 'replaced' when the same switch connects again", async () => {
    const server = await controller();
    const first = nextEvent<[bigint, Rconn]>(server, 'datapath');
    const oldSwitch = switchConn(server, 7n);
    const [, oldConn] = await first;
    const oldGone = within(new Promise<Error | null>((r) => oldConn.once('disconnected', ({ error }) => r(error))), 5_000, 'old connection closed');

    const replaced = nextEvent<[bigint, Rconn, Rconn, number]>(server, 'replaced');
    switchConn(server, 7n); // the rebooted switch, while the old socket still looks alive
    const [dpid, previous, replacement, aux] = await replaced;
    expect([dpid, previous, aux]).toEqual([7n, oldConn, 0]);
    expect(server.datapath(7n)?.main).toBe(replacement);
    expect(await oldGone).toMatchObject({ name: 'ReplacedError', code: 'EREPLACED', datapathId: 7n });
    // The old switch sees its connection end (and would reconnect).
    await until(() => !oldSwitch.isConnected() || oldSwitch.seqno > 2, 5_000, 'the old switch to lose its connection');
  });

  it('groups auxiliary connections under their main connection and drops them with it', async () => {
    const server = await controller();
    const mainSeen = nextEvent<[bigint, Rconn]>(server, 'datapath');
    switchConn(server, 9n);
    const [, main] = await mainSeen;
    const auxSeen = nextEvent<[bigint, Rconn, number]>(server, 'datapath');
    switchConn(server, 9n, 1);
    const [, aux, auxId] = await auxSeen;
    expect(auxId).toBe(1);
    expect(server.datapath(9n)?.main).toBe(main);
    expect(server.datapath(9n)?.auxiliary.get(1)).toBe(aux);

    const replacedIds: number[] = [];
    server.on('replaced', (_d, _p, _r, id) => replacedIds.push(id));
    switchConn(server, 9n);
    await until(() => replacedIds.length === 2, 5_000, 'main and auxiliary replaced');
    expect(replacedIds.sort()).toEqual([0, 1]);
    expect(server.datapath(9n)?.auxiliary.size).toBe(0);
  });

  it("with the handshake option the handshake's FEATURES_REPLY identifies the switch", async () => {
    const server = await listen('ptcp:0:127.0.0.1', { versions: [4], handshake: { timeout: 5 } });
    cleanups.push(() => server.close());
    const seen = nextEvent<[bigint, Rconn]>(server, 'datapath');
    const handed = within(new Promise<Rconn>((r) => server.once('rconn', r)), 5_000, 'rconn');
    switchConn(server, 0xbeefn);
    const [[dpid, rconn], out] = await Promise.all([seen, handed]);
    expect([dpid, rconn]).toEqual([0xbeefn, out]);
    expect(server.datapath(0xbeefn)?.main).toBe(out);
  });

  it('forgets a switch whose connection ends', async () => {
    const server = await controller();
    const seen = nextEvent<[bigint, Rconn]>(server, 'datapath');
    const sw = switchConn(server, 5n);
    await seen;
    await sw.close();
    await until(() => server.datapath(5n) === undefined, 5_000, 'the switch to be forgotten');
  });
});
