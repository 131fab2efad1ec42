/**
 * Runs every transcript in scenarios/ and requires the regenerated transcript to equal the file
 * byte for byte. With UPDATE_SCENARIOS=1 the files are rewritten instead (authoring only: every
 * expected line must then be checked by hand against the rule the scenario's comments state).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { extractInput, runScript } from './script.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'scenarios');
const files = readdirSync(dir).filter((f) => f.endsWith('.txt')).sort();
const update = process.env.UPDATE_SCENARIOS === '1';

describe('reconnect scenarios', () => {
  it('found the scenario files', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
  });

  for (const file of files) {
    it(file.replace(/\.txt$/, ''), () => {
      const path = join(dir, file);
      const expected = readFileSync(path, 'utf8');
      const actual = runScript(extractInput(expected));
      if (update && actual !== expected) writeFileSync(path, actual);
      else expect(actual).toBe(expected);
    });
  }
});
