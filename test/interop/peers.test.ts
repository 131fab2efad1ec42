import { afterEach, describe, expect, test } from 'vitest';
import { aptLine, checkPeers, commandPath, hasCommand, PeersMissingError } from '../support/peers.js';

const savedCi = process.env.CI;
afterEach(() => {
  if (savedCi === undefined) delete process.env.CI;
  else process.env.CI = savedCi;
});

describe('peers', () => {
  test('hasCommand finds node and rejects a name that does not exist', () => {
    expect(hasCommand('node')).toBe(true);
    expect(commandPath('node')).toMatch(/\/node$/);
    expect(hasCommand('no-such-command-ofrconn-xyz')).toBe(false);
  });

  test('aptLine maps commands to Debian packages, once each, preseeding tshark', () => {
    const line = aptLine(['ovs-vswitchd', 'ovs-vsctl', 'ovsdb-tool', 'tshark', 'root']);
    expect(line).toContain('install -y --no-install-recommends openvswitch-switch openvswitch-common tshark');
    expect(line).toContain('wireshark-common/install-setuid boolean false');
    expect(aptLine(['ovs-ofctl'])).not.toContain('debconf');
  });

  test('a missing peer: not ok, message names it, the package and the CI state', () => {
    process.env.CI = 'true';
    const ci = checkPeers(['node', 'no-such-command-ofrconn-xyz'], 'the test');
    expect(ci.ok).toBe(false);
    expect(ci.missing).toEqual(['no-such-command-ofrconn-xyz']);
    expect(ci.message).toMatch(/^CI=true but no-such-command-ofrconn-xyz missing \(needed by the test\)\. Install with: /);
    delete process.env.CI;
    expect(checkPeers(['no-such-command-ofrconn-xyz']).message).not.toContain('CI=true');
  });

  test('all present: ok and no message', () => {
    const p = checkPeers(['node']);
    expect([p.ok, p.missing, p.message]).toEqual([true, [], '']);
  });

  test('PeersMissingError has a stable name and code', () => {
    const e = new PeersMissingError('x', ['tshark']);
    expect([e.name, e.code, e.missing]).toEqual(['PeersMissingError', 'ERR_PEERS_MISSING', ['tshark']]);
  });
});
