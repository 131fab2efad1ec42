import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = fileURLToPath(new URL('./src/', import.meta.url));

export default defineConfig({
  resolve: {
    // The examples import the package by name, as an application would; in-process tests run them
    // against the source (tsconfig.json maps the same names for the typechecker).
    alias: [
      { find: /^openflow-rconn$/, replacement: `${src}index.ts` },
      { find: /^openflow-rconn\/(.+)$/, replacement: `${src}$1/index.ts` },
    ],
  },
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
