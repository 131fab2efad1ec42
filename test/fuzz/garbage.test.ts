import { describe, it } from 'vitest';
import { FUZZ_TIMEOUT_MS, runProperty } from './fuzz-property.js';
import { garbageProperties } from './garbage.props.js';

describe('random and mutated bytes (property-based)', () => {
  for (const p of garbageProperties) it(`${p.name} (${p.runs} cases)`, () => runProperty(p), FUZZ_TIMEOUT_MS);
});
