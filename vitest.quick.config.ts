/**
 * `npm run test:quick`: the suites that need no root, no external peer (Open vSwitch, tshark,
 * promtool, ...), no build of dist/ and no npm install; for someone changing one file. The full
 * `npm test` runs everything (README, "Tests, real peers and CI").
 */
import { configDefaults, defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

export default mergeConfig(base, defineConfig({
  test: {
    // The fuzz properties at a twentieth of their cases: 5,000 instead of 100,000.
    env: { FUZZ_SCALE: '0.05' },
    exclude: [
      ...configDefaults.exclude,
      'test/interop/**', // Open vSwitch, ovs-ofctl, ovs-testcontroller, tshark, os-ken
      'test/fault/network-faults.test.ts', 'test/fault/reconnect-faults.test.ts', 'test/fault/sigstop.test.ts', // root, netns, iptables
      'test/stream/netns-idle.test.ts', // root, netns
      // The built CLI and examples as child processes (OVS, promtool); parsing and in-process examples stay.
      'test/cli/cli.test.ts', 'test/cli/cli-ovs.test.ts', 'test/cli/metrics.test.ts', 'test/cli/examples-build.test.ts',
      'test/cli/switch-fleet.test.ts', 'test/cli/switch-roles.test.ts',
      'test/package/consumer.test.ts', // npm pack and install
      'test/cluster/**', // etcd, Node cluster workers running the built examples
      // Soak and real-time tests: thousands of connections, floods, backoff and probe intervals
      // waited out on the real clock (their bounds assume a machine that is not overloaded).
      'test/robust/**', 'test/hostile/**', 'test/rconn/loopback.test.ts',
      // Child processes against dist/ and a model-based run of thousands of command sequences.
      'test/rconn/contract-behaviour.test.ts', 'test/model/**',
      'test/bench/**',
    ],
  },
}));
