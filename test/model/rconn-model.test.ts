import { describe, expect, it } from 'vitest';
import { runRconnModel } from './rconn-model.js';

const SEQUENCES = Number(process.env['RCONN_MODEL_RUNS'] ?? 2000);

describe('model-based: random public calls and peer events on real loopback sockets', () => {
  it(`${SEQUENCES} sequences keep every invariant of docs/API.md "Guarantees"`, async () => {
    const seed = process.env['FUZZ_SEED'];
    const stats = await runRconnModel(SEQUENCES, seed ? { seed: Number(seed) } : {});
    expect(stats.sequences).toBe(SEQUENCES);
    console.log(`rconn model: ${stats.sequences} sequences, ${stats.steps} steps in ${(stats.ms / 1000).toFixed(1)} s; sequences that reached: ${JSON.stringify(stats.reached)}`);
    // The walks must reach the states the invariants are about, or the test proves little.
    expect(stats.reached.connected).toBeGreaterThan(SEQUENCES / 10);
    expect(stats.reached.refused + stats.reached.dropped).toBeGreaterThan(0);
  }, 600_000);
});
