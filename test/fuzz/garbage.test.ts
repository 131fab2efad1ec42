import { describe, it } from 'vitest';
import { runProperty } from './fuzz-property.js';
import { garbageProperties } from './garbage.props.js';

describe('random and mutated bytes (property-based)', () => {
  // About 10 s alone; on the shared 2-core machine next to other suites it took 39 s: room for load.
  for (const p of garbageProperties) it(`${p.name} (${p.runs} cases)`, () => runProperty(p), 120_000);
});
