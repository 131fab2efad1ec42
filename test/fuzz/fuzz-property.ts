/**
 * A named property with its share of the case budget. The vitest files run `runs` cases each
 * (100,000 in all, inside `npm test`); `npm run fuzz` (scripts/fuzz.mjs) runs ten times as many.
 */
import fc from 'fast-check';

export interface FuzzProperty {
  name: string;
  runs: number;
  // The case tuple type differs per property; only fc.assert looks inside.
  property: fc.IProperty<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export function fuzzProperty<Ts extends [unknown, ...unknown[]]>(
  name: string, runs: number, ...args: [...arbitraries: { [K in keyof Ts]: fc.Arbitrary<Ts[K]> }, predicate: (...args: Ts) => void]
): FuzzProperty {
  return { name, runs, property: (fc.property as unknown as (...a: unknown[]) => FuzzProperty['property'])(...args) };
}

/**
 * Per-property budget in the vitest files: a property takes 5-15 s on an idle core; with every
 * message type typed, and the suite sharing two cores with other work, 30 s was not enough.
 */
export const FUZZ_TIMEOUT_MS = 120_000;

/**
 * Runs `p` with `scale` x its share of cases; FUZZ_SEED reproduces a failure fast-check reported.
 * FUZZ_SCALE sets the default scale (`npm run test:quick` runs a twentieth of the cases).
 */
export function runProperty(p: FuzzProperty, scale = Number(process.env['FUZZ_SCALE'] ?? 1)): void {
  const seed = process.env['FUZZ_SEED'];
  fc.assert(p.property, { numRuns: Math.max(1, Math.round(p.runs * scale)), ...(seed ? { seed: Number(seed) } : {}) });
}
