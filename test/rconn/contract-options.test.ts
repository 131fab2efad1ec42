/**
 * Every option is checked where it is given (issue items 1, 2, 6, 10): a synchronous ConfigError
 * (EINVAL) naming the option and the value, a TargetError (EBADTARGET) for a target that does not
 * parse, and nothing opened before the check.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as net from 'node:net';
import {
  ConfigError, Pvconn, Rconn, SwitchEmulator, TargetError, Vconn, listen, listenStream, openStream,
} from '../../src/index.js';

function configError(fn: () => unknown, option: string): ConfigError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught, `expected a ConfigError for ${option}`).toBeInstanceOf(ConfigError);
  const err = caught as ConfigError;
  expect(err.code).toBe('EINVAL');
  expect(err.option).toBe(option);
  expect(err.message).toContain(option);
  return err;
}

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

describe('Rconn options', () => {
  const bad: Array<[string, Record<string, unknown>]> = [
    ['versions', { versions: [7] }],
    ['versions', { versions: [1.3] }],
    ['versions', { versions: [] }],
    ['versions', { versions: 4 }],
    ['probeInterval', { probeInterval: NaN }],
    ['probeInterval', { probeInterval: -1 }],
    ['probeInterval', { probeInterval: Infinity }],
    ['probeInterval', { probeInterval: '5' }],
    ['echoInterval', { echoInterval: NaN }],
    ['probe', { probe: 'tcp' }],
    ['maxBackoff', { maxBackoff: 0.5 }],
    ['backoffJitter', { backoffJitter: 2 }],
    ['helloTimeout', { helloTimeout: 0 }],
    ['maxTries', { maxTries: 1.5 }],
    ['maxTries', { maxTries: -1 }],
    ['txqLimit', { txqLimit: 0 }],
    ['txqLimit', { txqLimit: 10.5 }],
    ['messageHighWater', { messageHighWater: 0 }],
    ['autoEchoReply', { autoEchoReply: 'yes' }],
    ['stopOnIncompatible', { stopOnIncompatible: 1 }],
    ['name', { name: 42 }],
    ['random', { random: 0.5 }],
    ['logger', { logger: { info() {} } }],
    ['clock', { clock: {} }],
    ['connector', { connector: 'tcp' }],
    ['tls', { tls: 'cert.pem' }],
    ['tls.cert', { tls: { cert: 42 } }],
    ['tls.rejectUnauthorized', { tls: { rejectUnauthorized: 'false' } }],
  ];
  it.each(bad)('new Rconn({ %s: bad }) throws ConfigError naming it', (option, options) => {
    const err = configError(() => new Rconn(options as never), option);
    expect(err.message).toMatch(/must be/);
  });

  it('the message says what is allowed: versions are wire numbers 1..6', () => {
    const err = configError(() => new Rconn({ versions: [1.3] }), 'versions');
    expect(err.message).toBe('Rconn: option versions = [1.3] is invalid: must be a non-empty array of OpenFlow wire versions 1..6 (1 = 1.0, 4 = 1.3, 6 = 1.5)');
    expect(err.value).toEqual([1.3]);
  });

  it('Infinity is allowed where it means "unlimited" (maxTries) and Infinity/Infinity-like values elsewhere are not', () => {
    expect(() => new Rconn({ maxTries: Infinity })).not.toThrow();
    configError(() => new Rconn({ txqLimit: Infinity }), 'txqLimit');
  });

  it('setProbeInterval() checks its argument and leaves the interval as it was', () => {
    const r = new Rconn({ probeInterval: 7 });
    for (const v of [NaN, -5, Infinity, '10', undefined]) configError(() => r.setProbeInterval(v as never), 'seconds');
    expect(r.status().probeInterval).toBe(7);
    r.setProbeInterval(2);
    expect(r.status().probeInterval).toBe(5);
  });

  it('addMonitor() needs a function', () => {
    configError(() => new Rconn().addMonitor('log' as never), 'monitor');
  });
});

describe('connect(target) parses the target at once', () => {
  it.each(['garbage', 'tcp:', 'tcp:host:99999', 'tcp:1.2.3.999', 'tcp:::1:6653', 'udp:1.2.3.4'])(
    'connect(%j) throws TargetError (EBADTARGET), no attempt is made', (target) => {
      const r = new Rconn();
      const failed: unknown[] = [];
      r.on('connectFailed', (f) => failed.push(f));
      expect(() => r.connect(target)).toThrow(TargetError);
      try { r.connect(target); } catch (err) { expect((err as TargetError).code).toBe('EBADTARGET'); }
      expect(r.state).toBe('VOID');
      expect(failed).toEqual([]);
      return r.close();
    });

  it('a passive target throws ConfigError naming the target', () => {
    configError(() => new Rconn().connect('ptcp:6653'), 'target');
  });
});

describe('listen(), Pvconn.listen(), Vconn.open() and the stream layer check before opening anything', () => {
  it('listen() with a bad option throws synchronously (not a rejection) and binds nothing', () => {
    configError(() => listen('ptcp:0:127.0.0.1', { txqLimit: 0 }), 'txqLimit');
    configError(() => listen('ptcp:0:127.0.0.1', { versions: [0] }), 'versions');
    configError(() => listen('ptcp:0:127.0.0.1', { helloTimeout: -1 }), 'helloTimeout');
    expect(() => listen('tcp:127.0.0.1:6653')).toThrow(TargetError);
  });

  it("listen('punix:...', { probe: 'transport' }) throws: a unix socket can never probe", () => {
    configError(() => listen('punix:/tmp/ofr-never.sock', { probe: 'transport' }), 'probe');
  });

  it('Pvconn.listen() checks versions, tls and helloTimeout (ms)', () => {
    configError(() => Pvconn.listen('ptcp:0', { versions: [1, 9] }), 'versions');
    configError(() => Pvconn.listen('ptcp:0', { helloTimeout: 0 }), 'helloTimeout');
    configError(() => Pvconn.listen('ptcp:0', { tls: { key: 7 as never } }), 'tls.key');
    expect(() => Pvconn.listen('tcp:127.0.0.1:1')).toThrow(TargetError);
  });

  it('Vconn.open() with bad versions rejects before connecting: the peer never sees a connection', async () => {
    let accepted = 0;
    const server = net.createServer((s) => { accepted++; s.destroy(); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise((r) => server.close(r)));
    const port = (server.address() as net.AddressInfo).port;
    await expect(Vconn.open(`tcp:127.0.0.1:${port}`, { versions: [7] })).rejects.toMatchObject({ name: 'ConfigError', option: 'versions' });
    await new Promise((r) => setTimeout(r, 50));
    expect(accepted).toBe(0);
  });

  it('openStream() and listenStream() check their options synchronously', () => {
    configError(() => openStream('tcp:127.0.0.1:1', { connectTimeoutMs: NaN }), 'connectTimeoutMs');
    configError(() => openStream('tcp:127.0.0.1:1', { signal: {} as never }), 'signal');
    configError(() => listenStream('ptcp:0', { handshakeTimeoutMs: 0 }), 'handshakeTimeoutMs');
    configError(() => listenStream('ptcp:0', { tls: { ca: [1] as never } }), 'tls.ca');
  });
});

describe('SwitchEmulator options', () => {
  it.each([
    ['datapathId', { datapathId: 1 }],
    ['datapathId', { datapathId: 1n << 64n }],
    ['datapathId', { datapathId: -1n }],
    ['ports', { ports: -1 }],
    ['ports', { ports: 1.5 }],
    ['ports', { ports: 0xff00 }],
    ['nTables', { nTables: 0 }],
    ['nTables', { nTables: 255 }],
    ['nBuffers', { nBuffers: 2 ** 20 + 1 }],
    ['description', { description: 'x'.repeat(256) }],
    ['description', { description: 7 }],
  ])('new SwitchEmulator({ %s: bad }) throws ConfigError', (option, options) => {
    configError(() => new SwitchEmulator(options as never), option);
  });

  it('the limits themselves are accepted', () => {
    expect(() => new SwitchEmulator({ datapathId: (1n << 64n) - 1n, ports: 3, nTables: 254, nBuffers: 2 ** 20, description: 'x'.repeat(255) })).not.toThrow();
  });
});
