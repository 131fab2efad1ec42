import { describe, expect, it } from 'vitest';
import { formatTarget, isPassiveTarget, parseTarget, TargetError, type Target } from '../../src/stream/index.js';

const good: Array<[string, Target, string]> = [
  ['tcp:127.0.0.1', { kind: 'tcp', active: true, host: '127.0.0.1', port: 6653 }, 'tcp:127.0.0.1:6653'],
  ['tcp:127.0.0.1:6633', { kind: 'tcp', active: true, host: '127.0.0.1', port: 6633 }, 'tcp:127.0.0.1:6633'],
  ['tcp:controller.example.org:1', { kind: 'tcp', active: true, host: 'controller.example.org', port: 1 }, 'tcp:controller.example.org:1'],
  ['tcp:[::1]:6653', { kind: 'tcp', active: true, host: '::1', port: 6653 }, 'tcp:[::1]:6653'],
  ['tcp:[::1]', { kind: 'tcp', active: true, host: '::1', port: 6653 }, 'tcp:[::1]:6653'],
  ['tcp:[fe80::1:2]:65535', { kind: 'tcp', active: true, host: 'fe80::1:2', port: 65535 }, 'tcp:[fe80::1:2]:65535'],
  ['ssl:localhost', { kind: 'ssl', active: true, host: 'localhost', port: 6653 }, 'ssl:localhost:6653'],
  ['ssl:10.0.0.1:6634', { kind: 'ssl', active: true, host: '10.0.0.1', port: 6634 }, 'ssl:10.0.0.1:6634'],
  ['unix:/var/run/ovs/br0.mgmt', { kind: 'unix', active: true, path: '/var/run/ovs/br0.mgmt' }, 'unix:/var/run/ovs/br0.mgmt'],
  ['unix:relative/sock', { kind: 'unix', active: true, path: 'relative/sock' }, 'unix:relative/sock'],
  ['ptcp:', { kind: 'tcp', active: false, port: 6653 }, 'ptcp:6653'],
  ['ptcp:0', { kind: 'tcp', active: false, port: 0 }, 'ptcp:0'],
  ['ptcp:6653:127.0.0.1', { kind: 'tcp', active: false, host: '127.0.0.1', port: 6653 }, 'ptcp:6653:127.0.0.1'],
  ['ptcp::127.0.0.1', { kind: 'tcp', active: false, host: '127.0.0.1', port: 6653 }, 'ptcp:6653:127.0.0.1'],
  ['ptcp:6653:[::1]', { kind: 'tcp', active: false, host: '::1', port: 6653 }, 'ptcp:6653:[::1]'],
  ['ptcp:6653:::1', { kind: 'tcp', active: false, host: '::1', port: 6653 }, 'ptcp:6653:[::1]'],
  ['pssl:', { kind: 'ssl', active: false, port: 6653 }, 'pssl:6653'],
  ['pssl:6634:localhost', { kind: 'ssl', active: false, host: 'localhost', port: 6634 }, 'pssl:6634:localhost'],
  ['punix:/tmp/x.sock', { kind: 'unix', active: false, path: '/tmp/x.sock' }, 'punix:/tmp/x.sock'],
];

const bad: Array<[string, RegExp]> = [
  ['', /missing the KIND: prefix/],
  ['127.0.0.1:6653', /unknown kind "127.0.0.1"/],
  ['localhost', /missing the KIND: prefix/],
  ['http:foo', /unknown kind "http"/],
  ['TCP:1.2.3.4', /unknown kind "TCP"/],
  ['tcp:', /missing HOST/],
  ['tcp::6653', /missing HOST/],
  ['tcp:1.2.3.4:', /"" is not a port number/],
  ['tcp:1.2.3.4:0', /port 0 is out of range 1\.\.65535/],
  ['tcp:1.2.3.4:65536', /port 65536 is out of range/],
  ['tcp:1.2.3.4:66a', /"66a" is not a port number/],
  ['tcp:1.2.3.4:-1', /not a port number/],
  ['tcp:::1', /IPv6 addresses must be in brackets/],
  ['tcp:::1:6653', /IPv6 addresses must be in brackets/],
  ['tcp:[::1', /unclosed "\["/],
  ['tcp:[1.2.3.4]:6653', /not an IPv6 address/],
  ['tcp:[::1]x', /unexpected "x"/],
  ['tcp:1.2.3.999', /not a valid IPv4 address/],
  ['tcp:bad host', /not a valid host name/],
  ['tcp:a/b', /not a valid host name/],
  ['unix:', /missing the socket PATH/],
  ['punix:', /missing the socket PATH/],
  ['ptcp:99999', /out of range 0\.\.65535/],
  ['ptcp:x', /"x" is not a port number/],
  ['ptcp:6653:', /empty HOST/],
  ['ptcp:6653:[zz]', /not an IPv6 address/],
  ['ptcp:6653:1::2::3', /not an IPv6 address/],
];

describe('parseTarget', () => {
  it.each(good)('%s', (name, expected, canonical) => {
    const t = parseTarget(name);
    expect(t).toEqual(expected);
    expect(formatTarget(t)).toBe(canonical);
    // The canonical form parses back to the same target.
    expect(parseTarget(canonical)).toEqual(expected);
  });

  it.each(bad)('rejects %j', (name, reason) => {
    let err: unknown;
    try {
      parseTarget(name);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TargetError);
    const e = err as TargetError;
    expect(e.name).toBe('TargetError');
    expect(e.code).toBe('EBADTARGET');
    expect(e.input).toBe(name);
    expect(e.message).toContain(JSON.stringify(name));
    expect(e.message).toMatch(reason);
    for (const form of ['tcp:HOST[:PORT]', 'ssl:HOST[:PORT]', 'unix:PATH', 'ptcp:[PORT][:HOST]', 'pssl:[PORT][:HOST]', 'punix:PATH']) {
      expect(e.message).toContain(form);
    }
  });

  it('rejects a non-string with a TargetError', () => {
    expect(() => parseTarget(42 as unknown as string)).toThrow(TargetError);
  });
});

describe('isPassiveTarget', () => {
  it.each([
    ['ptcp:', true],
    ['pssl:6653', true],
    ['punix:/x', true],
    ['tcp:1.2.3.4', false],
    ['ssl:h', false],
    ['unix:/x', false],
    ['ptcpx', false],
  ] as const)('%s -> %s', (name, expected) => {
    expect(isPassiveTarget(name)).toBe(expected);
  });
});
