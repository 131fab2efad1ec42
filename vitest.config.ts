import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // Most suites wait on sockets, peers and kernel timers, not on the CPU: on a 2-core machine the
    // default (cores - 1 = one worker) would run the fault and interop scenarios one after another.
    maxWorkers: 5,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
