import { describe, it } from 'vitest';
import { FUZZ_TIMEOUT_MS, runProperty } from './fuzz-property.js';
import { chunkingProperties } from './chunking.props.js';

describe('framer chunking (property-based)', () => {
  for (const p of chunkingProperties) it(`${p.name} (${p.runs} cases)`, () => runProperty(p), FUZZ_TIMEOUT_MS);
});
