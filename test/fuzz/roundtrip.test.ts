import { describe, it } from 'vitest';
import { FUZZ_TIMEOUT_MS, runProperty } from './fuzz-property.js';
import { roundTripProperties } from './roundtrip.props.js';

describe('encode/decode round trip (property-based)', () => {
  for (const p of roundTripProperties) it(`${p.name} (${p.runs} cases)`, () => runProperty(p), FUZZ_TIMEOUT_MS);
});
