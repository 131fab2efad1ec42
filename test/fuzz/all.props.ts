/** Every fuzz property, for scripts/fuzz.mjs. */
import { chunkingProperties } from './chunking.props.js';
import { garbageProperties } from './garbage.props.js';
import { roundTripProperties } from './roundtrip.props.js';
import type { FuzzProperty } from './fuzz-property.js';

export const allProperties: FuzzProperty[] = [...roundTripProperties, ...garbageProperties, ...chunkingProperties];
